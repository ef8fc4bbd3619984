import { ephemeralPort, wanRtt } from '../activities/activity.js';
import { dnsSession } from '../dns/dns-session.js';
import { exchangeOf } from '../dns/records.js';
import type { Host, Network } from '../network.js';
import type { Prng } from '../prng.js';
import type { Session } from '../session.js';
import { forwardQuery, resolverPath } from './dns-paths.js';

/**
 * The malware's or the browser's lookup of an attacker's web host before it connects: A through
 * the workstation's resolver, which has not cached it and forwards it to the public resolver.
 * Both sessions are unlabelled, as the DNS attacks' forwarded queries are: the label covers the
 * web traffic. Returns when the answer is back, epoch ms.
 */
export function lookUpWebHost(r: Prng, network: Network, host: Host, t: number, name: string, address: string, ttl: number, out: Session[]): number {
  const path = resolverPath(network, host, r, '');
  const exchange = exchangeOf({ query: name, qtype: 'A', rcode: 'NOERROR', records: [{ name, type: 'A', ttl, data: address }] });
  const rtt = forwardQuery(path, r, t, exchange, wanRtt(r) + r.uniform(5, 40), out);
  out.push(dnsSession({ start: t, src: path.src, sport: ephemeralPort(r, host), dst: path.dst, rtt, transport: 'udp', exchanges: [exchange] }));
  return Math.round(t) + rtt + 1;
}
