import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/tmp.js';
import { loadConfig } from '../config/index.js';
import { openLoaderEngine, type ExportTarget } from '../engine/index.js';
import { dns, flow, type DnsRow, type FlowRow } from '../schema/index.js';
import { JoinedBatch, JoinedText } from './column-batch.js';
import { RowWriter } from './row-writer.js';

async function withWriter<T>(
  table: typeof dns | typeof flow,
  chunkRows: number,
  fn: (w: RowWriter, dir: string, query: (sql: string) => Promise<Record<string, unknown>[]>) => Promise<T>,
  copySessions = 1,
) {
  const dir = tempDir();
  // One thread, as decode workers run their DuckDB: concurrent chunk writes each run on their own caller's thread.
  const engine = await openLoaderEngine(loadConfig({ env: {}, overrides: { 'lake.path': join(dir, 'lake'), 'engine.duckdb.threads': 1 } }));
  const sessions = await Promise.all(Array.from({ length: copySessions + 1 }, () => engine.session()));
  const stagingDir = join(dir, 'staging');
  mkdirSync(stagingDir, { recursive: true });
  try {
    const w = await RowWriter.open(sessions[0]!, sessions.slice(1), table, { type: table.name, path: '/src/x', sourceId: 'sid', decoder: 'test' }, { stagingDir, rowGroupRows: 4096, chunkRows });
    return await fn(w, stagingDir, (sql) => engine.query(sql));
  } finally {
    for (const s of sessions) await s.close();
    await engine.close();
  }
}

const dnsRow = (i: number): DnsRow => ({
  frame_time: Date.UTC(2026, 10, 27, i % 3) * 1000 + i,
  frame_len: i % 5 === 0 ? null : 60 + (i % 100),
  ip_dst: i % 7 === 0 ? '2001:db8::1' : `10.0.${(i >> 8) & 255}.${i & 255}`,
  ip_src: '10.20.0.10',
  dns_qry_name: i % 11 === 0 ? null : `h${i}.example.org`,
  dns_qry_class: 1,
  dns_qry_type: i % 2 ? 1 : 28,
  dns_qry_rcode: 0,
  dns_a: i % 2 ? `93.184.0.${i & 255}` : null,
  dns_id: i & 0xffff,
  dns_qr: i % 2 === 1,
  dns_flags: i % 2 ? 0x8180 : 0x0100,
  dns_answers: i % 2 ? [`c${i}.cdn.net`, `93.184.0.${i & 255}`] : i % 4 === 0 ? [] : null,
  dns_ttl: i % 2 ? 300 + i : null,
  sport: 53,
  dport: 40000 + (i % 20000),
  transport: 'udp',
  sensor: 'tap-1',
  uid: null,
});

/** A flow of the test hours: the columns a test does not set are null, as the schema lists them. */
const flowRow = (i: number): FlowRow => ({
  ...(Object.fromEntries(flow.sourceColumns.map((c) => [c, null])) as unknown as FlowRow),
  treceived: Date.UTC(2026, 10, 27, i % 2) * 1000 + i,
  sip: '10.0.0.1',
  dip: `10.0.${(i >> 8) & 255}.${i & 255}`,
  sport: 40000 + (i % 1000),
  dport: 443,
  proto: 'TCP',
  flag: i % 3 === 0 ? null : '...A....',
  ipkt: i,
  ibyt: i * 100,
  tstart: Date.UTC(2026, 10, 27, i % 2) * 1000 + i,
  tend: Date.UTC(2026, 10, 27, i % 2) * 1000 + i + 5,
  sensor: 'r1',
});

