import { TCP_FLAG } from '../shared/tcp-flags.js';
import { FORWARDED, ICMP, ICMP6, TCP, UDP, type AppPayload, type Session } from './session.js';

const { ACK, FIN, PSH, RST, SYN } = TCP_FLAG;

/**
 * Builders that turn "what happened" (payload bytes each way, how the connection ended) into
 * the packets, IP bytes and TCP flags a router would count, so every activity counts alike.
 */

const MSS = 1400;
/** IP + TCP headers with the timestamp option, per packet. */
export const TCP_HEADER = { v4: 52, v6: 72 } as const;
const UDP_HEADER = { v4: 28, v6: 48 } as const;
/** A SYN carries MSS, SACK and window-scale options; a bare RST does not. */
const SYN_BYTES = { v4: 60, v6: 80 } as const;
const RST_BYTES = { v4: 40, v6: 60 } as const;

export interface Common {
  readonly start: number;
  readonly src: string;
  readonly sport: number;
  readonly dst: string;
  readonly dport: number;
  readonly tos?: number;
  readonly fwd?: number;
  readonly label?: string | null;
  readonly app?: AppPayload;
}

export interface TcpSpec extends Common {
  readonly duration: number;
  readonly rtt: number;
  /** Application bytes sent by the initiator. */
  readonly upload: number;
  /** Application bytes sent by the responder. */
  readonly download: number;
  /** How the initiator closed: a FIN handshake (default) or an abort with RST. */
  readonly close?: 'fin' | 'rst';
}

/** A complete TCP connection: handshake, data both ways with delayed ACKs, and the close. */
export function tcpSession(spec: TcpSpec): Session {
  const family = familyOf(spec.src);
  const upData = Math.ceil(spec.upload / MSS);
  const downData = Math.ceil(spec.download / MSS);
  const reqPackets = 2 + upData + Math.ceil(downData / 2) + 1;
  const respPackets = 1 + downData + Math.ceil(upData / 2) + 1;
  const close = spec.close === 'rst' ? RST : FIN;
  const rtt = whole(spec.rtt);
  return countedSession(
    spec,
    TCP,
    Math.max(whole(spec.duration), rtt + 1),
    rtt,
    [reqPackets, Math.round(spec.upload) + reqPackets * TCP_HEADER[family], SYN | ACK | close | (upData > 0 ? PSH : 0)],
    [respPackets, Math.round(spec.download) + respPackets * TCP_HEADER[family], SYN | ACK | FIN | (downData > 0 ? PSH : 0)],
  );
}

export interface UdpSpec extends Common {
  readonly duration: number;
  readonly rtt: number;
  readonly upload: number;
  readonly download: number;
  /** Datagrams each way; by default one per MSS of payload. Zero responses: nobody answered. */
  readonly reqPackets?: number;
  readonly respPackets?: number;
}

export function udpSession(spec: UdpSpec): Session {
  const family = familyOf(spec.src);
  const reqPackets = spec.reqPackets ?? Math.max(1, Math.ceil(spec.upload / MSS));
  const respPackets = spec.respPackets ?? (spec.download > 0 ? Math.max(1, Math.ceil(spec.download / MSS)) : 0);
  const rtt = whole(spec.rtt);
  return countedSession(
    spec,
    UDP,
    Math.max(whole(spec.duration), respPackets ? rtt : 0),
    rtt,
    [reqPackets, Math.round(spec.upload) + reqPackets * UDP_HEADER[family], 0],
    [respPackets, respPackets ? Math.round(spec.download) + respPackets * UDP_HEADER[family] : 0, 0],
  );
}

export interface EchoSpec extends Omit<Common, 'sport' | 'dport'> {
  readonly rtt: number;
  /** Echo requests sent, one per second; all answered unless `answered` is false. */
  readonly count: number;
  readonly answered?: boolean;
}

/** Ping: ICMP echo request (type 8, ICMPv6 128) and its replies, 56 bytes of payload each. */
export function echoSession(spec: EchoSpec): Session {
  const v6 = familyOf(spec.src) === 'v6';
  const bytes = (v6 ? 40 : 20) + 8 + 56;
  const answered = spec.answered ?? true;
  const rtt = whole(spec.rtt);
  const replies = answered ? spec.count : 0;
  return countedSession(
    { ...spec, sport: 0, dport: (v6 ? 128 : 8) * 256 },
    v6 ? ICMP6 : ICMP,
    (spec.count - 1) * 1000 + (answered ? rtt : 0),
    rtt,
    [spec.count, spec.count * bytes, 0],
    [replies, replies * bytes, 0],
  );
}

export interface ProbeSpec extends Common {
  readonly rtt: number;
  /**
   * What the target did with a SYN: open answers SYN-ACK and the scanner resets (a half-open
   * scan); closed answers RST-ACK; silent never answers (no host, or a firewall drop), and the
   * scanner retransmits once after a second.
   */
  readonly outcome: 'open' | 'closed' | 'silent';
}

/** One probe of a SYN scan. */
export function synProbe(spec: ProbeSpec): Session {
  const f = familyOf(spec.src);
  const rtt = whole(spec.rtt);
  switch (spec.outcome) {
    case 'open':
      return countedSession(spec, TCP, rtt + 1, rtt, [2, SYN_BYTES[f] + RST_BYTES[f], SYN | RST], [1, SYN_BYTES[f], SYN | ACK]);
    case 'closed':
      return countedSession(spec, TCP, rtt, rtt, [1, SYN_BYTES[f], SYN], [1, RST_BYTES[f], RST | ACK]);
    case 'silent':
      return countedSession(spec, TCP, 1000, rtt, [2, 2 * SYN_BYTES[f], SYN], [0, 0, 0]);
  }
}

/**
 * A session with every field set, so that all sessions share one object shape (a hot path at scale).
 * Builders of exact packet sequences (the DNS conversations) give their own counts.
 */
export function countedSession(spec: Common, proto: number, duration: number, rtt: number, req: Direction, resp: Direction, reqDuration?: number): Session {
  return {
    start: Math.round(spec.start),
    duration,
    // An echo's last request goes out a round trip before the last reply comes back; elsewhere both sides end together.
    reqDuration: reqDuration ?? (proto === ICMP || proto === ICMP6 ? duration - rtt : duration),
    rtt,
    proto,
    src: spec.src,
    sport: spec.sport,
    dst: spec.dst,
    dport: spec.dport,
    reqPackets: req[0],
    reqBytes: req[1],
    reqFlags: req[2],
    respPackets: resp[0],
    respBytes: resp[1],
    respFlags: resp[2],
    tos: spec.tos ?? 0,
    fwd: spec.fwd ?? FORWARDED,
    label: spec.label ?? null,
    app: spec.app,
  };
}

/** Packets, IP bytes and cumulated TCP flags of one direction. */
export type Direction = readonly [packets: number, bytes: number, flags: number];

/** Addresses come from the network model, so a colon is enough to tell IPv6 (and cheap at scale). */
function familyOf(address: string): 'v4' | 'v6' {
  return address.includes(':') ? 'v6' : 'v4';
}

/** Times are whole milliseconds, as NetFlow carries them; at least 1 ms. */
function whole(ms: number): number {
  return Math.max(1, Math.round(ms));
}
