import { labelFor, labelId, plannedDay, wanRtt, type Activity } from '../activities/activity.js';
import { DAY } from '../calendar.js';
import { exchangeOf, txtStrings } from '../dns/records.js';
import type { Prng } from '../prng.js';
import type { Session } from '../session.js';
import { queryViaResolver, resolverPath } from './dns-paths.js';
import type { Victims } from './victims.js';

/** The C2 name the implant asks (a reserved domain, RFC 2606), its check-in period and jitter (uniform, as a share). */
export const DNS_BEACON_NAME = 'api.metrics-cache.example';
export const DNS_BEACON_PERIOD = 120_000;
export const DNS_BEACON_JITTER = 0.1;
/** A TTL far below the period: every check-in misses the caches and reaches the C2's name server. */
export const DNS_BEACON_TTL = 5;

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Command and control over DNS: an implant asks for the TXT record of one C2 name every 90 s,
 * give or take 10 %, all day, through the corporate resolver. The answer is a short token; now
 * and then a task, a few hundred characters of base64.
 */
export function dnsBeaconing(victims: Victims): Activity {
  return {
    name: 'dns-beaconing',
    plan(day) {
      const r = day.prng;
      const host = victims.dnsBeacon;
      const label = labelId('dns-beaconing', day.date);
      const path = resolverPath(day.network, host, r, label);
      const sessions: Session[] = [];
      const period = () => Math.round(DNS_BEACON_PERIOD * (1 + r.uniform(-DNS_BEACON_JITTER, DNS_BEACON_JITTER)));
      for (let t = day.start + r.int(0, DNS_BEACON_PERIOD); t < day.start + DAY; t += period()) {
        const text = base64(r, r.chance(0.03) ? r.int(150, 250) : 16);
        const exchange = exchangeOf({ query: DNS_BEACON_NAME, qtype: 'TXT', rcode: 'NOERROR', records: [{ name: DNS_BEACON_NAME, type: 'TXT', ttl: DNS_BEACON_TTL, data: txtStrings(text) }] });
        queryViaResolver(path, r, t, exchange, wanRtt(r) + r.uniform(2, 30), sessions);
      }
      const row = labelFor(
        day.date,
        {
          category: 'attack',
          name: 'dns-beaconing',
          src: [path.src],
          dst: [path.dst],
          dports: [53],
          proto: ['UDP'],
          description:
            `C2 over DNS: ${host.fqdn} asks for the TXT record of ${DNS_BEACON_NAME} (TTL ${DNS_BEACON_TTL} s) every ${DNS_BEACON_PERIOD / 1000} s ± ${DNS_BEACON_JITTER * 100} % ` +
            `through its resolver; the resolver's forwarded queries are not labelled`,
        },
        sessions.filter((s) => s.label === label),
      );
      return plannedDay(sessions, [row]);
    },
  };
}

/** Base64 of `bytes` random bytes. */
function base64(r: Prng, bytes: number): string {
  let s = '';
  for (let i = 0; i < Math.ceil(bytes / 3) * 4; i++) s += BASE64[r.int(0, 63)];
  return s;
}
