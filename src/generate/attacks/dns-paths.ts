import { ephemeralPort } from '../activities/activity.js';
import { RESOLVER_EDNS } from '../activities/dns-forwarding.js';
import { dnsSession } from '../dns/dns-session.js';
import { mixCase } from '../dns/names.js';
import type { Host, Network } from '../network.js';
import type { Prng } from '../prng.js';
import type { DnsExchange, Session } from '../session.js';

/** How an infected workstation reaches its resolver for the day: one address family, as its stack prefers. */
export interface ResolverPath {
  readonly network: Network;
  readonly host: Host;
  readonly resolver: Host;
  readonly src: string;
  readonly dst: string;
  readonly label: string;
}

export function resolverPath(network: Network, host: Host, r: Prng, label: string): ResolverPath {
  const resolver = network.servers.dns[host.index % network.servers.dns.length]!;
  const v6 = host.ipv6 !== null && resolver.ipv6 !== null && r.chance(0.5);
  return { network, host, resolver, src: v6 ? host.ipv6! : host.ipv4, dst: v6 ? resolver.ipv6! : resolver.ipv4, label };
}

/**
 * A malware query through the corporate resolver, as the operating system's resolver API sends
 * it (each from a new port): the workstation's session (labelled) and the resolver's forward.
 */
export function queryViaResolver(path: ResolverPath, r: Prng, t: number, exchange: DnsExchange, upstreamRtt: number, out: Session[]): void {
  const rtt = forwardQuery(path, r, t, exchange, upstreamRtt, out);
  out.push(dnsSession({ start: t, src: path.src, sport: ephemeralPort(r, path.host), dst: path.dst, rtt, transport: 'udp', exchanges: [exchange], label: path.label }));
}

/**
 * The resolver has not cached the name and forwards the query upstream a millisecond after it
 * came in: the resolver's own session (unlabelled, but carrying the attack's name). Returns the
 * round trip the workstation sees, which ends as soon as the upstream answer is in.
 */
export function forwardQuery(path: ResolverPath, r: Prng, t: number, exchange: DnsExchange, upstreamRtt: number, out: Session[]): number {
  const { resolver, network } = path;
  const rtt = Math.max(1, Math.round(upstreamRtt));
  const upstream = network.internet.resolvers;
  const v6 = resolver.ipv6 !== null && r.chance(0.3);
  const name = resolver.index === 1 ? mixCase(r, exchange.query) : exchange.query;
  out.push(
    dnsSession({
      start: Math.round(t) + 1,
      src: v6 ? resolver.ipv6! : resolver.ipv4,
      sport: ephemeralPort(r, resolver),
      dst: r.pick(v6 ? upstream.v6 : upstream.v4),
      rtt,
      transport: 'udp',
      exchanges: [asked({ ...exchange, edns: RESOLVER_EDNS, sent: undefined, rtt: undefined, id: undefined }, name)],
    }),
  );
  return rtt + 2;
}

/** How long a socket session runs before the next free moment cuts it, and the longest silence in it: under the exporter's timeouts. */
const SOCKET_SPAN = 20 * 60_000;
const SOCKET_IDLE = 10_000;
/** Past this, cut even with answers outstanding (the exporter's active timeout is 30 minutes). */
const SOCKET_MAX = 28 * 60_000;

/**
 * A tunnel client's exchanges on its one UDP socket, as the router's flow cache sees them: one
 * session while packets keep coming, a new one after 10 quiet seconds, or after 20 minutes at
 * the first moment no answer is outstanding (so sessions of the socket do not overlap). Each
 * exchange carries when it left and its round trip (`sent`, `rtt`).
 */
export function socketSessions(exchanges: readonly DnsExchange[], socket: { src: string; sport: number; dst: string; label: string }, out: Session[]): void {
  let group: DnsExchange[] = [];
  let busyUntil = 0;
  const flush = () => {
    if (group.length) out.push(dnsSession({ ...socket, start: group[0]!.sent!, rtt: group[0]!.rtt!, transport: 'udp', exchanges: group }));
    group = [];
  };
  for (const e of exchanges) {
    if (e.sent === undefined || e.rtt === undefined) throw new Error('socket exchanges need their times');
    const age = group.length ? e.sent - group[0]!.sent! : 0;
    if (group.length && ((age > SOCKET_SPAN && e.sent > busyUntil) || age > SOCKET_MAX || e.sent - busyUntil > SOCKET_IDLE)) flush();
    group.push(e);
    busyUntil = Math.max(busyUntil, e.sent + e.rtt);
  }
  flush();
}

/** The exchange with its question written as `name` (another case): answers to the question follow it. */
function asked(exchange: DnsExchange, name: string): DnsExchange {
  const rename = <T extends { readonly name: string }>(r: T): T => (r.name === exchange.query ? { ...r, name } : r);
  return { ...exchange, query: name, records: exchange.records?.map(rename), authority: exchange.authority?.map(rename) };
}
