import type { RejectReason } from '../../schema/index.js';

/** Where the DNS messages found in TCP streams go. */
export interface TcpMessageHandler {
  /** A whole message, in buf[start, end), completed by the segment being read. */
  tcpMessage(buf: Buffer, start: number, end: number): void;
  /** Bytes of a message that can no longer be completed, with the record of their last segment. */
  tcpLost(reason: RejectReason, detail: string, offset: number, frame: number): void;
}

export interface TcpLimits {
  /** Directions of TCP connections followed at once. */
  readonly streams: number;
  /** Bytes buffered over all of them (incomplete messages and early segments). */
  readonly bytes: number;
  /** Segments held per stream while a gap before them is open. */
  readonly earlySegments: number;
}

export const TCP_LIMITS: TcpLimits = { streams: 10_000, bytes: 64 * 1024 * 1024, earlySegments: 32 };

const SYN = 0x02;
const FIN = 0x01;
const RST = 0x04;
/** A message and its 2-byte length prefix. */
const MESSAGE_MAX = 2 + 65_535;

interface Segment {
  readonly seq: number;
  readonly data: Buffer;
}

class TcpStream {
  /** Sequence number of the next byte expected. */
  next: number;
  /** Bytes of messages not yet complete, from a message boundary. */
  pending: Buffer | null = null;
  pendingLength = 0;
  /** Segments that came before the bytes in front of them (reordering), by sequence number. */
  early: Segment[] = [];
  earlyBytes = 0;
  /** The record of the last segment whose bytes are pending. */
  offset = 0;
  frame = 0;

  constructor(next: number) {
    this.next = next;
  }

  get bytes(): number {
    return (this.pending?.length ?? 0) + this.earlyBytes;
  }
}

/**
 * DNS over TCP (RFC 1035 §4.2.2, RFC 7766): each direction of a connection is a stream of
 * messages, each behind a 2-byte length. Streams are keyed by addresses and ports in that
 * direction and follow sequence numbers: retransmitted bytes are dropped, segments that come
 * early are held until the gap before them closes, several messages in one segment and one
 * message over several segments are both found. A stream seen without its SYN starts at its first
 * segment with data, assumed to begin a message. Memory is bounded: the least recently used
 * streams are dropped beyond the limits, and a gap that does not close within the early-segment
 * limit (capture loss) loses the message in progress.
 */
export class TcpStreams {
  readonly #streams = new Map<string, TcpStream>();
  #bytes = 0;
  /** The record of the segment being read. */
  #offset = 0;
  #frame = 0;
  /** Streams dropped to stay within the limits. */
  evicted = 0;

  constructor(
    private readonly handler: TcpMessageHandler,
    private readonly limits: TcpLimits = TCP_LIMITS,
  ) {}

  /** One segment: flags as in the TCP header, payload in buf[start, end), its record for reports. */
  segment(key: string, seq: number, flags: number, buf: Buffer, start: number, end: number, offset: number, frame: number): void {
    let stream = this.#streams.get(key);
    if (flags & SYN) {
      if (stream) this.#close(key, stream);
      seq = (seq + 1) >>> 0;
      stream = new TcpStream(seq);
    } else if (!stream) {
      if (end <= start) return;
      stream = new TcpStream(seq);
    } else {
      this.#streams.delete(key);
    }
    this.#streams.set(key, stream);
    this.#offset = offset;
    this.#frame = frame;
    const before = stream.bytes;
    if (end > start) this.#receive(stream, seq, buf, start, end);
    this.#bytes += stream.bytes - before;
    if (flags & (FIN | RST)) this.#close(key, stream, flags & RST ? 'reset' : 'closed');
    else this.#bound();
  }

  /** The end of the capture: messages still incomplete are reported as truncated. */
  finish(): void {
    for (const [key, stream] of this.#streams) {
      if (stream.pendingLength > 0) {
        this.handler.tcpLost('truncated', `the capture ends inside a DNS message over TCP (${key}): ${stream.pendingLength} of its ${expected(stream)} bytes`, stream.offset, stream.frame);
      }
    }
    this.#streams.clear();
    this.#bytes = 0;
  }

