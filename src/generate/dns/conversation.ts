import { Prng } from '../prng.js';
import { TCP, UDP } from '../session.js';

/**
 * The packets of one DNS session, to the microsecond: a UDP query and its response, or a TCP
 * connection (handshake, length-prefixed queries and responses, the client's close). The same
 * plan sizes the session's NetFlow counters when the session is built and lays out the frames
 * when the capture is written, so both agree packet for packet and byte for byte.
 *
 * The capture point sits on the client's side (the workstation trunk, the resolvers' uplink):
 * a client reacts within microseconds of a server packet, a server's packet arrives a round trip
 * after the client's. Times keep the session's milliseconds: the first packet falls in the
 * `start` millisecond, the server's first in `start + rtt`, and the last packets of both sides
 * in the session's last millisecond, which is where the exporter places both records' ends.
 * Everything not in the session (ids, microseconds, sequence numbers, how TCP cuts the
 * streams) comes from a random stream keyed by the session, so a plan is the same every time.
 */

export interface ConversationSpec {
  /** Epoch ms, whole. */
  readonly start: number;
  /** Whole ms, at least 1. */
  readonly rtt: number;
  readonly proto: number;
  readonly src: string;
  readonly sport: number;
  readonly dst: string;
  readonly dport: number;
}

/** Message lengths of the exchanges, in order. */
export interface MessageLengths {
  readonly queries: readonly number[];
  readonly responses: readonly number[];
}

export interface TcpFields {
  readonly seq: number;
  readonly ack: number;
  readonly flags: number;
  readonly window: number;
  readonly tsval: number;
  readonly tsecr: number;
  /** SYN segments carry MSS, SACK-permitted, timestamps and window scale; the others timestamps only. */
  readonly syn: boolean;
}

export interface PlannedPacket {
  /** Epoch µs. */
  readonly time: number;
  readonly fromClient: boolean;
  /** UDP: the message's bytes [0, length); TCP: the range of the sender's byte stream. */
  readonly from: number;
  readonly to: number;
  readonly tcp: TcpFields | null;
  /** Exchanges whose message in this direction ends in this packet. */
  readonly completes: readonly number[];
  /** IP header, transport header and payload. */
  readonly ipLength: number;
}

export interface Conversation {
  /** Transaction id of each exchange. */
  readonly ids: readonly number[];
  /** In time order. */
  readonly packets: readonly PlannedPacket[];
}

const TCP_FLAG = { FIN: 0x01, SYN: 0x02, PSH: 0x08, ACK: 0x10 } as const;
/** TCP option bytes: MSS, SACK-permitted, timestamps, NOP, window scale on a SYN; NOP, NOP, timestamps after. */
export const TCP_OPTIONS = { syn: 20, other: 12 } as const;
export const WINDOW_SCALE = 7;

/** When each exchange of a UDP socket session left and how long its answer took (ms). */
export interface ExchangeTiming {
  readonly sent: number;
  readonly rtt: number;
}

/**
 * `timing` is for UDP sessions that carry several exchanges on one socket; a single exchange
 * leaves at `start` and is answered `rtt` later.
 */
export function planConversation(spec: ConversationSpec, lengths: MessageLengths, timing?: readonly ExchangeTiming[]): Conversation {
  const r = new Prng(`dns/${spec.src}/${spec.sport}/${spec.dst}/${spec.dport}/${spec.start}/${spec.proto}`);
  const ids = lengths.queries.map(() => r.int(0, 65535));
  if (spec.proto === UDP) return { ids, packets: planUdp(spec, lengths, r, timing ?? [{ sent: spec.start, rtt: spec.rtt }]) };
  if (spec.proto !== TCP) throw new Error(`DNS over protocol ${spec.proto}`);
  return { ids, packets: planTcp(spec, lengths, r) };
}

/** Each query in its datagram, each response in its own, a round trip later. */
function planUdp(spec: ConversationSpec, lengths: MessageLengths, r: Prng, timing: readonly ExchangeTiming[]): PlannedPacket[] {
  if (timing.length !== lengths.queries.length) throw new Error('a UDP session needs the timing of each of its exchanges');
  const ip = spec.src.includes(':') ? 48 : 28;
  const packets: PlannedPacket[] = [];
  timing.forEach(({ sent, rtt }, i) => {
    const q = lengths.queries[i]!;
    const a = lengths.responses[i]!;
    packets.push({ time: sent * 1000 + r.int(0, 999), fromClient: true, from: 0, to: q, tcp: null, completes: [i], ipLength: ip + q });
    packets.push({ time: (sent + rtt) * 1000 + r.int(0, 999), fromClient: false, from: 0, to: a, tcp: null, completes: [i], ipLength: ip + a });
  });
  return timing.length > 1 ? packets.sort((x, y) => x.time - y.time) : packets;
}

