import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readHead } from '../source.js';
import { pcapDnsDecoder } from './pcap-dns.js';
import {
  decodeBytes,
  dnsMessage,
  ETHERTYPE,
  ethernet,
  extension,
  ipv4,
  ipv6,
  loopback,
  pcapFile,
  PcapngWriter,
  rdata,
  row,
  sll,
  sll2,
  TCP,
  tcp,
  tcpFramed,
  udp,
  u16,
  type CapturedPacket,
} from './testing.js';

const QUERY = dnsMessage({ id: 0x1234, flags: 0x0100, questions: [{ name: 'example.com', type: 1 }] });
const RESPONSE = dnsMessage({ id: 0x1234, flags: 0x8180, questions: [{ name: 'example.com', type: 1 }], answers: [{ type: 1, ttl: 300, data: rdata.a('192.0.2.1') }] });
const T0 = 1_700_000_000_000_000;

const query4 = (payload = QUERY) => ipv4('10.0.0.1', '10.0.0.2', 17, udp(40000, 53, payload));
const query6 = (payload = QUERY) => ipv6('2001:db8::1', '2001:db8::53', 17, udp(40000, 53, payload));
const queryRow = (frame_len: number, v6 = false) =>
  row({
    frame_time: T0,
    frame_len,
    ip_src: v6 ? '2001:db8::1' : '10.0.0.1',
    ip_dst: v6 ? '2001:db8::53' : '10.0.0.2',
    sport: 40000,
    dport: 53,
    dns_qry_name: 'example.com',
    dns_qry_class: 1,
    dns_qry_type: 1,
  });

/** One packet of the link type, read natively: its rows, rejects and statistics. */
async function single(linkType: number, data: Buffer) {
  const { sink, stats } = await decodeBytes(pcapFile([{ time: T0, data }], { linkType }));
  return { rows: sink.rows, rejects: sink.rejects, stats };
}

describe('pcap-dns link layers', () => {
  const cases: [string, number, Buffer, boolean][] = [
    ['Ethernet', 1, ethernet(ETHERTYPE.IPV4, query4()), false],
    ['Ethernet with an 802.1Q tag', 1, ethernet(ETHERTYPE.IPV4, query4(), [[ETHERTYPE.VLAN, 42]]), false],
    ['Ethernet with QinQ tags', 1, ethernet(ETHERTYPE.IPV6, query6(), [[ETHERTYPE.QINQ, 100], [ETHERTYPE.VLAN, 42]]), true],
    ['802.3 with LLC/SNAP', 1, Buffer.concat([Buffer.alloc(12), u16(8 + query4().length), Buffer.from('aaaa03000000', 'hex'), u16(ETHERTYPE.IPV4), query4()]), false],
    ['PPPoE', 1, ethernet(0x8864, Buffer.concat([Buffer.from('1100000a', 'hex'), u16(2 + query4().length), u16(0x0021), query4()])), false],
    ['MPLS', 1, ethernet(0x8847, Buffer.concat([Buffer.from('00010040', 'hex'), Buffer.from('00002140', 'hex'), query6()])), true],
    ['Linux cooked', 113, sll(ETHERTYPE.IPV4, query4()), false],
    ['Linux cooked v2', 276, sll2(ETHERTYPE.IPV6, query6()), true],
    ['raw IP (101)', 101, query6(), true],
    ['raw IP (12)', 12, query4(), false],
    ['raw IP (14)', 14, query4(), false],
    ['raw IPv4 (228)', 228, query4(), false],
    ['raw IPv6 (229)', 229, query6(), true],
    ['BSD loopback, little-endian', 0, loopback(2, query4(), true), false],
    ['BSD loopback, big-endian, IPv6 of FreeBSD', 0, loopback(28, query6(), false), true],
    ['OpenBSD loopback (108)', 108, loopback(24, query6(), false), true],
    ['FDDI', 10, Buffer.concat([Buffer.from('50', 'hex'), Buffer.alloc(12), Buffer.from('aaaa03000000', 'hex'), u16(ETHERTYPE.IPV4), query4()]), false],
  ];
  for (const [name, linkType, data, v6] of cases) {
    it(`reads a query over ${name}`, async () => {
      expect(await single(linkType, data)).toMatchObject({ rows: [queryRow(data.length, v6)], rejects: [] });
    });
  }

  it('skips and counts link types it does not read, and traffic that is not DNS', async () => {
    const notDns = [
      ethernet(ETHERTYPE.ARP, Buffer.alloc(28)),
      ethernet(ETHERTYPE.IPV4, ipv4('10.0.0.1', '10.0.0.2', 17, udp(40000, 123, Buffer.alloc(48)))),
      ethernet(ETHERTYPE.IPV4, ipv4('10.0.0.1', '10.0.0.2', 6, tcp(40000, 443, 1, TCP.ACK, Buffer.from('hello')))),
      ethernet(ETHERTYPE.IPV4, ipv4('10.0.0.1', '10.0.0.2', 1, Buffer.alloc(8))),
      ethernet(ETHERTYPE.IPV6, ipv6('::1', '::2', 58, Buffer.alloc(8))),
    ];
    const { sink, stats } = await decodeBytes(pcapFile(notDns.map((data, i) => ({ time: T0 + i, data }))));
    expect([sink.rows, sink.rejects, stats.notDns]).toEqual([[], [], 5]);
    expect((await single(127, Buffer.alloc(40))).stats).toMatchObject({ packets: 1, unsupportedLinkTypes: { 127: 1 }, notDns: 0 });
  });
});

