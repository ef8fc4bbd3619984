import { describe, expect, it } from 'vitest';
import type { RejectReason } from '../../schema/index.js';
import { captureKind } from './capture-format.js';
import { CaptureReader } from './capture-reader.js';
import { InterfaceClock } from './interface-clock.js';
import type { PacketHandler } from './record-format.js';
import { pcapFile, PcapngWriter } from './testing.js';

interface Seen {
  packets: { linkType: number; data: string; origLen: number; micros: number; offset: number; frame: number }[];
  bad: { reason: RejectReason; offset: number; frame: number; detail: string }[];
}

class Recorder implements PacketHandler {
  readonly seen: Seen = { packets: [], bad: [] };

  packet(linkType: number, data: Buffer, start: number, capLen: number, origLen: number, micros: number, offset: number, frame: number): void {
    this.seen.packets.push({ linkType, data: data.toString('hex', start, start + capLen), origLen, micros, offset, frame });
  }

  badRecord(reason: RejectReason, offset: number, frame: number, detail: string): void {
    this.seen.bad.push({ reason, offset, frame, detail });
  }
}

/** Read the bytes in chunks of the given sizes (cycled). */
function readCapture(bytes: Buffer, chunkSizes: readonly number[] = [bytes.length]): Seen {
  const recorder = new Recorder();
  const reader = new CaptureReader(recorder);
  for (let pos = 0, i = 0; pos < bytes.length && !reader.stopped; i++) {
    const size = Math.max(1, chunkSizes[i % chunkSizes.length]!);
    reader.push(bytes.subarray(pos, pos + size));
    pos += size;
  }
  reader.end();
  return recorder.seen;
}

