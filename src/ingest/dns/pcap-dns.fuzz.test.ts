import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedFile } from '../../../test/helpers/shared-data.js';
import { REJECT_REASONS } from '../../schema/index.js';
import { canonicalIp } from '../../shared/ip.js';
import { CaptureReader } from '../packet/capture-reader.js';
import { DnsPacketDecoder } from './dns-packet-decoder.js';
import {
  CollectingSink,
  DEFAULT_PORTS,
  dnsMessage,
  ETHERTYPE,
  ethernet,
  extension,
  ipv4,
  ipv6,
  pcapFile,
  PcapngWriter,
  rdata,
  sll2,
  TCP,
  tcp,
  tcpFramed,
  udp,
} from './testing.js';

/** mulberry32: a small seeded generator, so that a failing case can be replayed. */
function generator(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n) >>> 0;
  };
}

const response = dnsMessage({
  flags: 0x8180,
  questions: [{ name: 'www.example.com', type: 1 }],
  answers: [
    { type: 5, data: Buffer.concat([Buffer.from('03636476', 'hex'), Buffer.of(0xc0, 16)]) },
    { type: 1, data: rdata.a('192.0.2.1') },
    { type: 16, data: rdata.txt('hello', 'world') },
    { type: 6, data: rdata.soa('ns.example.com', 'admin.example.com', 1, 2, 3, 4, 5) },
  ],
  authority: [{ type: 2, data: rdata.name('ns.example.com') }],
  additional: [{ type: 41, class: 1232, data: Buffer.alloc(0) }],
});
const query = dnsMessage({ questions: [{ name: 'www.example.com', type: 28 }] });

/** Valid captures the mutations start from: every layer the decoder reads, in both formats. */
function seeds(): Buffer[] {
  const v4 = ethernet(ETHERTYPE.IPV4, ipv4('10.0.0.1', '10.0.0.2', 17, udp(40000, 53, query)), [[ETHERTYPE.VLAN, 5]]);
  const v6 = sll2(ETHERTYPE.IPV6, ipv6('2001:db8::2', '2001:db8::1', 17, udp(53, 40000, response), [[0, extension()]]));
  const big = udp(53, 40000, response);
  const fragments = [ipv4('10.0.0.2', '10.0.0.1', 17, big.subarray(0, 64), { id: 3, moreFragments: true }), ipv4('10.0.0.2', '10.0.0.1', 17, big.subarray(64), { id: 3, fragmentOffset: 64 })];
  const stream = Buffer.concat([tcpFramed(query), tcpFramed(response)]);
  const segments = [tcp(40000, 53, 1, TCP.SYN), tcp(40000, 53, 2, TCP.ACK, stream.subarray(0, 30)), tcp(40000, 53, 32, TCP.ACK, stream.subarray(30)), tcp(40000, 53, 2 + stream.length, TCP.FIN)].map((t) =>
    ipv4('10.0.0.1', '10.0.0.2', 6, t),
  );
  const files = [
    pcapFile([v4, ethernet(ETHERTYPE.IPV4, ipv4('10.0.0.2', '10.0.0.1', 17, udp(53, 40000, response)))].map((data, i) => ({ time: i, data }))),
    pcapFile([...fragments, ...segments].map((data, i) => ({ time: i, data })), { linkType: 101, bigEndian: true, nano: true }),
    new PcapngWriter().interface(1).interface(276, 9).packet(0, 1n, v4).packet(1, 2n, v6).simplePacket(v4).bytes(),
    new PcapngWriter(true).interface(101, 0x80 | 10).packet(0, 5n, fragments[0]!).packet(0, 6n, fragments[1]!).bytes(),
  ];
  const real = sharedFile('dns/zeek-traces/dns-edns-ecs.pcap');
  if (real) files.push(readFileSync(real).subarray(0, 12_000));
  return files;
}

