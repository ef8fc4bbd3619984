import { DAY } from '../calendar.js';
import { tcpSession } from '../build-session.js';
import type { Session } from '../session.js';
import { labelFor, labelId, plannedDay, wanRtt, type Activity } from '../activities/activity.js';
import { USER_AGENTS } from '../activities/web-browsing.js';
import type { Victims } from './victims.js';

/** Check-in period of the implant and its jitter (uniform, as a share of the period). */
export const BEACON_PERIOD = 60_000;
export const BEACON_JITTER = 0.15;

/**
 * Command and control: the implant checks in with its server over HTTPS every minute, give or
 * take 15 %, all day long. The check-ins are small and nearly the same size; now and then the
 * server has a task for it and the answer is larger. Windows hands out source ports in order,
 * so they climb by one or two between check-ins.
 */
export function beaconing(victims: Victims): Activity {
  return {
    name: 'beaconing',
    plan(day) {
      const r = day.prng;
      const host = victims.implant;
      const c2 = day.network.internet.attackers.c2;
      const dst = c2.v4[0]!;
      const label = labelId('beaconing', day.date);
      const sessions: Session[] = [];
      let sport = r.int(49152, 60000);
      for (let t = day.start + r.int(0, BEACON_PERIOD); t < day.start + DAY; t += Math.round(BEACON_PERIOD * (1 + r.uniform(-BEACON_JITTER, BEACON_JITTER)))) {
        const tasked = r.chance(0.03);
        const rtt = wanRtt(r);
        sport = sport >= 65533 ? 49152 : sport + r.int(1, 2);
        sessions.push(
          tcpSession({
            start: t,
            src: host.ipv4,
            sport,
            dst,
            dport: 443,
            rtt,
            duration: rtt * 4 + r.uniform(20, 60),
            upload: Math.round(r.normal(420, 6)),
            download: tasked ? r.lognormal(8000, 0.8) : Math.round(r.normal(180, 4)),
            label,
            app: { http: { scheme: 'https', method: 'POST', host: c2.name, path: '/api/v2/sync', status: 200, userAgent: USER_AGENTS[0] } },
          }),
        );
      }
      const row = labelFor(
        day.date,
        {
          category: 'attack',
          name: 'beaconing',
          src: [host.ipv4],
          dst: [dst],
          dports: [443],
          proto: ['TCP'],
          description: `C2 beaconing: ${host.fqdn} checks in with ${c2.name} over HTTPS every ${BEACON_PERIOD / 1000} s ± ${BEACON_JITTER * 100} %`,
        },
        sessions,
      );
      return plannedDay(sessions, [row]);
    },
  };
}
