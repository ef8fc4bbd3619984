import type { Prng } from '../prng.js';
import type { DnsExchange, Session } from '../session.js';
import { dnsSession, responseLength } from './dns-session.js';

/** Without EDNS a DNS message over UDP holds at most 512 bytes (RFC 1035 §4.2.1). */
export const CLASSIC_UDP_LIMIT = 512;

export interface AskSpec {
  readonly start: number;
  readonly src: string;
  readonly sport: number;
  readonly dst: string;
  readonly rtt: number;
  readonly exchange: DnsExchange;
  readonly label?: string | null;
}

export interface Retry {
  /** Source port of the TCP connection. */
  readonly sport: number;
  /** Queries the client sends on the same connection after the retried one. */
  readonly pipelined?: readonly DnsExchange[];
}

/**
 * A client asks over UDP. When the answer exceeds what the client can take over UDP (512 bytes,
 * or its EDNS size), the server sends it truncated (TC, no records) and the client asks again
 * over TCP from a new port, a millisecond or two later (RFC 7766). Appends the sessions and
 * returns the one that carries the answer.
 */
export function ask(spec: AskSpec, r: Prng, out: Session[], retry: () => Retry): Session {
  const { exchange } = spec;
  const common = { src: spec.src, dst: spec.dst, rtt: spec.rtt, label: spec.label ?? null };
  if (!exceedsUdp(exchange)) {
    const s = dnsSession({ ...common, start: spec.start, sport: spec.sport, transport: 'udp', exchanges: [exchange] });
    out.push(s);
    return s;
  }
  const udp = dnsSession({ ...common, start: spec.start, sport: spec.sport, transport: 'udp', exchanges: [truncated(exchange)] });
  const { sport, pipelined = [] } = retry();
  const tcp = dnsSession({ ...common, start: udp.start + udp.duration + r.int(1, 3), sport, transport: 'tcp', exchanges: [exchange, ...pipelined] });
  out.push(udp, tcp);
  return tcp;
}

export function exceedsUdp(exchange: DnsExchange): boolean {
  return responseLength(exchange) > (exchange.edns ?? CLASSIC_UDP_LIMIT);
}

/** The UDP answer that did not fit: the question, TC set, no records. */
export function truncated(exchange: DnsExchange): DnsExchange {
  return { ...exchange, truncated: true, answers: [], ttl: 0, records: [], authority: [], additional: [] };
}
