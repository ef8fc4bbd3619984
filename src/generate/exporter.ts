import { protoName } from '../shared/iana-proto.js';
import { flagString, type FlowRecord } from './flow-record.js';
import type { RoutingTable } from './routing.js';
import { TCP_FLAG } from '../shared/tcp-flags.js';
import { ICMP, ICMP6, TCP, type Session } from './session.js';

const { ACK, FIN, PSH, RST, SYN } = TCP_FLAG;

export interface ExporterTimeouts {
  /** A flow still active after this long is exported and a new record started (Cisco default 30 min). */
  readonly activeMs: number;
  /** A flow idle this long is exported; closed TCP flows go at the next cache sweep instead. */
  readonly inactiveMs: number;
}

/** How long after a FIN or RST the flow cache sweep exports a closed TCP flow. */
const SWEEP_MS = 1000;

/**
 * The router's flow cache: turns each bidirectional session into unidirectional records, one
 * per direction (none for an answer that never came), splits flows longer than the active
 * timeout, and releases records in the order the router exports them.
 */
export class FlowExporter {
  #pending: FlowRecord[] = [];

  constructor(
    readonly routing: RoutingTable,
    readonly timeouts: ExporterTimeouts,
  ) {}

  add(session: Session): void {
    const end = session.start + session.duration;
    const reqEnd = session.reqPackets > 1 ? session.start + session.reqDuration : session.start;
    this.#direction(session, true, session.start, reqEnd);
    if (session.respPackets > 0) {
      const respStart = session.start + session.rtt;
      this.#direction(session, false, respStart, session.respPackets > 1 ? end : respStart);
    }
  }

  /** Records the router has exported by `time` (exclusive), in export order. */
  drain(time: number): FlowRecord[] {
    // Array sort is stable: records exported at the same millisecond keep their creation order.
    this.#pending.sort((a, b) => a.exported - b.exported);
    let n = 0;
    while (n < this.#pending.length && this.#pending[n]!.exported < time) n++;
    const out = this.#pending.slice(0, n);
    this.#pending = this.#pending.slice(n);
    return out;
  }

  /** Everything still in the cache, as the router flushes it on shutdown. */
  drainAll(): FlowRecord[] {
    return this.drain(Infinity);
  }

  #direction(s: Session, forward: boolean, tstart: number, tend: number): void {
    const packets = forward ? s.reqPackets : s.respPackets;
    const bytes = forward ? s.reqBytes : s.respBytes;
    const flags = s.proto === TCP ? (forward ? s.reqFlags : s.respFlags) : 0;
    const closed = (flags & (FIN | RST)) !== 0;
    const active = this.timeouts.activeMs;
    const pieces = Math.max(1, Math.ceil((tend - tstart + 1) / active));
    if (pieces === 1) {
      const exported = tend + (closed ? SWEEP_MS : this.timeouts.inactiveMs);
      this.#pending.push(this.#record(s, forward, tstart, tend, packets, bytes, flags, exported));
      return;
    }
    // Long flows: one record per active timeout, packets and bytes shared in proportion of time.
    let sentPackets = 0;
    let sentBytes = 0;
    const span = tend - tstart + 1;
    for (let i = 0; i < pieces; i++) {
      const last = i === pieces - 1;
      const pieceStart = tstart + i * active;
      const pieceEnd = last ? tend : pieceStart + active - 1;
      const cumPackets = last ? packets : Math.round((packets * (pieceEnd - tstart + 1)) / span);
      const ipkt = cumPackets - sentPackets;
      if (ipkt <= 0) continue; // no packet in this stretch: the router has nothing to report
      const ibyt = (last ? bytes : Math.round((bytes * cumPackets) / packets)) - sentBytes;
      sentPackets += ipkt;
      sentBytes += ibyt;
      const pieceFlags = i === 0 ? flags & ~(FIN | RST) : last ? flags & ~SYN : flags & (ACK | PSH);
      const exported = last ? pieceEnd + (closed ? SWEEP_MS : this.timeouts.inactiveMs) : pieceStart + active;
      this.#pending.push(this.#record(s, forward, pieceStart, pieceEnd, ipkt, ibyt, pieceFlags, exported));
    }
  }

  /** One record; an object literal with every field, so all records share one shape (this runs millions of times). */
  #record(s: Session, forward: boolean, tstart: number, tend: number, ipkt: number, ibyt: number, flags: number, exported: number): FlowRecord {
    const sip = forward ? s.src : s.dst;
    const dip = forward ? s.dst : s.src;
    const from = this.routing.lookup(sip);
    const to = this.routing.lookup(dip);
    const icmp = s.proto === ICMP || s.proto === ICMP6;
    return {
      tstart,
      tend,
      sip,
      dip,
      sport: icmp ? 0 : forward ? s.sport : s.dport,
      dport: icmp ? (forward ? s.dport : icmpReply(s.dport)) : forward ? s.dport : s.sport,
      proto: protoName(s.proto),
      flag: flagString(flags),
      stos: s.tos,
      dtos: s.tos,
      ipkt,
      ibyt,
      input: from.ifIndex,
      output: to.ifIndex,
      sas: from.asn,
      das: to.asn,
      dir: 0,
      fwd: s.fwd,
      exported,
      label: s.label,
    };
  }
}

/** The reply to an ICMP message, as type * 256 + code: echo request 8 → reply 0, ICMPv6 128 → 129. */
function icmpReply(typeCode: number): number {
  const type = typeCode >> 8;
  if (type === 8) return 0;
  if (type === 128) return 129 * 256;
  return typeCode;
}
