import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/tmp.js';
import { loadConfig } from '../config/index.js';
import { openLoaderEngine } from '../engine/index.js';
import { flow } from '../schema/index.js';
import { SourceLoader } from './load.js';
import type { StagedLayout } from './staged.js';
import type { TableDef } from '../schema/index.js';

/** Every source column of a table in order, after the line number: the loader's fullest layout. */
function canonicalLayout(table: TableDef): StagedLayout {
  return { delimiter: ',', quoted: true, trim: false, fields: [{ role: 'line' }, ...table.sourceColumns.map((column) => ({ column }))] };
}

async function withLoader<T>(fn: (loader: SourceLoader, dir: string, query: (sql: string) => Promise<Record<string, unknown>[]>) => Promise<T>) {
  const dir = tempDir();
  const engine = await openLoaderEngine(loadConfig({ env: {}, overrides: { 'lake.path': join(dir, 'lake') } }));
  const session = await engine.session();
  const stagingDir = join(dir, 'staging');
  mkdirSync(stagingDir, { recursive: true });
  const loader = new SourceLoader(session, flow, { type: 'flow', path: '/data/src.log', sourceId: 'abc123', decoder: 'test' }, { stagingDir, rowGroupRows: 1024, maxLineBytes: 4096 });
  await loader.begin();
  try {
    return await fn(loader, dir, (sql) => engine.query(sql));
  } finally {
    await session.close();
    await engine.close();
  }
}

// _line, treceived, sip, dip, sport, dport, proto, flag, fwd, stos, ipkt, ibyt, opkt, obyt, input, output, sas, das, dtos, dir, rip, tstart, tend, sensor, state, uid, label
const good = (line: number, sport: string, tstart = '1795820400000000') =>
  `${line},1795820460000000,10.0.0.1,2001:db8::1,${sport},443,TCP,...AP.S.,,,3,180,0,0,,,,,,,,${tstart},1795820460000000,sensor-1,SF,Cabc,`;

