import { describe, expect, it } from 'vitest';
import { hasTool } from '../../../test/helpers/shared-data.js';
import { InputError } from '../../shared/errors.js';
import { decodeContext, sourceFile } from '../flow/testing.js';
import {
  CollectingSink,
  decodeBytes,
  dnsMessage,
  ETHERTYPE,
  ethernet,
  ipv4,
  ipv6,
  pcapFile,
  rdata,
  TCP,
  tcp,
  tcpFramed,
  udp,
  type CapturedPacket,
} from './testing.js';
import { tsharkArgs, tsharkDnsDecoder } from './tshark-dns.js';

async function tshark(path: string, ingest: Record<string, unknown> = {}): Promise<CollectingSink> {
  const sink = new CollectingSink();
  await tsharkDnsDecoder.decode(sourceFile(path), sink, decodeContext(ingest));
  return sink;
}

describe('tshark decoder', () => {
  it('tells how to install tshark when it is missing', async () => {
    const { path } = await decodeBytes(pcapFile([]));
    const failure = tshark(path, { decoders: { dns: { tshark: '/nonexistent/tshark' } } });
    await expect(failure).rejects.toBeInstanceOf(InputError);
    await expect(failure).rejects.toThrow('/nonexistent/tshark is not installed: apt-get install tshark (or set ingest.decoders.dns.tshark)');
  });

  it('has tshark decode as DNS the configured ports it does not know as DNS', () => {
    const decodeAs = (ports: number[]) => tsharkArgs('f.pcap', ports).filter((_, i, all) => all[i - 1] === '-d');
    expect(decodeAs([53, 5353, 5355])).toEqual(['tcp.port==5355,dns']);
    expect(decodeAs([5300])).toEqual(['udp.port==5300,dns', 'tcp.port==5300,dns']);
  });
});

