import { ask } from '../dns/ask.js';
import { mixCase, reverseName, typo } from '../dns/names.js';
import { DnsWorld, type Question } from '../dns/world.js';
import type { Host } from '../network.js';
import type { Prng } from '../prng.js';
import { ephemeralPort, eventTimes, hostStreams, wanRtt, type Activity } from './activity.js';

/** Cache misses the resolvers forward upstream, per workstation per weekday. */
const FORWARDED = 60;
/** EDNS0 UDP payload size of the resolvers (the DNS flag day 2020 default). */
export const RESOLVER_EDNS = 1232;

/**
 * The resolvers forwarding cache misses to the public resolver (Quad9), with EDNS0, over UDP,
 * and over TCP when an answer exceeds 1232 bytes, then often with a second query on the same
 * connection. The second resolver randomises the case of its queries (DNS 0x20). Besides the
 * users' names: the mail server's MX, SPF and DMARC lookups, PTR lookups of the addresses that
 * connect to it, the update services, typos, and a domain whose broken DNSSEC fails (SERVFAIL).
 */
export const dnsForwarding: Activity = {
  name: 'dns-forwarding',
  plan(day) {
    const { network } = day;
    const world = DnsWorld.of(network);
    const { internet } = world;
    const resolvers = network.servers.dns;
    const upstream = network.internet.resolvers;
    const streams = hostStreams(day.prng, resolvers);
    const perResolver = (FORWARDED * network.workstations.length * day.scale) / resolvers.length;
    const question = (r: Prng, resolver: Host): Question => {
      const k = r.float();
      const q = (name: string, qtype: Question['qtype'] = 'A'): Question => ({ name: resolver.index === 1 ? mixCase(r, name) : name, qtype });
      const address = () => (r.chance(0.4) ? 'AAAA' : 'A');
      if (k < 0.62) return q(internet.pickName(r), address());
      if (k < 0.7) return q(r.pick(network.internet.web).name, address());
      if (k < 0.76) return q(internet.pickDomain(r), 'MX');
      if (k < 0.82) return q(internet.pickDomain(r), 'TXT');
      if (k < 0.84) return q(`_dmarc.${internet.pickDomain(r)}`, 'TXT');
      if (k < 0.87) return q(reverseName(r.pick(network.internet.clients.v4)), 'PTR');
      if (k < 0.93) {
        const t = typo(r, internet.pickDomain(r));
        return q(internet.resolves(t) ? `${t}x` : t);
      }
      if (k < 0.95) return q(internet.pickDomain(r), 'NS');
      if (k < 0.99) return q(r.pick(network.internet.updates).name, address());
      return q('dnssec-failed.org');
    };
    return {
      labels: [],
      sessions(window, out) {
        resolvers.forEach((resolver, i) => {
          const r = streams[i]!;
          const times = [...eventTimes(r, window, perResolver * 0.6, 'user'), ...eventTimes(r, window, perResolver * 0.4, 'flat')];
          for (const t of times) {
            const v6 = resolver.ipv6 !== null && r.chance(0.3);
            const src = v6 ? resolver.ipv6! : resolver.ipv4;
            const dst = r.pick(v6 ? upstream.v6 : upstream.v4);
            const exchange = world.upstream(question(r, resolver), r, RESOLVER_EDNS);
            const retry = () => ({
              sport: ephemeralPort(r, resolver),
              pipelined: r.chance(0.5) ? [world.upstream(question(r, resolver), r, RESOLVER_EDNS)] : [],
            });
            ask({ start: t, src, sport: ephemeralPort(r, resolver), dst, rtt: wanRtt(r), exchange }, r, out, retry);
          }
        });
      },
    };
  },
};
