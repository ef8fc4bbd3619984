import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasTool } from '../../test/helpers/shared-data.js';
import { tempDir } from '../../test/helpers/tmp.js';
import type { FlowRecord } from './flow-record.js';
import { NetflowV9Encoder, netflowV9Packets } from './netflow-v9.js';
import { TEMPLATE_IPV4, TEMPLATE_IPV6, V9_FIELDS } from './netflow-v9-template.js';
import { udpPcap } from './pcap.js';

const T0 = Date.UTC(2026, 10, 24, 10);
const BOOT = T0 - 86_400_000;

const tcp: FlowRecord = {
  tstart: T0,
  tend: T0 + 1500,
  sip: '10.10.0.15',
  dip: '203.0.113.45',
  sport: 50000,
  dport: 443,
  proto: 'TCP',
  flag: '...AP.SF',
  stos: 32,
  dtos: 40,
  ipkt: 6,
  ibyt: 5_000_000_000, // beyond 32 bits: the counters are 8 bytes wide
  input: 101,
  output: 1,
  sas: 0,
  das: 64500,
  dir: 0,
  fwd: 64,
  exported: T0 + 2500,
  label: null,
};
const udp6: FlowRecord = { ...tcp, sip: 'fd5e:1a7e:c0de:1000::a', dip: '2a00:1450::1:2', proto: 'UDP', flag: '........', sport: 5353, dport: 53, stos: 0, dtos: 0, ipkt: 1, ibyt: 96, exported: T0 + 2600 };
const ping: FlowRecord = { ...tcp, proto: 'ICMP', flag: '........', sport: 0, dport: 8 * 256, ipkt: 3, ibyt: 252, sas: 64501, das: 0, dir: 1, exported: T0 + 2700 };
const dropped: FlowRecord = { ...tcp, tstart: T0 + 900, tend: T0 + 900, flag: '......S.', dport: 23, ipkt: 1, ibyt: 60, fwd: 129, exported: T0 + 9000 };

function encode(records: FlowRecord[], options: Partial<ConstructorParameters<typeof NetflowV9Encoder>[0]> = {}): Buffer[] {
  return [...netflowV9Packets(records, { sourceId: 7, bootTime: BOOT, ...options })];
}

describe('NetflowV9Encoder', () => {
  it('writes RFC 3954 headers: version, record count, uptime from the simulated boot, export time, sequence, source id', () => {
    const [first, second] = encode([tcp, udp6, ping, dropped]);
    expect(first!.readUInt16BE(0)).toBe(9);
    expect(first!.readUInt16BE(2)).toBe(3 + 2); // three data records and the two template records
    expect(first!.readUInt32BE(8)).toBe(Math.floor((T0 + 2700) / 1000)); // unix_secs of the newest record's export
    expect(first!.readUInt32BE(4)).toBe(Math.floor((T0 + 2700) / 1000) * 1000 - BOOT); // sysUptime in ms
    expect(first!.readUInt32BE(12)).toBe(0);
    expect(first!.readUInt32BE(16)).toBe(7);
    // The dropped probe was exported 6 s later than the rest: a new packet, no templates, next sequence number.
    expect(second!.readUInt16BE(2)).toBe(1);
    expect(second!.readUInt32BE(12)).toBe(1);
    expect(second!.length).toBe(20 + 4 + 56);
  });

  it('fills packets up to 1400 bytes, pads FlowSets to 4 bytes and resends templates every 20 packets', () => {
    const records = Array.from({ length: 2000 }, (_, i) => ({ ...(i % 3 ? tcp : udp6), exported: T0 + i }));
    const packets = encode(records);
    let count = 0;
    packets.forEach((p, n) => {
      expect(p.length).toBeLessThanOrEqual(1400);
      let offset = 20;
      let templates = 0;
      while (offset < p.length) {
        const id = p.readUInt16BE(offset);
        const length = p.readUInt16BE(offset + 2);
        expect(length % 4).toBe(0);
        if (id === 0) templates++;
        else count += Math.floor((length - 4) / (id === TEMPLATE_IPV4 ? 56 : 80));
        offset += length;
      }
      expect(offset).toBe(p.length);
      expect(templates).toBe(n % 20 === 0 ? 1 : 0);
    });
    expect(count).toBe(2000);
    expect(packets.length).toBeLessThan(2000 / 15);
    expect(V9_FIELDS.ipv4.reduce((n, f) => n + f.length, 0)).toBe(56);
    expect(V9_FIELDS.ipv6.reduce((n, f) => n + f.length, 0)).toBe(80);
  });
});