describe.skipIf(!hasTool('tshark'))('tshark decoder and pcap-dns on the same packets', () => {
  const client = ['192.0.2.10', 40000] as const;
  const server = ['192.0.2.53', 53] as const;
  const udp4 = (message: Buffer, toServer = false, port = 53) =>
    ethernet(ETHERTYPE.IPV4, toServer ? ipv4(client[0], server[0], 17, udp(client[1], port, message)) : ipv4(server[0], client[0], 17, udp(port, client[1], message)));

  /** Labels with every kind of byte: controls, DEL, dots and backslashes, UTF-8 valid and not, format characters. */
  const oddName = Buffer.from([4, 0x09, 0x00, 0x7f, 0x1b, 3, 0x61, 0x2e, 0x5c, 4, 0xc3, 0xa9, 0xff, 0x20, 2, 0xe2, 0x82, 4, 0xe2, 0x80, 0x8b, 0x7a, 3, 0xc2, 0x80, 0x41, 7, 0x65, 0x78, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0]);
  const answers = [
    { type: 5, ttl: 600, data: rdata.name('Alias.Example.net') },
    { type: 1, ttl: 60, data: rdata.a('198.51.100.7') },
    { type: 28, ttl: 60, data: rdata.aaaa('2001:db8::ffff:0:1') },
    { type: 28, ttl: 60, data: rdata.aaaa('::ffff:198.51.100.8') },
    { type: 2, data: rdata.name('ns1.example.com') },
    { type: 12, data: rdata.name('host.example.com') },
    { type: 15, data: rdata.mx(0, '.') },
    { type: 16, data: rdata.txt('v=spf1 -all', '', Buffer.from('tab\there\x01', 'latin1')) },
    { type: 6, data: rdata.soa('ns.example.com', 'hostmaster.example.com', 4294967295, 7200, 3600, 1209600, 300) },
    { type: 33, data: rdata.srv(10, 60, 5060, 'sip.example.com') },
    { type: 99, data: rdata.txt('v=spf1') },
    { type: 65535, data: Buffer.from('00ff', 'hex') },
    { type: 1, class: 254, data: Buffer.alloc(0) },
  ];

  it('agrees on the text of names and record data', async () => {
    const packets: CapturedPacket[] = [
      { time: 1_000_000, data: udp4(dnsMessage({ id: 1, questions: [{ name: oddName, type: 255 }] }), true) },
      { time: 1_000_001, data: udp4(dnsMessage({ id: 1, flags: 0x8583, questions: [{ name: 'Example.COM', type: 255 }], answers })) },
      { time: 1_000_002, data: udp4(dnsMessage({ id: 2, questions: [{ name: '.', type: 2 }] }), true) },
      { time: 1_000_003, data: ethernet(ETHERTYPE.IPV6, ipv6('2001:db8::1', 'ff02::fb', 17, udp(5353, 5353, dnsMessage({ id: 0, flags: 0, questions: [{ name: 'printer.local', class: 0x8001 }] })))) },
    ];
    const { sink: native, path } = await decodeBytes(pcapFile(packets));
    const reference = await tshark(path);
    expect(native.rows.length).toBe(4);
    expect(native.rows[0]!.dns_qry_name).toBe('\\t\\000\\177\\033.a.\\.é\uFFFD .\uFFFD.\\u200Bz.\\u0080A.example');
    expect(reference.rows).toEqual(native.rows);
    expect(reference.rejects).toEqual(native.rejects);
  });

  it('agrees on DNS over TCP, fragments and a port given in the configuration', async () => {
    const [a, b, c] = ['one.example', 'two.example', 'three.example'].map((name, i) => tcpFramed(dnsMessage({ id: i + 1, questions: [{ name, type: 16 }] }))) as [Buffer, Buffer, Buffer];
    const segment = (seq: number, flags: number, payload?: Buffer) => ethernet(ETHERTYPE.IPV4, ipv4(client[0], server[0], 6, tcp(client[1], 53, seq, flags, payload)));
    const at = 1001 + a.length + b.length;
    const big = udp(53, client[1], dnsMessage({ id: 9, flags: 0x8180, questions: [{ name: 'big.example', type: 16 }], answers: [{ type: 16, data: rdata.txt('x'.repeat(200), 'y'.repeat(200)) }] }));
    const fragment = (from: number, to: number, more: boolean) => ethernet(ETHERTYPE.IPV4, ipv4(server[0], client[0], 17, big.subarray(from, to), { id: 77, fragmentOffset: from, moreFragments: more }));
    const packets: CapturedPacket[] = [
      segment(1000, TCP.SYN),
      segment(1001, TCP.ACK | TCP.PSH, Buffer.concat([a, b])),
      segment(at + 10, TCP.ACK, c.subarray(10)),
      segment(at, TCP.ACK, c.subarray(0, 10)),
      fragment(0, 200, true),
      fragment(200, big.length, false),
      udp4(dnsMessage({ id: 3, questions: [{ name: 'alt.example' }] }), true, 5300),
    ].map((data, i) => ({ time: 2_000_000 + i, data }));
    const ports = [53, 5300];
    const { sink: native, path } = await decodeBytes(pcapFile(packets), ports);
    const reference = await tshark(path, { decoders: { dns: { ports } } });
    expect(native.rows.map((r) => [r.transport, r.dns_qry_name])).toEqual([
      ['tcp', 'one.example'],
      ['tcp', 'two.example'],
      ['tcp', 'three.example'],
      ['udp', 'big.example'],
      ['udp', 'alt.example'],
    ]);
    expect(reference.rows).toEqual(native.rows);
    expect(reference.positions.map((p) => p.line)).toEqual(native.positions.map((p) => p.line));
  });

  it('reports a file cut short', async () => {
    const file = pcapFile([{ time: 0, data: udp4(dnsMessage({ questions: [{ name: 'a.example' }] }), true) }, { time: 1, data: udp4(dnsMessage({ questions: [{ name: 'b.example' }] }), true) }]);
    const { path } = await decodeBytes(file.subarray(0, file.length - 3));
    const reference = await tshark(path);
    expect(reference.rows.map((r) => r.dns_qry_name)).toEqual(['a.example']);
    expect(reference.rejects).toEqual([{ reason: 'truncated', line: undefined, offset: undefined, detail: expect.stringMatching(/^tshark: .*cut short in the middle of a packet/) }]);
  });
});
