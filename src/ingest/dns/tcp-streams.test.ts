import { describe, expect, it } from 'vitest';
import type { RejectReason } from '../../schema/index.js';
import { TcpStreams, type TcpLimits, type TcpMessageHandler } from './tcp-streams.js';
import { TCP, tcpFramed } from './testing.js';

class Messages implements TcpMessageHandler {
  /** Each message as text, with the frame that completed it. */
  readonly got: [number, string][] = [];
  readonly lost: { reason: RejectReason; detail: string; frame: number }[] = [];
  frame = 0;

  tcpMessage(buf: Buffer, start: number, end: number): void {
    this.got.push([this.frame, buf.toString('latin1', start, end)]);
  }

  tcpLost(reason: RejectReason, detail: string, _offset: number, frame: number): void {
    this.lost.push({ reason, detail, frame });
  }
}

const KEY = '10.0.0.1 40000 > 10.0.0.2 53';
const ONE = tcpFramed(Buffer.from('first message'));
const TWO = tcpFramed(Buffer.from('second'));
const THREE = tcpFramed(Buffer.from('the third one, longer'));

/** Feed segments [seq, bytes, flags?] in order, each its own frame (1, 2, …). */
function feed(segments: readonly (readonly [number, Buffer, number?])[], limits?: TcpLimits) {
  const messages = new Messages();
  const streams = new TcpStreams(messages, limits);
  segments.forEach(([seq, bytes, flags], i) => {
    messages.frame = i + 1;
    streams.segment(KEY, seq, flags ?? TCP.ACK | TCP.PSH, bytes, 0, bytes.length, i * 100, i + 1);
  });
  streams.finish();
  return { got: messages.got, lost: messages.lost, evicted: streams.evicted };
}

describe('TcpStreams', () => {
  it('finds two messages in one segment and one message over several, the length prefix split too', () => {
    const all = Buffer.concat([ONE, TWO, THREE]);
    const a = ONE.length + TWO.length;
    expect(feed([[1000, Buffer.alloc(0), TCP.SYN], [1001, all.subarray(0, a)], [1001 + a, all.subarray(a, a + 1)], [1002 + a, all.subarray(a + 1, a + 9)], [1010 + a, all.subarray(a + 9)]])).toEqual({
      got: [
        [2, 'first message'],
        [2, 'second'],
        [5, 'the third one, longer'],
      ],
      lost: [],
      evicted: 0,
    });
  });

  it('holds segments that come early until the gap closes, and drops retransmissions', () => {
    const all = Buffer.concat([ONE, TWO]);
    expect(
      feed([
        [500, all.subarray(10)],
        [490, all.subarray(0, 10)],
        // Late copies of what came already, whole and overlapping.
        [490, all.subarray(0, 10)],
        [495, all.subarray(5)],
      ]).got,
    ).toEqual([]);
    // Joined mid-stream: the first segment seen starts the stream, so the early one is waited for.
    expect(feed([[490, all.subarray(0, 10)], [500 + 4, all.subarray(14)], [500, all.subarray(10, 14)], [495, all.subarray(5)]])).toEqual({
      got: [
        [3, 'first message'],
        [3, 'second'],
      ],
      lost: [],
      evicted: 0,
    });
  });

  it('waits for a gap of a single byte', () => {
    expect(feed([[1, ONE.subarray(0, 3)], [6, ONE.subarray(5)], [4, ONE.subarray(3, 4)], [5, ONE.subarray(4, 5)]]).got).toEqual([[4, 'first message']]);
  });

  it('follows sequence numbers across the 2^32 wrap', () => {
    const start = 2 ** 32 - 5;
    expect(feed([[start, ONE.subarray(0, 8)], [3, ONE.subarray(8)]]).got).toEqual([[2, 'first message']]);
  });

  it('gives up a message whose missing segment never comes, and goes on after the gap', () => {
    const limits = { streams: 10, bytes: 1 << 20, earlySegments: 2 };
    const later = 1000 + ONE.length + 50;
    expect(feed([[1000, ONE.subarray(0, 5)], [later, TWO], [later + TWO.length, THREE], [later + TWO.length + THREE.length, ONE]], limits)).toEqual({
      got: [
        [4, 'second'],
        [4, 'the third one, longer'],
        [4, 'first message'],
      ],
      lost: [{ reason: 'bad-record', detail: `TCP segments missing before sequence number ${later}: a DNS message of which 5 of 15 bytes came is lost`, frame: 1 }],
      evicted: 0,
    });
  });

  it('reports messages left incomplete by FIN, RST or the end of the capture', () => {
    expect(feed([[1, ONE.subarray(0, 6)], [7, Buffer.alloc(0), TCP.FIN | TCP.ACK]]).lost).toEqual([
      { reason: 'bad-record', detail: `TCP connection closed inside a DNS message (${KEY}): 6 of its 15 bytes came`, frame: 1 },
    ]);
    expect(feed([[1, ONE.subarray(0, 1)], [2, Buffer.alloc(0), TCP.RST]]).lost).toEqual([
      { reason: 'bad-record', detail: `TCP connection reset inside a DNS message (${KEY}): 1 of its 2 bytes came`, frame: 1 },
    ]);
    expect(feed([[1, TWO], [1 + TWO.length, THREE.subarray(0, 3)]])).toEqual({
      got: [[1, 'second']],
      lost: [{ reason: 'truncated', detail: `the capture ends inside a DNS message over TCP (${KEY}): 3 of its 23 bytes`, frame: 2 }],
      evicted: 0,
    });
  });

  it('keeps within its limits of streams and bytes', () => {
    const messages = new Messages();
    const streams = new TcpStreams(messages, { streams: 100, bytes: 64 * 1024, earlySegments: 4 });
    for (let i = 0; i < 1000; i++) {
      // Each stream starts a 1000-byte message and never finishes it.
      streams.segment(`stream ${i}`, 1, TCP.ACK, Buffer.concat([Buffer.of(3, 0xe8), Buffer.alloc(600)]), 0, 602, i, i + 1);
      streams.segment(`stream ${i}`, 9999, TCP.ACK, Buffer.alloc(300), 0, 300, i, i + 1);
    }
    // 602 bytes pending and 300 early per stream: 72 streams fit in 64 KiB.
    const kept = Math.floor((64 * 1024) / 902);
    expect(streams.evicted).toBe(1000 - kept);
    streams.finish();
    expect(messages.lost.length).toBe(kept);
  });
});
