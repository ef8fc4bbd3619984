import { labelFor, labelId, plannedDay, wanRtt, type Activity } from '../activities/activity.js';
import { HOUR, poweredOn } from '../calendar.js';
import { suffixSoa } from '../dns/internet-names.js';
import { publicSuffix } from '../dns/names.js';
import { exchangeOf } from '../dns/records.js';
import { Prng } from '../prng.js';
import type { Session } from '../session.js';
import { queryViaResolver, resolverPath } from './dns-paths.js';
import type { Victims } from './victims.js';

/** Domains the algorithm makes per day, and how many of them the botnet's operators registered. */
export const DGA_DOMAINS = 300;
export const DGA_REGISTERED = 5;
const TLDS = ['com', 'net', 'org', 'info', 'biz', 'xyz', 'top'];
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/**
 * A domain generation algorithm: the malware derives the day's domains from the date alone (as
 * real families do, so every infected host agrees) and asks for them one after the other, a few
 * per second, in the morning when the machine is on: hundreds of random-looking names in a few
 * minutes, nearly all NXDOMAIN; the few the operators registered resolve to their servers.
 * Through the corporate resolver, which forwards every one of them.
 */
export function dga(victims: Victims): Activity {
  return {
    name: 'dga',
    plan(day) {
      const r = day.prng;
      const host = victims.dga;
      const label = labelId('dga', day.date);
      const start = day.start + 8 * HOUR + r.int(0, 3 * HOUR);
      if (!poweredOn(host.alwaysOn, start)) return plannedDay([], []);
      const path = resolverPath(day.network, host, r, label);
      const names = dgaDomains(day.date);
      const registered = new Set(r.sample(names, DGA_REGISTERED));
      const sessions: Session[] = [];
      let t = start;
      for (const name of names) {
        const answer = registered.has(name)
          ? { rcode: 'NOERROR' as const, records: [{ name, type: 'A' as const, ttl: 300, data: `203.0.113.${r.int(100, 250)}` }] }
          : { rcode: 'NXDOMAIN' as const, authority: [suffixSoa(publicSuffix(name))] };
        queryViaResolver(path, r, t, exchangeOf({ query: name, qtype: 'A', ...answer }), wanRtt(r) + r.uniform(5, 80), sessions);
        t += r.int(150, 900);
      }
      const row = labelFor(
        day.date,
        {
          category: 'attack',
          name: 'dga',
          src: [path.src],
          dst: [path.dst],
          dports: [53],
          proto: ['UDP'],
          description:
            `DGA: ${host.fqdn} asks its resolver for ${DGA_DOMAINS} generated domains in minutes, ${DGA_DOMAINS - DGA_REGISTERED} of them NXDOMAIN; ` +
            `the resolver's forwarded queries are not labelled`,
        },
        sessions.filter((s) => s.label === label),
      );
      return plannedDay(sessions, [row]);
    },
  };
}

/** The day's domains: 10 to 18 letters under common TLDs, from the date only. */
export function dgaDomains(date: string): string[] {
  const g = new Prng(`dga/${date}`);
  return Array.from({ length: DGA_DOMAINS }, () => {
    let label = '';
    for (let i = g.int(10, 18); i > 0; i--) label += LETTERS[g.int(0, 25)];
    return `${label}.${g.pick(TLDS)}`;
  });
}