describe('SourceLoader', () => {
  it('writes valid rows as Parquet partitioned by hour, with derived columns, and quarantines the rest', () =>
    withLoader(async (loader, dir, query) => {
      const chunk = join(dir, 'staging', 'chunk-0.csv');
      writeFileSync(
        chunk,
        [
          good(1, '1234'),
          good(2, '70000'), // port out of range
          good(3, 'x'), // not a number
          good(4, '1234', ''), // missing required tstart
          '5,too,few', // wrong field count
          good(6, '5678', '1795824000000000'), // next hour
        ].join('\n') + '\n',
      );
      expect(await loader.loadChunk(chunk, canonicalLayout(flow), 1)).toEqual({ rows: 2, rejected: 4 });
      const { quarantined, dataFiles, quarantineFile } = await loader.finish();
      expect(quarantined).toBe(4);
      expect(dataFiles.sort()).toEqual(['y=2026/m=11/d=27/h=23/abc123-0-0.parquet', 'y=2026/m=11/d=28/h=0/abc123-0-0.parquet']);
      const rows = await query(
        `SELECT sport, tdur, unix_tstamp, trhour, trminute, tryear, tstart, sensor, state, uid, label, opkt FROM read_parquet('${dir}/staging/data/*/*/*/*/*.parquet') ORDER BY sport`,
      );
      expect(rows).toEqual([
        { sport: 1234, tdur: 60, unix_tstamp: 1795820460, trhour: 23, trminute: 1, tryear: 2026, tstart: new Date('2026-11-27T23:00:00Z'), sensor: 'sensor-1', state: 'SF', uid: 'Cabc', label: null, opkt: 0 },
        { sport: 5678, tdur: -3540, unix_tstamp: 1795820460, trhour: 23, trminute: 1, tryear: 2026, tstart: new Date('2026-11-28T00:00:00Z'), sensor: 'sensor-1', state: 'SF', uid: 'Cabc', label: null, opkt: 0 },
      ]);
      const q = await query(`SELECT line, reason, detail, left(excerpt, 12) AS excerpt, source, decoder, type FROM read_parquet('${quarantineFile}') ORDER BY line`);
      expect(q).toEqual([
        { line: 2, reason: 'out-of-range', detail: 'sport: 70000', excerpt: '2,1795820460', source: '/data/src.log', decoder: 'test', type: 'flow' },
        { line: 3, reason: 'bad-field', detail: `sport: Could not convert string "x" to 'INTEGER'`, excerpt: good(3, 'x').slice(0, 12), source: '/data/src.log', decoder: 'test', type: 'flow' },
        { line: 4, reason: 'missing-field', detail: 'tstart is empty', excerpt: '4,1795820460', source: '/data/src.log', decoder: 'test', type: 'flow' },
        { line: 5, reason: 'wrong-field-count', detail: expect.stringContaining('Expected Number of Columns: 27 Found: 3'), excerpt: '5,too,few', source: '/data/src.log', decoder: 'test', type: 'flow' },
      ]);
    }));

  it('reads padded tool output with mapped values and ICMP type.code ports', () =>
    withLoader(async (loader, dir, query) => {
      const layout: StagedLayout = {
        delimiter: ',',
        quoted: false,
        trim: true,
        fields: [
          { role: 'line' },
          { column: 'tstart', time: 'text' },
          { column: 'tend', time: 'text' },
          { column: 'treceived', time: 'text' },
          { column: 'proto', map: { '6': 'TCP', '1': 'ICMP' }, keepUnmapped: true, upper: true },
          { column: 'sip' },
          { column: 'dip' },
          { column: 'sport' },
          { column: 'dport', dottedIcmp: true },
          { column: 'ipkt' },
          { column: 'ibyt' },
          { column: 'dir', map: { I: 0, E: 1 } },
        ],
        constants: { sensor: 'edge-1' },
      };
      const chunk = join(dir, 'staging', 'tool-0.txt');
      writeFileSync(
        chunk,
        [
          '   1,2026-11-27 10:00:00.123,2026-11-27 10:00:01.000,2026-11-27 10:00:05.000,6    ,      10.0.0.1,   10.0.0.2,  1234,   443,       3,     180,  I',
          '   2,2026-11-27 10:00:00.000,2026-11-27 10:00:00.000,2026-11-27 10:00:05.000,1    ,      10.0.0.1,   10.0.0.2,     0,   3.1,       1,      84,  E',
          '   3,2026-11-27 10:00:00.000,2026-11-27 10:00:00.000,2026-11-27 10:00:05.000,47   ,      10.0.0.1,   10.0.0.2,     0,     0,       1,      84,  X',
          '   4,2026-13-27 10:00:00.000,2026-11-27 10:00:00.000,2026-11-27 10:00:05.000,47   ,      10.0.0.1,   10.0.0.2,     0,     0,       1,      84,  I',
        ].join('\n') + '\n',
      );
      expect(await loader.loadChunk(chunk, layout, 1)).toEqual({ rows: 2, rejected: 2 });
      const { quarantineFile } = await loader.finish();
      expect(await query(`SELECT proto, sip, dport, dir, sensor, tdur, tstart FROM read_parquet('${dir}/staging/data/*/*/*/*/*.parquet') ORDER BY tstart DESC`)).toEqual([
        { proto: 'TCP', sip: '10.0.0.1', dport: 443, dir: 0, sensor: 'edge-1', tdur: 0.877, tstart: new Date('2026-11-27T10:00:00.123Z') },
        { proto: 'ICMP', sip: '10.0.0.1', dport: 769, dir: 1, sensor: 'edge-1', tdur: 0, tstart: new Date('2026-11-27T10:00:00.000Z') },
      ]);
      expect(await query(`SELECT line, reason, detail FROM read_parquet('${quarantineFile}') ORDER BY line`)).toEqual([
        { line: 3, reason: 'bad-field', detail: 'dir: X' },
        { line: 4, reason: 'bad-timestamp', detail: expect.stringMatching(/^tstart: /) },
      ]);
    }));
});