describe('pcap-dns IP layer', () => {
  it('walks IPv6 extension headers and skips IPv4 options', async () => {
    const ah = Buffer.alloc(16);
    ah[1] = 2; // (2 + 2) * 4 bytes
    const v6 = ipv6('2001:db8::1', '2001:db8::53', 17, udp(40000, 53, QUERY), [
      [0, extension()],
      [43, extension(1)],
      [60, extension()],
      [51, ah],
    ]);
    expect(await single(101, v6)).toMatchObject({ rows: [queryRow(v6.length, true)], rejects: [] });
    const v4 = ipv4('10.0.0.1', '10.0.0.2', 17, udp(40000, 53, QUERY), { options: Buffer.from('01010100', 'hex') });
    expect(await single(101, v4)).toMatchObject({ rows: [queryRow(v4.length)], rejects: [] });
  });

  it('reassembles a response sent in IPv4 fragments, out of order, at the frame that completes it', async () => {
    const datagram = udp(53, 40000, RESPONSE);
    const first = ipv4('10.0.0.2', '10.0.0.1', 17, datagram.subarray(0, 24), { id: 7, moreFragments: true });
    const last = ipv4('10.0.0.2', '10.0.0.1', 17, datagram.subarray(24), { id: 7, fragmentOffset: 24 });
    const { sink } = await decodeBytes(pcapFile([{ time: T0, data: last }, { time: T0 + 5, data: first }], { linkType: 101 }));
    expect(sink.rows).toEqual([
      row({ frame_time: T0 + 5, frame_len: first.length, ip_src: '10.0.0.2', ip_dst: '10.0.0.1', sport: 53, dport: 40000, dns_qry_name: 'example.com', dns_qry_class: 1, dns_qry_type: 1, dns_flags: 0x8180, dns_qr: true, dns_answers: ['192.0.2.1'], dns_a: '192.0.2.1', dns_ttl: 300 }),
    ]);
    expect(sink.positions).toEqual([{ line: 2, offset: 24 + 16 + last.length }]);
    expect(sink.rejects).toEqual([]);
  });

  it('reassembles IPv6 fragments, with a destination options header in the first one', async () => {
    const payload = Buffer.concat([extension(), udp(40000, 53, QUERY)]);
    payload[0] = 17;
    const fragment = (offset: number, more: boolean, bytes: Buffer) => {
      const header = Buffer.alloc(8);
      header[0] = 60;
      header.writeUInt16BE(offset | (more ? 1 : 0), 2);
      header.writeUInt32BE(99, 4);
      return ipv6('2001:db8::1', '2001:db8::53', 44, Buffer.concat([header, bytes]));
    };
    const a = fragment(0, true, payload.subarray(0, 16));
    const b = fragment(16, false, payload.subarray(16));
    const { sink } = await decodeBytes(pcapFile([{ time: T0, data: a }, { time: T0, data: b }], { linkType: 101 }));
    expect(sink.rows).toEqual([queryRow(b.length, true)]);
    expect(sink.rejects).toEqual([]);
  });
});

