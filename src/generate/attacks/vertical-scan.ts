import { HOUR } from '../calendar.js';
import { synProbe } from '../build-session.js';
import { DROPPED_ACL, type Session } from '../session.js';
import { labelFor, labelId, plannedDay, wanRtt, type Activity } from '../activities/activity.js';

export const VERTICAL_SCAN_PORTS = { first: 1, last: 1024 } as const;
/** The edge ACL lets the internet reach the public web server on these ports only. */
const PERMITTED = [80, 443];

/**
 * Reconnaissance from the internet: a SYN scan of ports 1–1024 of the public web server in the
 * DMZ, in random order, some time between 03:00 and 05:00. The edge ACL drops every probe to
 * a port it does not permit (forwarding status "dropped, ACL deny", no answer); the web ports
 * answer SYN-ACK.
 */
export const verticalScan: Activity = {
  name: 'vertical-scan',
  plan(day) {
    const r = day.prng;
    const target = day.network.dmz.web;
    const src = day.network.internet.attackers.scanner.v4[0]!;
    const label = labelId('vertical-scan', day.date);
    const sport = r.int(40000, 65000);
    const ports = Array.from({ length: VERTICAL_SCAN_PORTS.last - VERTICAL_SCAN_PORTS.first + 1 }, (_, i) => VERTICAL_SCAN_PORTS.first + i);
    const sessions: Session[] = [];
    let t = day.start + 3 * HOUR + r.int(0, 2 * HOUR);
    for (const port of r.sample(ports, ports.length)) {
      const open = PERMITTED.includes(port);
      sessions.push(
        synProbe({
          start: t,
          src,
          sport,
          dst: target.ipv4,
          dport: port,
          rtt: wanRtt(r),
          outcome: open ? 'open' : 'silent',
          fwd: open ? undefined : DROPPED_ACL,
          label,
        }),
      );
      t += Math.round(r.exponential(40));
    }
    const row = labelFor(
      day.date,
      {
        category: 'attack',
        name: 'vertical-scan',
        src: [src],
        dst: [target.ipv4],
        dports: ports,
        proto: ['TCP'],
        description:
          `vertical scan: ${src} probes tcp/${VERTICAL_SCAN_PORTS.first}-${VERTICAL_SCAN_PORTS.last} of ${target.fqdn}; ` +
          `the edge ACL drops all but ${PERMITTED.join(' and ')}`,
      },
      sessions,
    );
    return plannedDay(sessions, [row]);
  },
};
