import { poweredOn } from '../calendar.js';
import { udpSession } from '../build-session.js';
import type { Host } from '../network.js';
import { between, eventTimes, hostStreams, lanRtt, wanRtt, type Activity } from './activity.js';

/** Polls per host per day while powered; the domain controllers poll the internet pool more often. */
const CLIENT_POLLS = 24;
const DC_POLLS = 85;
const NTP_PAYLOAD = 48;

/** NTP (udp/123): every machine syncs with a domain controller, the controllers with pool.ntp.org. */
export const timeSync: Activity = {
  name: 'time-sync',
  plan(day) {
    const { network } = day;
    const dcs = network.servers.dc;
    const clients: Host[] = [...network.workstations, ...Object.values(network.servers).flat().filter((h) => h.role !== 'dc' && h.os !== 'embedded')];
    const streams = hostStreams(day.prng, clients);
    const dcStreams = hostStreams(day.prng, dcs);
    return {
      labels: [],
      sessions(window, out) {
        clients.forEach((host, i) => {
          if (!poweredOn(host.alwaysOn, window.start)) return;
          const r = streams[i]!;
          const dc = dcs[host.index % dcs.length]!;
          for (const t of eventTimes(r, window, CLIENT_POLLS * day.scale, 'flat')) {
            const { src, dst } = between(r, host, dc);
            out.push(udpSession({ start: t, src, sport: 123, dst, dport: 123, rtt: lanRtt(r), duration: 0, upload: NTP_PAYLOAD, download: NTP_PAYLOAD }));
          }
        });
        dcs.forEach((dc, i) => {
          const r = dcStreams[i]!;
          for (const t of eventTimes(r, window, DC_POLLS * day.scale, 'flat')) {
            out.push(
              udpSession({
                start: t,
                src: dc.ipv4,
                sport: 123,
                dst: r.pick(network.internet.ntp.v4),
                dport: 123,
                rtt: wanRtt(r),
                duration: 0,
                upload: NTP_PAYLOAD,
                download: NTP_PAYLOAD,
              }),
            );
          }
        });
      },
    };
  },
};
