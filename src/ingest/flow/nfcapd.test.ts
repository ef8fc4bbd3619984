import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { hasTool, missingShared, sharedFile } from '../../../test/helpers/shared-data.js';
import { tempDir } from '../../../test/helpers/tmp.js';
import { Ingestor } from '../run.js';
import { lakeQuery, testConfig } from '../testing.js';

const SAMPLE = 'flows/nfcapd/chrispassas-nfdump/nfcapd.sample';
const nfdump = hasTool('nfdump');

interface NfdumpJson {
  first: string;
  last: string;
  received: string;
  proto: number;
  src_port?: number;
  dst_port?: number;
  icmp_type?: number;
  icmp_code?: number;
  src4_addr?: string;
  dst4_addr?: string;
  src6_addr?: string;
  dst6_addr?: string;
  in_packets: number;
  in_bytes: number;
  tcp_flags: string;
  input_snmp: number;
  output_snmp: number;
  ip4_router?: string;
  src_tos: number;
  fwd_status: number;
}

describe.skipIf(!nfdump || missingShared(SAMPLE))('nfcapd decoder (through nfdump)', () => {
  it('ingests every record, each field equal to what nfdump -o json reports', async () => {
    const file = sharedFile(SAMPLE)!;
    const dir = tempDir();
    const config = testConfig(dir);
    const ingestor = await Ingestor.open(config);
    const summary = await ingestor.ingest({ type: 'flow', paths: [file] });
    await ingestor.close();
    expect(summary.files.map((f) => [f.status, f.rows, f.quarantined])).toEqual([['ingested', 3018, 0]]);

    const json = JSON.parse(spawnSync('nfdump', ['-r', file, '-o', 'json'], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, maxBuffer: 1 << 28 }).stdout) as NfdumpJson[];
    expect(json.length).toBe(3018);
    const rows = await lakeQuery<Record<string, unknown>>(config, (v) => `SELECT * FROM ${v}`);
    const key = (r: { sip: unknown; dip: unknown; sport: unknown; dport: unknown; tstart: unknown }) => `${r.sip}|${r.dip}|${r.sport}|${r.dport}|${(r.tstart as Date).toISOString()}`;
    const lake = new Map(rows.map((r) => [key(r as never), r]));
    // Every 37th record, plus every IPv6 and ICMP record.
    const sample = json.filter((j, i) => i % 37 === 0 || j.src6_addr !== undefined || j.proto === 1 || j.proto === 58);
    expect(sample.length).toBeGreaterThan(150);
    for (const j of sample) {
      const tstart = new Date(`${j.first}Z`);
      const sip = j.src4_addr ?? j.src6_addr!;
      const dip = j.dst4_addr ?? j.dst6_addr!;
      const icmp = j.proto === 1 || j.proto === 58;
      // nfdump reports ICMP type and code; the lake keeps them as dport = type * 256 + code, like Spot.
      const dport = icmp ? j.icmp_type! * 256 + j.icmp_code! : j.dst_port;
      const r = lake.get(key({ sip, dip, sport: icmp ? 0 : j.src_port, dport, tstart }));
      expect(r, `${sip} → ${dip} at ${j.first}`).toBeDefined();
      expect(r).toMatchObject({
        tstart,
        tend: new Date(`${j.last}Z`),
        treceived: new Date(`${j.received}Z`),
        proto: { 1: 'ICMP', 6: 'TCP', 17: 'UDP', 58: 'ICMP6' }[j.proto] ?? String(j.proto),
        ipkt: j.in_packets,
        ibyt: j.in_bytes,
        flag: j.tcp_flags ?? '........',
        input: j.input_snmp,
        output: j.output_snmp,
        stos: j.src_tos,
        fwd: j.fwd_status,
        rip: j.ip4_router,
        sensor: 'RB-QG-MW-SOLUCOES',
      });
      expect(r!.tdur).toBeCloseTo((new Date(`${j.last}Z`).getTime() - tstart.getTime()) / 1000, 6);
    }
    // IPv6 addresses come out whole (nfdump abbreviates them without -6).
    const v6 = rows.filter((r) => String(r.sip).includes(':'));
    expect(v6.length).toBeGreaterThan(0);
    expect(v6.every((r) => !String(r.sip).includes('..'))).toBe(true);
  });
});