function mutate(file: Buffer, next: (n: number) => number): Buffer {
  const copy = Buffer.from(file);
  const edits = 1 + next(4);
  let out = copy;
  for (let e = 0; e < edits; e++) {
    const kind = next(6);
    const at = next(out.length);
    if (kind === 0) out[at]! ^= 1 << next(8);
    else if (kind === 1) out[at] = next(256);
    else if (kind === 2) out = out.subarray(0, at);
    else if (kind === 3) {
      // An aligned word (record and block lengths are, in both formats) set to an extreme or nearby value.
      const field = 4 * next(Math.max(1, out.length >> 2));
      if (field + 4 <= out.length) {
        const values = [0, 1, 0xff, 0xffff, 0xffffffff, 0x7fffffff, out.readUInt32LE(field) + 1, out.readUInt32LE(field) - 1];
        out.writeUInt32LE(values[next(values.length)]! >>> 0, field);
      }
    } else if (kind === 4) {
      // A DNS-like pointer or label length dropped anywhere.
      out[at] = [0xc0, 0x3f, 0x40, 0x80, 0x00][next(5)]!;
      if (at + 1 < out.length) out[at + 1] = next(256);
    } else {
      // Bytes repeated: records shifted against their headers.
      const from = next(out.length);
      out = Buffer.concat([out.subarray(0, at), out.subarray(from, from + next(64)), out.subarray(at)]);
    }
    if (out.length === 0) break;
  }
  return out;
}

function decodeInMemory(file: Buffer, next: (n: number) => number): { sink: CollectingSink; packets: number } {
  const sink = new CollectingSink();
  const decoder = new DnsPacketDecoder(sink, { ports: DEFAULT_PORTS, sensor: null });
  const reader = new CaptureReader(decoder);
  for (let pos = 0; pos < file.length && !reader.stopped; ) {
    const size = 1 + next(600);
    reader.push(file.subarray(pos, pos + size));
    pos += size;
  }
  reader.end();
  decoder.finish();
  return { sink, packets: decoder.stats.packets };
}

describe('pcap-dns on mutated captures', () => {
  it('gives rows and rejects, never a crash, a hang or a runaway buffer', () => {
    const next = generator(20261128);
    const corpus = seeds();
    const heapBefore = process.memoryUsage().heapUsed;
    let slowest = 0;
    let rows = 0;
    let rejects = 0;
    for (let i = 0; i < 4000; i++) {
      const file = mutate(corpus[i % corpus.length]!, next);
      const started = performance.now();
      let result: ReturnType<typeof decodeInMemory>;
      try {
        result = decodeInMemory(file, next);
      } catch (e) {
        throw new Error(`case ${i} (${file.toString('hex').slice(0, 200)}…) crashed: ${(e as Error).stack}`);
      }
      slowest = Math.max(slowest, performance.now() - started);
      const { sink, packets } = result;
      expect(sink.rows.length).toBeLessThanOrEqual(packets * 2 + 2);
      for (const r of sink.rows) {
        expect(canonicalIp(r.ip_src)).toBe(r.ip_src);
        expect(canonicalIp(r.ip_dst)).toBe(r.ip_dst);
        expect(Number.isFinite(r.frame_time) && r.sport! >= 0 && r.sport! <= 65535 && r.dport! >= 0 && r.dport! <= 65535).toBe(true);
        expect(r.dns_answers!.every((a) => typeof a === 'string')).toBe(true);
        expect(r.dns_qry_name === null || (r.dns_qry_name.length > 0 && r.dns_qry_name.length <= 4 * 255)).toBe(true);
      }
      for (const r of sink.rejects) {
        expect(Object.keys(REJECT_REASONS)).toContain(r.reason);
        expect(r.offset === undefined || (r.offset >= 0 && r.offset <= file.length)).toBe(true);
      }
      rows += sink.rows.length;
      rejects += sink.rejects.length;
    }
    // Both outcomes occur: the mutations neither all break nor all miss the messages.
    expect(rows).toBeGreaterThan(1000);
    expect(rejects).toBeGreaterThan(1000);
    expect(slowest).toBeLessThan(250);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(256 * 1024 * 1024);
  });
});