describe('RowWriter', () => {
  it.each([1, 2])('writes every row once, across batches, chunks and hours, nulls and lists included (%i copy sessions)', (copySessions) =>
    withWriter(dns, 7000, async (w, dir, query) => {
      const n = 25_000;
      for (let i = 0; i < n; i++) w.append(dnsRow(i), { offset: i });
      w.reject('bad-record', { offset: 99 }, 'not a DNS message', 'x\u0000y');
      const closed = await w.close();
      expect(closed).toMatchObject({ rows: n, rejected: 1 });
      const files = `read_parquet('${dir}/data/*/*/*/*/*.parquet', hive_partitioning = true)`;
      expect(await query(`SELECT count(*) AS n, count(DISTINCT dns_id) AS ids, count(frame_len) AS lens, count(dns_qry_name) AS names, count(dns_answers) AS lists, sum(len(dns_answers)) AS answers FROM ${files}`)).toEqual([
        { n, ids: 25_000, lens: n - Math.ceil(n / 5), names: n - Math.ceil(n / 11), lists: 18_750, answers: 25_000 },
      ]);
      for (const i of [0, 1, 4, 7, 11, 24_999]) {
        const [r] = await query(`SELECT * EXCLUDE (y, m, d, h, unix_tstamp) FROM ${files} WHERE dns_id = ${i}`);
        const want = dnsRow(i);
        expect(r).toEqual({ ...want, frame_time: new Date(Math.floor(want.frame_time / 1000)) });
      }
      expect(await query(`SELECT h, count(*) AS n FROM ${files} GROUP BY h ORDER BY h`)).toEqual([
        { h: 0, n: 8334 },
        { h: 1, n: 8333 },
        { h: 2, n: 8333 },
      ]);
      expect(await query(`SELECT line, "offset", reason, detail, excerpt, source, decoder, type FROM read_parquet('${closed.quarantineFile}')`)).toEqual([
        { line: null, offset: 99, reason: 'bad-record', detail: 'not a DNS message', excerpt: 'x\u0000y', source: '/src/x', decoder: 'test', type: 'dns' },
      ]);
    }, copySessions));

  it('takes batches a decoder filled itself beside single rows, with two chunks written at once', () =>
    withWriter(
      flow,
      3000,
      async (w, dir, query) => {
        const batch = new JoinedBatch(flow, 1000);
        const ip = Buffer.from('10.1.2.3');
        const sip = flow.sourceColumns.indexOf('sip');
        for (let i = 0; i < 20_000; i++) {
          if (i % 10 === 0) {
            w.append({ ...flowRow(i), sip: '10.9.9.9' }, { line: i });
            continue;
          }
          flow.sourceColumns.forEach((name, c) => {
            const v = flowRow(i)[name as keyof FlowRow];
            if (c === sip) batch.text(c).add(ip, 0, ip.length);
            else if (batch.columns[c]!.values instanceof JoinedText) {
              if (v === null) batch.text(c).addNull();
              else batch.text(c).addText(String(v));
            } else if (v !== null) {
              batch.numbers(c)[batch.rows] = v as number;
              batch.valid(c);
            }
          });
          batch.endRow(i);
          if (batch.full) {
            w.appendBatch(batch.columns, batch.rows);
            batch.clear();
          }
          // As the decode task does: wait while both copy sessions are busy and the next chunk is full.
          const backlog = w.backlog();
          if (backlog) await backlog;
        }
        w.appendBatch(batch.columns, batch.rows);
        expect(await w.close()).toMatchObject({ rows: 20_000, rejected: 0 });
        const files = `read_parquet('${dir}/data/*/*/*/*/*.parquet', hive_partitioning = true)`;
        expect(await query(`SELECT sip, count(*) AS n, count(DISTINCT ipkt) AS k, min(ipkt) AS lo, max(ipkt) AS hi FROM ${files} GROUP BY sip ORDER BY sip`)).toEqual([
          { sip: '10.1.2.3', n: 18_000, k: 18_000, lo: 1, hi: 19_999 },
          { sip: '10.9.9.9', n: 2000, k: 2000, lo: 0, hi: 19_990 },
        ]);
      },
      2,
    ));

  it('writes a chunk within one hour straight into its folder, with the columns a partitioned write has', async () => {
    const dir = tempDir();
    const engine = await openLoaderEngine(loadConfig({ env: {}, overrides: { 'lake.path': join(dir, 'lake'), 'engine.duckdb.threads': 1 } }));
    const [a, b] = [await engine.session(), await engine.session()];
    // Which chunk writes DuckDB partitioned, in order.
    const partitioned: boolean[] = [];
    const copy = new Proxy(b, {
      get: (target, key) => (key === 'export' ? (sql: string, t: ExportTarget) => (partitioned.push(t.partitionBy !== undefined), target.export(sql, t)) : Reflect.get(target, key)),
    });
    const stagingDir = join(dir, 'staging');
    try {
      const w = await RowWriter.open(a, [copy], dns, { type: 'dns', path: '/src/x', sourceId: 'sid', decoder: 'test' }, { stagingDir, rowGroupRows: 4096, chunkRows: 8192 });
      // Rows in time order: hour 0, then hour 1 from row 24,876, inside a batch.
      const n = 4 * 8192;
      for (let i = 0; i < n; i++) {
        w.append({ ...dnsRow(i), frame_time: Date.UTC(2026, 10, 27, i < 24_876 ? 0 : 1) * 1000 + i }, { offset: i });
        const backlog = w.backlog();
        if (backlog) await backlog;
      }
      expect(await w.close()).toMatchObject({ rows: n });
      expect(partitioned.filter((p) => p)).toEqual([true]);
      expect(partitioned.length).toBeGreaterThan(2);
      const files = (await engine.query(`SELECT file FROM glob('${stagingDir}/data/**/*.parquet') ORDER BY file`)).map((r) => String(r.file).slice(stagingDir.length + 6));
      expect(files.filter((f) => f.startsWith('y=2026/m=11/d=27/h=1/'))).toHaveLength(1);
      const columns = async (file: string) => (await engine.query(`SELECT name FROM parquet_schema('${stagingDir}/data/${file}') WHERE name <> 'duckdb_schema'`)).map((r) => r.name);
      expect(await columns(files[0]!)).toEqual(await columns(files.at(-1)!));
      expect(await columns(files[0]!)).not.toContain('h');
      expect(await engine.query(`SELECT h, count(*) AS n, count(DISTINCT dns_id) AS ids FROM read_parquet('${stagingDir}/data/*/*/*/*/*.parquet', hive_partitioning = true) GROUP BY h ORDER BY h`)).toEqual([
        { h: 0, n: 24_876, ids: 24_876 },
        { h: 1, n: n - 24_876, ids: n - 24_876 },
      ]);
    } finally {
      await a.close();
      await b.close();
      await engine.close();
    }
  });

  it('keeps 64-bit counters and negative-free timestamps exact', () =>
    withWriter(flow, 1000, async (w, dir, query) => {
      const base: FlowRow = {
        treceived: 1_795_820_400_123_457,
        sip: '10.0.0.1',
        dip: '10.0.0.2',
        sport: 65535,
        dport: 0,
        proto: 'TCP',
        flag: '...A....',
        fwd: null,
        stos: null,
        ipkt: 2 ** 40 + 3,
        ibyt: Number.MAX_SAFE_INTEGER,
        opkt: 0,
        obyt: null,
        input: null,
        output: null,
        sas: 4_200_000_000,
        das: null,
        dtos: null,
        dir: null,
        rip: null,
        tstart: 1_795_820_400_000_001,
        tend: 1_795_820_401_000_001,
        sensor: null,
        state: null,
        uid: null,
        label: null,
      };
      w.append(base, { line: 1 });
      await w.close();
      expect(await query(`SELECT epoch_us(treceived) AS tr, ipkt, ibyt, sas, sport, tdur, obyt FROM read_parquet('${dir}/data/*/*/*/*/*.parquet')`)).toEqual([
        { tr: 1_795_820_400_123_457, ipkt: 2 ** 40 + 3, ibyt: Number.MAX_SAFE_INTEGER, sas: 4_200_000_000, sport: 65535, tdur: 1, obyt: null },
      ]);
    }));
});