/** The client opens, sends its queries, reads the responses and closes (RFC 7766). */
function planTcp(spec: ConversationSpec, lengths: MessageLengths, r: Prng): PlannedPacket[] {
  const v6 = spec.src.includes(':');
  const ipHeader = v6 ? 40 : 20;
  const maxSegment = (v6 ? 1440 : 1460) - TCP_OPTIONS.other;
  const rttUs = spec.rtt * 1000;
  const isn = { c: r.next(), s: r.next() };
  const clock = { c: r.next(), s: r.next() };
  const t0 = spec.start * 1000 + r.int(0, 999);
  const k = lengths.queries.length;
  // How each side writes: the 2-byte length apart from the message (as some stacks do), all queries at once, all responses at once.
  const clientApart = r.chance(0.3);
  const serverApart = r.chance(0.25);
  const pipelined = k > 1 && r.chance(0.7);
  const coalesce = k > 1 && r.chance(0.6);
  const cStream = framing(lengths.queries);
  const sStream = framing(lengths.responses);

  const packets: PlannedPacket[] = [];
  /**
   * One segment. `from`/`to` is the range of the sender's stream it carries, `acked` how much of the
   * peer's stream it acknowledges; SYN and FIN each count as one byte of sequence space.
   */
  const push = (time: number, client: boolean, from: number, to: number, acked: number, flags: number, tsecr: number): number => {
    const syn = (flags & TCP_FLAG.SYN) !== 0;
    const stream = client ? cStream : sStream;
    const completes: number[] = [];
    for (let i = 0; i < stream.ends.length; i++) if (stream.ends[i]! > from && stream.ends[i]! <= to) completes.push(i);
    const own = client ? isn.c : isn.s;
    const other = client ? isn.s : isn.c;
    const seq = syn ? own : own + 1 + from;
    const ack = flags & TCP_FLAG.ACK ? other + 1 + acked : 0;
    const window = syn ? (client ? 64240 : 65160) : client ? 502 : 509;
    const tsval = ((client ? clock.c : clock.s) + Math.floor((time - t0) / 1000)) >>> 0;
    const tcp = { seq: seq >>> 0, ack: ack >>> 0, flags, window, tsval, tsecr, syn };
    packets.push({ time, fromClient: client, from, to, tcp, completes, ipLength: ipHeader + 20 + (syn ? TCP_OPTIONS.syn : TCP_OPTIONS.other) + to - from });
    return tsval;
  };
  const { SYN, ACK, PSH, FIN } = TCP_FLAG;

  const synTs = push(t0, true, 0, 0, 0, SYN, 0);
  const synAck = (spec.start + spec.rtt) * 1000 + r.int(0, 999);
  let serverTs = push(synAck, false, 0, 0, 0, SYN | ACK, synTs);
  let t = synAck + r.int(15, 40);
  push(t, true, 0, 0, 0, ACK, serverTs);

  let queryTs = 0;
  t += r.int(2, 10);
  for (const [from, to, last] of segments(writes(cStream, clientApart, pipelined), maxSegment)) {
    queryTs = push(t, true, from, to, 0, ACK | (last ? PSH : 0), serverTs);
    t += r.int(3, 12);
  }
  const lastQuery = packets[packets.length - 1]!.time;

  // The first response comes a round trip plus the server's work after the last query.
  t = lastQuery + rttUs + r.int(50, 3000);
  let unacked = 0;
  let previousWrite = -1;
  let lastResponse = t;
  for (const [from, to, last, write] of segments(writes(sStream, serverApart, coalesce), maxSegment)) {
    if (previousWrite >= 0 && write !== previousWrite) t += r.int(20, 1500);
    previousWrite = write;
    serverTs = push(t, false, from, to, cStream.total, ACK | (last ? PSH : 0), queryTs);
    lastResponse = t;
    // The client acknowledges every second segment at once, before the next one arrives.
    if (++unacked === 2) {
      push(t + r.int(3, 6), true, cStream.total, cStream.total, to, ACK, serverTs);
      unacked = 0;
    }
    t += r.int(8, 14);
  }

  const fin = lastResponse + r.int(40, 300);
  const finTs = push(fin, true, cStream.total, cStream.total, sStream.total, FIN | ACK, serverTs);
  let serverFin = fin + rttUs + r.int(0, 200);
  // The client's last ACK follows within microseconds: keep both in one millisecond.
  if (serverFin % 1000 > 950) serverFin -= 100;
  serverTs = push(serverFin, false, sStream.total, sStream.total, cStream.total + 1, FIN | ACK, finTs);
  push(serverFin + r.int(10, 40), true, cStream.total + 1, cStream.total + 1, sStream.total + 1, ACK, serverTs);
  // Client ACKs land a few µs after a server segment and before the next; the sort is stable for ties.
  return packets.sort((a, b) => a.time - b.time);
}

/** A side's byte stream: each message behind its 2-byte length. */
interface Stream {
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  readonly total: number;
}

function framing(lengths: readonly number[]): Stream {
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  for (const n of lengths) {
    starts.push(at);
    at += 2 + n;
    ends.push(at);
  }
  return { starts, ends, total: at };
}

/** The application's writes as stream ranges: all at once, one per message, or lengths apart from messages. */
function writes(s: Stream, apart: boolean, together: boolean): [number, number][] {
  if (apart) return s.starts.flatMap((start, i): [number, number][] => [[start, start + 2], [start + 2, s.ends[i]!]]);
  if (together) return [[0, s.total]];
  return s.starts.map((start, i) => [start, s.ends[i]!]);
}

/** TCP cuts each write into segments of at most `max` bytes: [from, to, last of its write, write index]. */
function* segments(ranges: [number, number][], max: number): Generator<[number, number, boolean, number]> {
  for (let w = 0; w < ranges.length; w++) {
    const [from, to] = ranges[w]!;
    for (let a = from; a < to; a += max) yield [a, Math.min(a + max, to), a + max >= to, w];
  }
}
