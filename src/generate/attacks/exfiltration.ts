import { HOUR } from '../calendar.js';
import { tcpSession } from '../build-session.js';
import type { Session } from '../session.js';
import { ephemeralPort, labelFor, labelId, plannedDay, wanRtt, type Activity } from '../activities/activity.js';
import type { Victims } from './victims.js';

/** Upload speed of the leak, bytes per ms (3 MB/s). */
const UPLOAD_RATE = 3e3;

/**
 * Data exfiltration: in the small hours (02:00–03:30) a workstation uploads a few gigabytes to
 * an unknown storage host over HTTPS, in half a dozen large PUTs one after the other. The
 * uploads dwarf what comes back, the opposite of browsing.
 */
export function exfiltration(victims: Victims): Activity {
  return {
    name: 'exfiltration',
    plan(day) {
      const r = day.prng;
      const host = victims.leaker;
      const drop = day.network.internet.attackers.dropzone;
      const dst = drop.v4[0]!;
      const label = labelId('exfiltration', day.date);
      const sessions: Session[] = [];
      let t = day.start + 2 * HOUR + r.int(0, 90 * 60_000);
      const parts = r.int(5, 7);
      for (let i = 0; i < parts; i++) {
        const upload = r.lognormal(500e6, 0.3);
        const duration = upload / UPLOAD_RATE;
        sessions.push(
          tcpSession({
            start: t,
            src: host.ipv4,
            sport: ephemeralPort(r, host),
            dst,
            dport: 443,
            rtt: wanRtt(r),
            duration,
            upload,
            download: r.lognormal(6000, 0.4),
            label,
            app: { http: { scheme: 'https', method: 'PUT', host: drop.name, path: `/upload/part-${i + 1}.7z`, status: 201, userAgent: 'rclone/v1.66.0' } },
          }),
        );
        t += duration + r.int(2_000, 20_000);
      }
      const row = labelFor(
        day.date,
        {
          category: 'attack',
          name: 'exfiltration',
          src: [host.ipv4],
          dst: [dst],
          dports: [443],
          proto: ['TCP'],
          description: `data exfiltration: ${host.fqdn} uploads ${parts} archives (several GB) to ${drop.name} over HTTPS at night`,
        },
        sessions,
      );
      return plannedDay(sessions, [row]);
    },
  };
}
