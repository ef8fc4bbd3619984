import { MINUTE } from '../calendar.js';
import { echoSession, udpSession } from '../build-session.js';
import type { Host } from '../network.js';
import { ephemeralPort, hostStreams, lanRtt, type Activity } from './activity.js';

/** At scale 1 every monitored host is pinged every 5 minutes and polled over SNMP every 15. */
const PING_EVERY = 5 * MINUTE;
const SNMP_EVERY = 15 * MINUTE;
/** Polling never gets faster than this, however large the scale. */
const FASTEST = 10_000;

/**
 * The network management station: ICMP echo to every server and DMZ host, SNMP (udp/161)
 * polls of their counters. Strictly periodic, benign traffic that a beaconing detector must
 * tell apart from command and control.
 */
export const monitoring: Activity = {
  name: 'monitoring',
  plan(day) {
    const { network } = day;
    const nms = network.servers.nms[0]!;
    const targets: Host[] = [...Object.values(network.servers).flat(), ...Object.values(network.dmz)].filter((h) => h !== nms);
    const streams = hostStreams(day.prng, targets);
    const ping = Math.max(FASTEST, PING_EVERY / day.scale);
    const snmp = Math.max(FASTEST, SNMP_EVERY / day.scale);
    // Each target has its own phase; polls then follow the period with a few ms of scheduling jitter.
    const nextPing = streams.map((r) => day.start + r.int(0, ping - 1));
    const nextSnmp = streams.map((r) => day.start + r.int(0, snmp - 1));
    return {
      labels: [],
      sessions(window, out) {
        targets.forEach((target, i) => {
          const r = streams[i]!;
          for (; nextPing[i]! < window.end; nextPing[i]! += ping) {
            const v6 = target.ipv6 !== null && nms.ipv6 !== null && r.chance(0.5);
            const [src, dst] = v6 ? [nms.ipv6!, target.ipv6!] : [nms.ipv4, target.ipv4];
            out.push(echoSession({ start: nextPing[i]! + r.int(0, 20), src, dst, rtt: lanRtt(r), count: 1 }));
          }
          for (; nextSnmp[i]! < window.end; nextSnmp[i]! += snmp) {
            out.push(
              udpSession({
                start: nextSnmp[i]! + r.int(0, 20),
                src: nms.ipv4,
                sport: ephemeralPort(r, nms),
                dst: target.ipv4,
                dport: 161,
                rtt: lanRtt(r),
                duration: 0,
                upload: 90,
                download: r.int(300, 900),
              }),
            );
          }
        });
      },
    };
  },
};
