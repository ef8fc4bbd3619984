import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/tmp.js';
import type { DnsRow, RejectReason } from '../../schema/index.js';
import { decodeContext, sourceFile } from '../flow/testing.js';
import { readHead } from '../source.js';
import { zeekDnsDecoder } from './zeek-dns.js';

const HEADER = [
  '#separator \\x09',
  '#set_separator\t,',
  '#empty_field\t(empty)',
  '#unset_field\t-',
  '#path\tdns',
  '#open\t2026-11-27-00-00-00',
  '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqclass\tqclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected',
  '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\tstring\tcount\tstring\tcount\tstring\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector[interval]\tbool',
];

async function decode(path: string) {
  const rows: DnsRow[] = [];
  const rejects: { reason: RejectReason; line?: number; detail?: string }[] = [];
  await zeekDnsDecoder.decode(
    sourceFile(path),
    { append: (r) => rows.push(r as DnsRow), reject: (reason, at, detail) => rejects.push({ reason, line: at.line, detail }) },
    decodeContext(),
  );
  return { rows, rejects };
}

describe('zeek-dns', () => {
  it('maps answered and unanswered lookups of a TSV log, and quarantines a bad line', async () => {
    const dir = tempDir();
    const path = join(dir, 'dns.log');
    writeFileSync(
      path,
      [
        ...HEADER,
        '1795780800.123456\tCx1\t10.10.0.7\t51234\t10.20.0.10\t53\tudp\t4660\t0.001\twww.example.org\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\twww.example.org.cdn.net,93.184.216.34,93.184.216.35\t300.000000,60.000000,60.000000\tF',
        '1795780801.5\tCx2\t10.10.0.7\t51235\t10.20.0.10\t53\tudp\t4661\t-\txj3k9q.example\t1\tC_INTERNET\t16\tTXT\t-\t-\tF\tF\tT\tF\t0\t-\t-\tF',
        '1795780802\tCx3\t10.10.0.999\t51236\t10.20.0.10\t53\tudp\t4662\t-\tbad.example\t1\tC_INTERNET\t1\tA\t3\tNXDOMAIN\tF\tF\tT\tT\t0\t-\t-\tF',
        '1795780803\tCx4\tfd5e::7\t51237\tfd5e::53\t53\ttcp\t4663\t0.002\tcorp.example\t1\tC_INTERNET\t15\tMX\t0\tNOERROR\tT\tF\tT\tT\t0\tmail.corp.example\t3600.000000\tF',
        '#close\t2026-11-27-01-00-00',
      ].join('\n') + '\n',
    );
    expect(await zeekDnsDecoder.accepts(sourceFile(path), await readHead(path))).toBe(true);
    const { rows, rejects } = await decode(path);
    expect(rejects).toEqual([{ reason: 'bad-field', line: 11, detail: 'id.orig_h "10.10.0.999" is not an IP address' }]);
    expect(rows).toEqual([
      {
        frame_time: 1795780800123456,
        frame_len: null,
        ip_dst: '10.10.0.7',
        ip_src: '10.20.0.10',
        dns_qry_name: 'www.example.org',
        dns_qry_class: 1,
        dns_qry_type: 1,
        dns_qry_rcode: 0,
        dns_a: '93.184.216.34',
        dns_id: 4660,
        dns_qr: true,
        dns_flags: 0x8180,
        dns_answers: ['www.example.org.cdn.net', '93.184.216.34', '93.184.216.35'],
        dns_ttl: 60,
        sport: 53,
        dport: 51234,
        transport: 'udp',
        sensor: 'test',
        uid: 'Cx1',
      },
      {
        frame_time: 1795780801500000,
        frame_len: null,
        ip_dst: '10.20.0.10',
        ip_src: '10.10.0.7',
        dns_qry_name: 'xj3k9q.example',
        dns_qry_class: 1,
        dns_qry_type: 16,
        dns_qry_rcode: 0,
        dns_a: null,
        dns_id: 4661,
        dns_qr: false,
        dns_flags: 0x0100,
        dns_answers: [],
        dns_ttl: null,
        sport: 51235,
        dport: 53,
        transport: 'udp',
        sensor: 'test',
        uid: 'Cx2',
      },
      expect.objectContaining({ ip_src: 'fd5e::53', ip_dst: 'fd5e::7', dns_qry_type: 15, dns_flags: 0x8580, dns_answers: ['mail.corp.example'], dns_ttl: 3600, transport: 'tcp', dns_a: null }),
    ]);
  });

  it('reads JSON lines, gzip-compressed, and refuses other logs', async () => {
    const dir = tempDir();
    const path = join(dir, 'dns.json.log.gz');
    const records = [
      { ts: 1795780800.25, uid: 'Cj1', 'id.orig_h': '192.168.1.5', 'id.orig_p': 40000, 'id.resp_h': '192.168.1.1', 'id.resp_p': 53, proto: 'udp', trans_id: 7, query: 'a.example.com', qclass: 1, qtype: 28, rcode: 0, AA: false, TC: false, RD: true, RA: true, Z: 0, answers: ['2001:db8::5'], TTLs: [120.0], rejected: false },
      { ts: '2026-11-27T00:00:01.000000Z', uid: 'Cj2', id: { orig_h: '192.168.1.5', orig_p: 40001, resp_h: '192.168.1.1', resp_p: 53 }, proto: 'udp', trans_id: 8, query: 'b.example.com', qclass: 1, qtype: 1, rcode: 3, RD: true, RA: true, Z: 0, rejected: false },
    ];
    writeFileSync(path, gzipSync(Buffer.from(records.map((r) => JSON.stringify(r)).join('\n') + '\n')));
    expect(await zeekDnsDecoder.accepts(sourceFile(path), await readHead(path))).toBe(true);
    const { rows, rejects } = await decode(path);
    expect(rejects).toEqual([]);
    expect(rows.map((r) => [r.frame_time, r.dns_qry_type, r.dns_qry_rcode, r.dns_a, r.dns_ttl, r.dns_flags, r.ip_src])).toEqual([
      [1795780800250000, 28, 0, '2001:db8::5', 120, 0x8180, '192.168.1.1'],
      [1795737601000000, 1, 3, null, null, 0x8183, '192.168.1.1'],
    ]);
    const conn = join(dir, 'conn.log');
    writeFileSync(conn, '#separator \\x09\n#path\tconn\n#fields\tts\tuid\tid.orig_h\n');
    expect(await zeekDnsDecoder.accepts(sourceFile(conn), await readHead(conn))).toBe(false);
  });
});