describe('pcap-dns files', () => {
  const packets: CapturedPacket[] = [
    { time: T0, data: ethernet(ETHERTYPE.IPV4, query4()) },
    { time: T0 + 1_234_567, data: ethernet(ETHERTYPE.IPV4, ipv4('10.0.0.2', '10.0.0.1', 17, udp(53, 40000, RESPONSE))), origLen: 1500 },
  ];
  const responseRow = row({
    frame_time: T0 + 1_234_567,
    frame_len: 1500,
    ip_src: '10.0.0.2',
    ip_dst: '10.0.0.1',
    sport: 53,
    dport: 40000,
    dns_qry_name: 'example.com',
    dns_qry_class: 1,
    dns_qry_type: 1,
    dns_flags: 0x8180,
    dns_qr: true,
    dns_answers: ['192.0.2.1'],
    dns_a: '192.0.2.1',
    dns_ttl: 300,
  });
  const expected = [queryRow(packets[0]!.data.length), responseRow];

  it('reads big-endian, nanosecond and gzip files alike', async () => {
    for (const file of [pcapFile(packets), pcapFile(packets, { bigEndian: true }), gzipSync(pcapFile(packets)), gzipSync(pcapFile(packets, { bigEndian: true }))]) {
      const { sink, path } = await decodeBytes(file);
      expect(sink.rows).toEqual(expected);
      expect(sink.rejects).toEqual([]);
      expect(sink.positions).toEqual([{ line: 1, offset: 24 }, { line: 2, offset: 24 + 16 + packets[0]!.data.length }]);
      expect(pcapDnsDecoder.accepts({ path, size: file.length, mtimeMs: 0 }, await readHead(path))).toBe(true);
    }
    const nano = pcapFile(packets.map((p) => ({ ...p, time: 0 })), { nano: true });
    nano.writeUInt32LE(Math.floor(T0 / 1e6), 24);
    nano.writeUInt32LE(999, 28);
    nano.writeUInt32LE(Math.floor((T0 + 1_234_567) / 1e6), 40 + packets[0]!.data.length);
    nano.writeUInt32LE(234_567_999, 44 + packets[0]!.data.length);
    expect((await decodeBytes(nano)).sink).toMatchObject({ rows: expected, rejects: [] });
    expect(pcapDnsDecoder.accepts({ path: 'x', size: 0, mtimeMs: 0 }, Buffer.from('#separator \\x09\n'))).toBe(false);
  });

  it('reads pcapng with two interfaces of different link types and resolutions', async () => {
    const file = new PcapngWriter()
      .interface(1)
      .interface(101, 9)
      .packet(1, BigInt(T0) * 1000n + 999n, query4())
      .packet(0, BigInt(T0 + 1_234_567), packets[1]!.data, 1500)
      .bytes();
    const { sink } = await decodeBytes(file, undefined, 'capture.pcapng');
    expect(sink.rows).toEqual([queryRow(query4().length), responseRow]);
    expect(sink.rejects).toEqual([]);
  });

  it('keeps the packets before a file cut short, and reports the cut record', async () => {
    const file = pcapFile(packets);
    const { sink } = await decodeBytes(file.subarray(0, file.length - 10));
    expect(sink.rows).toEqual([expected[0]]);
    expect(sink.rejects).toEqual([{ reason: 'truncated', line: 2, offset: 24 + 16 + packets[0]!.data.length, detail: `the file ends inside a record: ${16 + packets[1]!.data.length - 10} of its ${16 + packets[1]!.data.length} bytes` }]);
  });
});

describe('pcap-dns bad packets', () => {
  it('rejects a packet cut by the snap length, garbage on port 53 and bad compression pointers, keeping the good ones', async () => {
    const cut = ethernet(ETHERTYPE.IPV4, ipv4('10.0.0.2', '10.0.0.1', 17, udp(53, 40000, RESPONSE)));
    const http = ethernet(ETHERTYPE.IPV4, ipv4('10.0.0.1', '10.0.0.2', 17, udp(40000, 53, Buffer.from('GET / HTTP/1.1\r\nHost: example.com\r\n\r\n'))));
    const loop = Buffer.concat([QUERY.subarray(0, 12), Buffer.of(0xc0, 12), QUERY.subarray(25)]);
    const forward = Buffer.concat([QUERY.subarray(0, 12), Buffer.of(0xc0, 14), QUERY.subarray(25)]);
    const outside = Buffer.concat([QUERY.subarray(0, 12), Buffer.of(0xc0, 200), QUERY.subarray(25)]);
    const valid = dnsMessage({ flags: 0x8180, questions: [{ name: 'example.com' }], answers: [{ type: 5, data: Buffer.concat([Buffer.from('03777777', 'hex'), Buffer.of(0xc0, 12)]) }] });
    const frames = [
      { time: T0, data: cut.subarray(0, cut.length - 5), origLen: cut.length },
      { time: T0, data: http },
      ...[loop, forward, outside, valid].map((m) => ({ time: T0, data: ethernet(ETHERTYPE.IPV4, query4(m)) })),
      { time: T0, data: ethernet(ETHERTYPE.IPV4, ipv4('10.0.0.1', '10.0.0.2', 17, udp(40000, 53, QUERY, 200))) },
    ];
    const offsets = frames.reduce<number[]>((at, f, i) => [...at, i === 0 ? 24 : at[i - 1]! + 16 + frames[i - 1]!.data.length], []);
    const { sink } = await decodeBytes(pcapFile(frames));
    expect(sink.rejects).toEqual([
      { reason: 'bad-record', line: 1, offset: offsets[0], detail: `packet cut by the capture's snap length (${cut.length - 5} of ${cut.length} bytes kept): DNS message: ${RESPONSE.length - 5} of its ${RESPONSE.length} bytes` },
      { reason: 'bad-record', line: 2, offset: offsets[1], detail: 'not a DNS message: name at offset 12: a label runs past the end of its record' },
      { reason: 'bad-record', line: 3, offset: offsets[2], detail: 'not a DNS message: name at offset 12 has a compression pointer that loops (offset 12 to 12)' },
      { reason: 'bad-record', line: 4, offset: offsets[3], detail: 'not a DNS message: name at offset 12 has a forward compression pointer (offset 12 to 14)' },
      { reason: 'bad-record', line: 5, offset: offsets[4], detail: 'not a DNS message: name at offset 12 has a compression pointer past the end of the message (offset 12 to 200)' },
      { reason: 'bad-record', line: 7, offset: offsets[6], detail: `UDP length 200 is more than the ${8 + QUERY.length} bytes of the IP payload` },
    ]);
    expect(sink.rows.map((r) => [r.dns_qry_name, r.dns_answers])).toEqual([['example.com', ['www.example.com']]]);
    expect(sink.positions).toEqual([{ line: 6, offset: offsets[5] }]);
  });

  it('rejects a packet cut inside its IP header', async () => {
    const { rejects } = await single(1, ethernet(ETHERTYPE.IPV4, query4()).subarray(0, 30));
    expect(rejects).toEqual([{ reason: 'bad-record', line: 1, offset: 24, detail: 'IPv4 header cut: 16 of its 20 bytes captured' }]);
  });
});