describe.skipIf(!hasTool('tshark'))('NetFlow v9 decoded by tshark (skipped without tshark: Debian package tshark)', () => {
  it('decodes every field of IPv4, IPv6, ICMP and dropped records as written', () => {
    const dir = tempDir();
    const pcap = join(dir, 'v9.pcap');
    const packets = encode([tcp, udp6, ping, dropped]);
    writeFileSync(pcap, udpPcap(packets.map((payload, i) => ({ time: T0 + 3000 + i, src: '127.0.0.1', sport: 40000, dst: '127.0.0.1', dport: 2055, payload }))));
    const fields = [
      'cflow.count', 'cflow.sysuptime', 'cflow.unix_secs', 'cflow.sequence', 'cflow.source_id', 'cflow.template_id', 'cflow.octets', 'cflow.packets',
      'cflow.timestart', 'cflow.timeend', 'cflow.srcaddr', 'cflow.dstaddr', 'cflow.srcaddrv6', 'cflow.dstaddrv6', 'cflow.srcport', 'cflow.dstport',
      'cflow.icmp_type_code_ipv4', 'cflow.protocol', 'cflow.tcpflags', 'cflow.tos', 'cflow.post_tos', 'cflow.inputint', 'cflow.outputint',
      'cflow.srcas', 'cflow.dstas', 'cflow.direction', 'cflow.forwarding_status', 'cflow.forwarding_status_drop_code',
    ];
    const run = spawnSync('tshark', ['-r', pcap, '-d', 'udp.port==2055,cflow', '-T', 'fields', '-E', 'separator=|', '-E', 'occurrence=a', '-E', 'aggregator=;', ...fields.flatMap((f) => ['-e', f])], {
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    const rows = run.stdout.trim().split('\n').map((line) => Object.fromEntries(line.split('|').map((v, i) => [fields[i]!.slice(6), v])));
    expect(rows).toEqual([
      {
        count: '5',
        sysuptime: '86402.000000000',
        unix_secs: String(Math.floor((T0 + 2700) / 1000)),
        sequence: '0',
        source_id: '7',
        template_id: `${TEMPLATE_IPV4};${TEMPLATE_IPV6}`,
        octets: '5000000000;96;252',
        packets: '6;1;3',
        timestart: '86400.000000000;86400.000000000;86400.000000000',
        timeend: '86401.500000000;86401.500000000;86401.500000000',
        srcaddr: '10.10.0.15;10.10.0.15',
        dstaddr: '203.0.113.45;203.0.113.45',
        srcaddrv6: 'fd5e:1a7e:c0de:1000::a',
        dstaddrv6: '2a00:1450::1:2',
        srcport: '50000;5353;0',
        dstport: '443;53;2048',
        icmp_type_code_ipv4: '0x0000;0x0000;0x0800',
        protocol: '6;17;1',
        tcpflags: '0x1b;0x00;0x00',
        tos: '0x20;0x00;0x20',
        post_tos: '0x28;0x00;0x28',
        inputint: '101;101;101',
        outputint: '1;1;1',
        srcas: '0;0;64501',
        dstas: '64500;64500;0',
        direction: '0;0;1',
        forwarding_status: '1;1;1', // 64: forwarded
        forwarding_status_drop_code: '',
      },
      {
        count: '1',
        sysuptime: '86409.000000000',
        unix_secs: String(Math.floor((T0 + 9000) / 1000)),
        sequence: '1',
        source_id: '7',
        template_id: '',
        octets: '60',
        packets: '1',
        timestart: '86400.900000000',
        timeend: '86400.900000000',
        srcaddr: '10.10.0.15',
        dstaddr: '203.0.113.45',
        srcaddrv6: '',
        dstaddrv6: '',
        srcport: '50000',
        dstport: '23',
        icmp_type_code_ipv4: '0x0000',
        protocol: '6',
        tcpflags: '0x02',
        tos: '0x20',
        post_tos: '0x28',
        inputint: '101',
        outputint: '1',
        srcas: '0',
        dstas: '64500',
        direction: '0',
        forwarding_status: '2', // 129: dropped, reason 1 (ACL deny)
        forwarding_status_drop_code: '1',
      },
    ]);
  });
});
