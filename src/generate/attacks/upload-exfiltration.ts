import { ephemeralPort, labelFor, labelId, plannedDay, wanRtt, type Activity } from '../activities/activity.js';
import { tcpSession } from '../build-session.js';
import { HOUR } from '../calendar.js';
import type { Session } from '../session.js';
import { lookUpWebHost } from './http-lookup.js';
import type { HttpVictims } from './http-victims.js';

/** The file-transfer service the data goes to (a reserved name; a documentation address). */
export const UPLOAD_HOST = 'sync.box-transfer.example';
export const UPLOAD_ADDRESS = '198.51.100.200';
export const UPLOAD_AGENT = 'python-requests/2.32.3';
/** Size of each POST's body: about 40 MB (lognormal), and the upload speed, bytes per ms. */
export const UPLOAD_PART_MEDIAN = 40e6;
const UPLOAD_RATE = 2.5e3;

/**
 * Exfiltration by HTTP upload: in the evening a script on a head-office workstation POSTs an
 * archive cut in 16 to 24 parts of about 40 MB to one file-transfer host over HTTPS, one part per
 * connection, one after the other. The proxy opens the TLS and logs each POST: tens of megabytes
 * from the client, a few hundred bytes of JSON back.
 */
export function uploadExfiltration(victims: HttpVictims): Activity {
  return {
    name: 'upload-exfiltration',
    plan(day) {
      const r = day.prng;
      const host = victims.uploader;
      const label = labelId('upload-exfiltration', day.date);
      const sessions: Session[] = [];
      const lookups: Session[] = [];
      let t = lookUpWebHost(r, day.network, host, day.start + 19 * HOUR + r.int(0, 2 * HOUR), UPLOAD_HOST, UPLOAD_ADDRESS, 600, lookups);
      const transfer = r.int(0, 2 ** 31).toString(36);
      const parts = r.int(16, 24);
      for (let i = 1; i <= parts; i++) {
        const upload = Math.round(r.lognormal(UPLOAD_PART_MEDIAN, 0.25));
        const rtt = wanRtt(r);
        const duration = rtt * 4 + upload / UPLOAD_RATE;
        sessions.push(
          tcpSession({
            start: t,
            src: host.ipv4,
            sport: ephemeralPort(r, host),
            dst: UPLOAD_ADDRESS,
            dport: 443,
            rtt,
            duration,
            upload,
            download: Math.round(r.normal(330, 10)),
            label,
            app: {
              http: { scheme: 'https', method: 'POST', host: UPLOAD_HOST, path: `/v2/transfers/${transfer}/parts?part=${i}&of=${parts}`, status: 201, userAgent: UPLOAD_AGENT, contentType: 'application/json' },
            },
          }),
        );
        t += Math.round(duration) + r.int(1_000, 8_000);
      }
      const row = labelFor(
        day.date,
        {
          category: 'attack',
          name: 'upload-exfiltration',
          src: [host.ipv4],
          dst: [UPLOAD_ADDRESS],
          dports: [443],
          proto: ['TCP'],
          description: `exfiltration by upload: ${host.fqdn} POSTs ${parts} parts of about ${UPLOAD_PART_MEDIAN / 1e6} MB to ${UPLOAD_HOST} over HTTPS in the evening; its DNS lookup is not labelled`,
        },
        sessions,
      );
      return plannedDay([...sessions, ...lookups], [row]);
    },
  };
}