describe('pcap-dns over TCP', () => {
  it('finds two messages in one segment, and a message split over segments that come out of order', async () => {
    const [a, b, c] = ['one.example', 'two.example', 'three.example'].map((name, i) => tcpFramed(dnsMessage({ id: i + 1, questions: [{ name, type: 16 }] }))) as [Buffer, Buffer, Buffer];
    const segment = (seq: number, flags: number, payload?: Buffer) => ({ time: T0 + seq, data: ipv4('10.0.0.1', '10.0.0.2', 6, tcp(40000, 53, seq, flags, payload)) });
    const at = 1001 + a.length + b.length;
    const frames = [segment(1000, TCP.SYN), segment(1001, TCP.ACK | TCP.PSH, Buffer.concat([a, b])), segment(at + 10, TCP.ACK, c.subarray(10)), segment(at, TCP.ACK, c.subarray(0, 10))];
    const { sink } = await decodeBytes(pcapFile(frames, { linkType: 101 }));
    const tcpRow = (id: number, name: string, frame: number) =>
      row({ frame_time: frames[frame - 1]!.time, frame_len: frames[frame - 1]!.data.length, ip_src: '10.0.0.1', ip_dst: '10.0.0.2', sport: 40000, dport: 53, transport: 'tcp', dns_id: id, dns_qry_name: name, dns_qry_type: 16, dns_qry_class: 1 });
    expect(sink.rows).toEqual([tcpRow(1, 'one.example', 2), tcpRow(2, 'two.example', 2), tcpRow(3, 'three.example', 4)]);
    expect(sink.positions.map((p) => p.line)).toEqual([2, 2, 4]);
    expect(sink.rejects).toEqual([]);
  });
});

describe('pcap-dns ports', () => {
  it('reads the configured ports on either side, and clears the mDNS unicast-response bit', async () => {
    const mdns = dnsMessage({ id: 0, flags: 0, questions: [{ name: '_ipp._tcp.local', type: 12, class: 0x8001 }] });
    const frames = [
      { time: T0, data: ipv4('10.0.0.1', '224.0.0.251', 17, udp(5353, 5353, mdns)) },
      { time: T0, data: ipv4('10.0.0.1', '10.0.0.2', 17, udp(5300, 40000, QUERY)) },
      { time: T0, data: query4() },
    ];
    const defaults = await decodeBytes(pcapFile(frames, { linkType: 101 }));
    expect(defaults.sink.rows.map((r) => [r.dns_qry_name, r.dns_qry_class])).toEqual([
      ['_ipp._tcp.local', 1],
      ['example.com', 1],
    ]);
    const custom = await decodeBytes(pcapFile(frames, { linkType: 101 }), [5300]);
    expect(custom.sink.rows.map((r) => [r.sport, r.dport])).toEqual([[5300, 40000]]);
    expect(custom.stats.notDns).toBe(2);
    expect([defaults.sink.rejects, custom.sink.rejects]).toEqual([[], []]);
  });
});
