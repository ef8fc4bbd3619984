import { HOUR } from '../calendar.js';
import { tcpSession } from '../build-session.js';
import { labelFor, labelId, plannedDay, wanRtt, type Activity } from '../activities/activity.js';
import type { Victims } from './victims.js';

export const LONG_CONNECTION_PORT = 4444;

/**
 * A reverse shell: one TCP connection to tcp/4444 on an external host, opened in the morning
 * and held for five to eight hours with a trickle of keystrokes and output. The exporter's
 * active timeout cuts it into a record every 30 minutes.
 */
export function longConnection(victims: Victims): Activity {
  return {
    name: 'long-connection',
    plan(day) {
      const r = day.prng;
      const host = victims.shell;
      const relay = day.network.internet.attackers.relay;
      const dst = relay.v4[0]!;
      const label = labelId('long-connection', day.date);
      const session = tcpSession({
        start: day.start + 9 * HOUR + r.int(0, 2 * HOUR),
        src: host.ipv4,
        sport: r.int(49152, 65535),
        dst,
        dport: LONG_CONNECTION_PORT,
        rtt: wanRtt(r),
        duration: r.uniform(5, 8) * HOUR,
        upload: r.lognormal(2e6, 0.3),
        download: r.lognormal(6e6, 0.3),
        label,
      });
      const row = labelFor(
        day.date,
        {
          category: 'attack',
          name: 'long-connection',
          src: [host.ipv4],
          dst: [dst],
          dports: [LONG_CONNECTION_PORT],
          proto: ['TCP'],
          description:
            `long-lived connection: ${host.fqdn} holds a reverse shell to ${dst}:${LONG_CONNECTION_PORT} ` +
            `for ${Math.round(session.duration / HOUR)} hours`,
        },
        [session],
      );
      return plannedDay([session], [row]);
    },
  };
}