describe('SourceLoader with list and text-part columns', () => {
  it('reads JSON lists, derives Spot text dates, and quarantines a list that is not JSON', async () => {
    const dir = tempDir();
    const engine = await openLoaderEngine(loadConfig({ env: {}, overrides: { 'lake.path': join(dir, 'lake') } }));
    const session = await engine.session();
    const stagingDir = join(dir, 'staging');
    mkdirSync(stagingDir, { recursive: true });
    const { dns } = await import('../schema/index.js');
    const loader = new SourceLoader(session, dns, { type: 'dns', path: '/x.pcap', sourceId: 'd1', decoder: 'test' }, { stagingDir, rowGroupRows: 1024, maxLineBytes: 4096 });
    await loader.begin();
    // _line, frame_time, frame_len, ip_dst, ip_src, dns_qry_name, class, type, rcode, dns_a, dns_id, dns_qr, dns_flags, dns_answers, dns_ttl, sport, dport, transport, sensor, uid
    const chunk = join(stagingDir, 'c.csv');
    writeFileSync(
      chunk,
      [
        `1,1795820400123456,90,10.0.0.5,10.0.0.53,www.example.org,1,1,0,93.184.216.34,4660,true,33152,"[""93.184.216.34"",""2606:2800::1"",""a,b""]",300,53,51000,udp,,`,
        `2,1795820400200000,90,10.0.0.5,10.0.0.53,x.example.org,1,16,3,,4661,true,33155,"not json",,53,51001,udp,,`,
      ].join('\n') + '\n',
    );
    expect(await loader.loadChunk(chunk, canonicalLayout(dns), 1)).toEqual({ rows: 1, rejected: 1 });
    const { quarantineFile } = await loader.finish();
    expect(await engine.query(`SELECT dns_answers, dns_qr, unix_tstamp, dns_ttl FROM read_parquet('${stagingDir}/data/*/*/*/*/*.parquet')`)).toEqual([
      { dns_answers: ['93.184.216.34', '2606:2800::1', 'a,b'], dns_qr: true, unix_tstamp: 1795820400, dns_ttl: 300 },
    ]);
    expect(await engine.query(`SELECT line, reason, detail FROM read_parquet('${quarantineFile}')`)).toEqual([
      { line: 2, reason: 'bad-field', detail: 'dns_answers: not json' },
    ]);
    await session.close();
    await engine.close();
  });
});

describe('SourceLoader with derived text columns', () => {
  it("derives Spot's fulluri, p_date and p_time for proxy rows", async () => {
    const dir = tempDir();
    const engine = await openLoaderEngine(loadConfig({ env: {}, overrides: { 'lake.path': join(dir, 'lake') } }));
    const session = await engine.session();
    const stagingDir = join(dir, 'staging');
    mkdirSync(stagingDir, { recursive: true });
    const { proxy } = await import('../schema/index.js');
    const loader = new SourceLoader(session, proxy, { type: 'proxy', path: '/p.log', sourceId: 'p1', decoder: 'test' }, { stagingDir, rowGroupRows: 1024, maxLineBytes: 4096 });
    await loader.begin();
    const cols = proxy.sourceColumns;
    const row = (line: number, values: Record<string, string>) => [String(line), ...cols.map((c) => values[c] ?? '')].join(',');
    const base = { clientip: '10.0.0.1', ts: '1795820461250000', format: 'squid' };
    const chunk = join(stagingDir, 'c.csv');
    writeFileSync(
      chunk,
      [
        row(1, { ...base, host: 'example.com', uripath: '/', uriquery: '?' }),
        row(2, { ...base, host: 'example.com', uripath: '/a/b.exe', uriquery: '?x=1' }),
        row(3, { ...base, host: 'login.example.com' }),
      ].join('\n') + '\n',
    );
    expect(await loader.loadChunk(chunk, canonicalLayout(proxy), 1)).toEqual({ rows: 3, rejected: 0 });
    await loader.finish();
    expect(await engine.query(`SELECT fulluri, p_date, p_time FROM read_parquet('${stagingDir}/data/*/*/*/*/*.parquet') ORDER BY fulluri`)).toEqual([
      { fulluri: 'example.com', p_date: '2026-11-27', p_time: '23:01:01' },
      { fulluri: 'example.com/a/b.exe?x=1', p_date: '2026-11-27', p_time: '23:01:01' },
      { fulluri: 'login.example.com', p_date: '2026-11-27', p_time: '23:01:01' },
    ]);
    await session.close();
    await engine.close();
  });
});