const A = Buffer.from('aaaaaaaaaaaaaaaaaaaa', 'hex');
const B = Buffer.from('bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 'hex');

describe('CaptureReader on pcap', () => {
  const expected = (micros: [number, number]) => [
    { linkType: 1, data: A.toString('hex'), origLen: 60, micros: micros[0], offset: 24, frame: 1 },
    { linkType: 1, data: B.toString('hex'), origLen: B.length, micros: micros[1], offset: 24 + 16 + A.length, frame: 2 },
  ];

  it('reads microsecond and nanosecond files in both byte orders', () => {
    const micro = [
      { time: 1_700_000_000_123_456, data: A, origLen: 60 },
      { time: 1_700_000_001_000_001, data: B },
    ];
    const nano = micro.map((p, i) => ({ ...p, time: [1_700_000_000_123_456_789, 1_700_000_001_000_001_999][i]! }));
    for (const bigEndian of [false, true]) {
      expect(readCapture(pcapFile(micro, { bigEndian }))).toEqual({ packets: expected([1_700_000_000_123_456, 1_700_000_001_000_001]), bad: [] });
      // Nanosecond times as numbers lose digits; the file is written from exact seconds and nanoseconds.
      const file = pcapFile(nano.map((p) => ({ ...p, time: 0 })), { nano: true, bigEndian });
      const w = (at: number, v: number) => (bigEndian ? file.writeUInt32BE(v, at) : file.writeUInt32LE(v, at));
      w(24, 1_700_000_000);
      w(28, 123_456_789);
      w(24 + 16 + A.length, 1_700_000_001);
      w(24 + 16 + A.length + 4, 1_999);
      expect(readCapture(file)).toEqual({ packets: expected([1_700_000_000_123_456, 1_700_000_001_000_001]), bad: [] });
    }
  });

  it('reads records that straddle chunks, whatever the chunk sizes', () => {
    const file = pcapFile([
      { time: 1, data: A },
      { time: 2, data: B },
      { time: 3, data: A },
    ]);
    const whole = readCapture(file);
    expect(whole.packets.map((p) => p.frame)).toEqual([1, 2, 3]);
    for (const sizes of [[1], [2], [3], [5, 1], [7], [16], [17, 3], [23], [24], [25], [40, 1, 13]]) expect(readCapture(file, sizes)).toEqual(whole);
  });

  it('reports a file cut inside a record, and keeps the records before it', () => {
    const file = pcapFile([
      { time: 1, data: A },
      { time: 2, data: B },
    ]);
    const secondAt = 24 + 16 + A.length;
    expect(readCapture(file.subarray(0, file.length - 1), [9])).toEqual({
      packets: [expect.objectContaining({ frame: 1 })],
      bad: [{ reason: 'truncated', offset: secondAt, frame: 2, detail: `the file ends inside a record: ${16 + B.length - 1} of its ${16 + B.length} bytes` }],
    });
    expect(readCapture(file.subarray(0, secondAt + 10)).bad).toEqual([{ reason: 'truncated', offset: secondAt, frame: 2, detail: 'the file ends inside a record header: 10 of its 16 bytes' }]);
    expect(readCapture(file.subarray(0, 20)).bad).toEqual([{ reason: 'truncated', offset: 0, frame: 0, detail: 'the file ends inside a record header: 20 of its 24 bytes' }]);
  });

  it('stops at a record length no packet can have', () => {
    const file = pcapFile([
      { time: 1, data: A },
      { time: 2, data: B },
      { time: 3, data: A },
    ]);
    const secondAt = 24 + 16 + A.length;
    file.writeUInt32LE(0x7fffffff, secondAt + 8);
    expect(readCapture(file, [50])).toEqual({
      packets: [expect.objectContaining({ frame: 1 })],
      bad: [{ reason: 'bad-record', offset: secondAt, frame: 0, detail: 'packet record 2 claims 2147483647 captured bytes, more than the 262144 a packet can have: the file is corrupt from here' }],
    });
  });

  it('rejects a file that is not a capture', () => {
    expect(captureKind(Buffer.from('#separator \\x09\n#fields\tts'))).toBeNull();
    expect(readCapture(Buffer.from('#separator \\x09\n#fields\tts'))).toEqual({
      packets: [],
      bad: [{ reason: 'bad-record', offset: 0, frame: 0, detail: 'not a pcap or pcapng file: its first bytes are no capture magic number' }],
    });
  });
});

describe('CaptureReader on pcapng', () => {
  function twoInterfaces(bigEndian: boolean): Buffer {
    return new PcapngWriter(bigEndian)
      .interface(1) // microseconds, the default
      .block(0x0bad, Buffer.alloc(8)) // unknown blocks are skipped
      .interface(101, 9, 10n) // nanoseconds, 10 s later
      .packet(1, 1_700_000_000_123_456_789n, A, 60)
      .packet(0, 1_700_000_000_123_456n, B)
      .interface(228, 0x80 | 10) // 1/1024 s
      .packet(2, 1_740_800_000_000n * 1024n / 1000n + 512n, A)
      .obsoletePacket(0, 5n, B)
      .simplePacket(A)
      .packet(7, 0n, A)
      .bytes();
  }

  it('reads interfaces with their own link types and clocks, in both byte orders', () => {
    for (const bigEndian of [false, true]) {
      const seen = readCapture(twoInterfaces(bigEndian));
      expect(seen.packets.map(({ linkType, data, origLen, micros, frame }) => ({ linkType, data: data.slice(0, 4), origLen, micros, frame }))).toEqual([
        { linkType: 101, data: 'aaaa', origLen: 60, micros: 1_700_000_010_123_456, frame: 1 },
        { linkType: 1, data: 'bbbb', origLen: B.length, micros: 1_700_000_000_123_456, frame: 2 },
        { linkType: 228, data: 'aaaa', origLen: A.length, micros: 1_740_800_000_500_000, frame: 3 },
        { linkType: 1, data: 'bbbb', origLen: B.length, micros: 5, frame: 4 },
        // A simple packet block has no time.
        { linkType: 1, data: 'aaaa', origLen: A.length, micros: 0, frame: 5 },
      ]);
      expect(seen.bad).toEqual([{ reason: 'bad-record', offset: expect.any(Number), frame: 6, detail: 'packet of interface 7, which no interface description block declared' }]);
    }
  });

  it('reads blocks that straddle chunks, and a second section in the other byte order', () => {
    const file = Buffer.concat([twoInterfaces(false), new PcapngWriter(true).interface(113).packet(0, 42n, B).bytes()]);
    const whole = readCapture(file);
    expect(whole.packets.at(-1)).toMatchObject({ linkType: 113, micros: 42, frame: 7 });
    for (const sizes of [[1], [3], [11], [12], [13], [64, 5], [200]]) expect(readCapture(file, sizes)).toEqual(whole);
  });

  it('stops at a block whose lengths disagree, and reports a cut block', () => {
    const file = new PcapngWriter().interface(1).packet(0, 1n, A).packet(0, 2n, B).bytes();
    // B's 25 bytes are padded to 28: the block is 28 + 28 + 4 bytes.
    const second = file.length - 60;
    const wrongTrailer = Buffer.from(file);
    wrongTrailer.writeUInt32LE(64, file.length - 4);
    expect(readCapture(wrongTrailer, [7]).bad).toEqual([{ reason: 'bad-record', offset: second, frame: 0, detail: 'block total length 60 is not repeated at the end of the block: the file is corrupt from here' }]);
    const odd = Buffer.from(file);
    odd.writeUInt32LE(59, second + 4);
    expect(readCapture(odd).bad).toEqual([
      { reason: 'bad-record', offset: second, frame: 0, detail: 'block of type 6 with total length 59: not a multiple of 4 from 12 to 16777216, the file is corrupt from here' },
    ]);
    expect(readCapture(file.subarray(0, file.length - 4))).toMatchObject({
      packets: [{ frame: 1 }],
      bad: [{ reason: 'truncated', offset: second, frame: 2, detail: 'the file ends inside a record: 56 of its 60 bytes' }],
    });
  });
});

describe('InterfaceClock', () => {
  it('turns timestamps of every resolution into microseconds, rounded down', () => {
    const split = (units: bigint): [number, number] => [Number(units >> 32n), Number(units & 0xffffffffn)];
    expect(new InterfaceClock(6).micros(...split(1_700_000_000_123_456n))).toBe(1_700_000_000_123_456);
    expect(new InterfaceClock(9).micros(...split(1_700_000_000_123_456_789n))).toBe(1_700_000_000_123_456);
    expect(new InterfaceClock(3).micros(...split(1_700_000_000_123n))).toBe(1_700_000_000_123_000);
    expect(new InterfaceClock(0).micros(...split(1_700_000_000n))).toBe(1_700_000_000_000_000);
    expect(new InterfaceClock(12).micros(...split(1_700_000_000_123_456_789_012n * 1000n))).toBe(1_700_000_000_123_456_789);
    expect(new InterfaceClock(15).micros(...split(1_700_000_000_123_456_789_012n))).toBe(1_700_000_000_123);
    expect(new InterfaceClock(0x80 | 20).micros(...split(1_700_000_000n * 1_048_576n + 524_288n))).toBe(1_700_000_000_500_000);
    expect(new InterfaceClock(0x80).micros(...split(3n))).toBe(3_000_000);
    expect(new InterfaceClock(6, -3600).micros(...split(7_200_000_000n))).toBe(3_600_000_000);
  });
});
