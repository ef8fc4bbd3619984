import { HOUR, poweredOn } from '../calendar.js';
import { synProbe } from '../build-session.js';
import { ipv4ToNumber, numberToIpv4 } from '../../shared/ip.js';
import type { Session } from '../session.js';
import { labelFor, labelId, lanRtt, plannedDay, type Activity } from '../activities/activity.js';
import { targetVlan, type Victims } from './victims.js';

export const HORIZONTAL_SCAN_PORT = 445;

/**
 * Discovery: from the implanted workstation, a SYN scan of SMB (445) across every address of
 * the next workstation VLAN, in random order, around 10:30. Workstations that are on answer
 * SYN-ACK; empty addresses and machines that are off never answer.
 */
export function horizontalScan(victims: Victims): Activity {
  return {
    name: 'horizontal-scan',
    plan(day) {
      const r = day.prng;
      const vlan = targetVlan(day.network, victims);
      const base = ipv4ToNumber(vlan.cidr.split('/')[0]!);
      const byAddress = new Map(vlan.hosts.map((h) => [h.ipv4, h]));
      const label = labelId('horizontal-scan', day.date);
      const src = victims.implant.ipv4;
      const sport = r.int(49152, 65535);
      const sessions: Session[] = [];
      let t = day.start + 10 * HOUR + 30 * 60_000 + r.int(0, HOUR);
      const order = r.sample(Array.from({ length: 254 }, (_, i) => i + 1), 254);
      for (const octet of order) {
        const dst = numberToIpv4(base + octet);
        const host = byAddress.get(dst);
        const up = host !== undefined && poweredOn(host.alwaysOn, t) && host.openTcp.includes(HORIZONTAL_SCAN_PORT);
        sessions.push(synProbe({ start: t, src, sport, dst, dport: HORIZONTAL_SCAN_PORT, rtt: lanRtt(r), outcome: up ? 'open' : 'silent', label }));
        t += Math.round(r.exponential(100));
      }
      const row = labelFor(
        day.date,
        {
          category: 'attack',
          name: 'horizontal-scan',
          src: [src],
          dst: [vlan.cidr],
          dports: [HORIZONTAL_SCAN_PORT],
          proto: ['TCP'],
          description: `horizontal scan: ${victims.implant.fqdn} sends SYNs to tcp/${HORIZONTAL_SCAN_PORT} on all 254 addresses of ${vlan.cidr}`,
        },
        sessions,
      );
      return plannedDay(sessions, [row]);
    },
  };
}