  #receive(stream: TcpStream, seq: number, buf: Buffer, start: number, end: number): void {
    const ahead = (seq - stream.next) | 0;
    if (ahead > 0) {
      if (stream.early.length < this.limits.earlySegments) {
        const data = Buffer.from(buf.subarray(start, end));
        stream.early.push({ seq, data });
        stream.early.sort((a, b) => ((a.seq - b.seq) | 0));
        stream.earlyBytes += data.length;
        return;
      }
      this.#skipGap(stream);
      return this.#receive(stream, seq, buf, start, end);
    }
    if (ahead < 0) {
      if (-ahead >= end - start) return;
      start -= ahead;
    }
    this.#append(stream, buf, start, end);
    this.#drainEarly(stream);
  }

  /** The bytes before the early segments never came: give up the message in progress and go on from them. */
  #skipGap(stream: TcpStream): void {
    if (stream.pendingLength > 0) {
      this.handler.tcpLost('bad-record', `TCP segments missing before sequence number ${stream.early[0]!.seq}: a DNS message of which ${stream.pendingLength} of ${expected(stream)} bytes came is lost`, stream.offset, stream.frame);
    }
    stream.pending = null;
    stream.pendingLength = 0;
    stream.next = stream.early[0]!.seq;
    this.#drainEarly(stream);
  }

  #drainEarly(stream: TcpStream): void {
    while (stream.early.length > 0) {
      const first = stream.early[0]!;
      const ahead = (first.seq - stream.next) | 0;
      if (ahead > 0) return;
      stream.early.shift();
      stream.earlyBytes -= first.data.length;
      if (-ahead < first.data.length) this.#append(stream, first.data, -ahead, first.data.length);
    }
  }

  /** In-order bytes: hand on the messages they complete and keep the rest. */
  #append(stream: TcpStream, buf: Buffer, start: number, end: number): void {
    stream.next = (stream.next + (end - start)) >>> 0;
    if (stream.pendingLength === 0) {
      const used = this.#messages(buf, start, end);
      if (used < end) this.#keep(stream, buf, used, end);
      return;
    }
    this.#keep(stream, buf, start, end);
    const pending = stream.pending!;
    const used = this.#messages(pending, 0, stream.pendingLength);
    if (used === stream.pendingLength) {
      stream.pending = null;
      stream.pendingLength = 0;
    } else if (used > 0) {
      pending.copyWithin(0, used, stream.pendingLength);
      stream.pendingLength -= used;
    }
  }

  /** Hand on every whole message in buf[start, end); the position after the last one. */
  #messages(buf: Buffer, start: number, end: number): number {
    let p = start;
    while (end - p >= 2) {
      const length = (buf[p]! << 8) | buf[p + 1]!;
      if (end - p - 2 < length) break;
      this.handler.tcpMessage(buf, p + 2, p + 2 + length);
      p += 2 + length;
    }
    return p;
  }

  #keep(stream: TcpStream, buf: Buffer, start: number, end: number): void {
    const needed = stream.pendingLength + (end - start);
    if (!stream.pending || stream.pending.length < needed) {
      const larger = Buffer.alloc(Math.min(MESSAGE_MAX + (end - start), Math.max(needed, 2 * (stream.pending?.length ?? 256))));
      stream.pending?.copy(larger, 0, 0, stream.pendingLength);
      stream.pending = larger;
    }
    buf.copy(stream.pending, stream.pendingLength, start, end);
    stream.pendingLength = needed;
    stream.offset = this.#offset;
    stream.frame = this.#frame;
  }

  #close(key: string, stream: TcpStream, how?: 'closed' | 'reset'): void {
    if (how && stream.pendingLength > 0) {
      this.handler.tcpLost('bad-record', `TCP connection ${how} inside a DNS message (${key}): ${stream.pendingLength} of its ${expected(stream)} bytes came`, stream.offset, stream.frame);
    }
    this.#bytes -= stream.bytes;
    this.#streams.delete(key);
  }

  #bound(): void {
    for (const [key, stream] of this.#streams) {
      if (this.#streams.size <= this.limits.streams && this.#bytes <= this.limits.bytes) return;
      this.#close(key, stream);
      this.evicted++;
    }
  }
}

/** Length of the message a stream's pending bytes begin, its prefix included. */
function expected(stream: TcpStream): number {
  return stream.pendingLength >= 2 ? 2 + ((stream.pending![0]! << 8) | stream.pending![1]!) : 2;
}
