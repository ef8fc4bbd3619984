import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/tmp.js';
import { loadConfig } from '../config/index.js';
import { flow } from '../schema/index.js';
import { openEngine, type Engine } from './index.js';

/**
 * The conformance suite every Engine implementation passes: the same SQL, the same rows.
 * The Spark Connect engine joins the list when it lands.
 */
const ENGINES: { name: string; open: (lake: string) => Promise<Engine> }[] = [
  { name: 'duckdb', open: (lake) => openEngine(loadConfig({ env: {}, overrides: { 'lake.path': lake } })) },
];

describe.each(ENGINES)('engine $name', ({ open }) => {
  async function withEngine<T>(fn: (e: Engine, lake: string) => Promise<T>): Promise<T> {
    const lake = tempDir();
    const engine = await open(lake);
    try {
      return await fn(engine, lake);
    } finally {
      await engine.close();
    }
  }

  it('runs queries with named parameters, in UTC', () =>
    withEngine(async (e) => {
      const rows = await e.query(`SELECT $a + 1 AS n, $s AS s, CAST($t AS TIMESTAMP) AS t, hour(CAST($t AS TIMESTAMP)) AS h`, {
        a: 41,
        s: "O'Brien",
        t: new Date(Date.UTC(2026, 10, 27, 23, 30)),
      });
      expect(rows).toEqual([{ n: 42, s: "O'Brien", t: new Date(Date.UTC(2026, 10, 27, 23, 30)), h: 23 }]);
    }));

  it('streams large results in batches', () =>
    withEngine(async (e) => {
      let total = 0;
      let batches = 0;
      let sum = 0;
      for await (const batch of e.stream<{ i: number }>('SELECT range AS i FROM range(100000)')) {
        batches++;
        total += batch.length;
        for (const r of batch) sum += r.i;
      }
      expect(total).toBe(100000);
      expect(sum).toBe((99999 * 100000) / 2);
      expect(batches).toBeGreaterThan(1);
    }));

  it('brings numeric columns over as typed arrays, NULL as NaN', () =>
    withEngine(async (e) => {
      const { rows, columns } = await e.numericColumns(`SELECT range AS i, range * 0.5 AS half, CASE WHEN range % 1000 = 7 THEN NULL ELSE 1 END AS one FROM range(100000)`);
      expect(rows).toBe(100000);
      expect(columns.i!.length).toBe(100000);
      expect(columns.i![99999]).toBe(99999);
      expect(columns.half![3]).toBe(1.5);
      expect(Number.isNaN(columns.one![7])).toBe(true);
      expect(columns.one!.reduce((n, v) => n + (Number.isNaN(v) ? 0 : v), 0)).toBe(99900);
    }));

  it('streams numeric columns a chunk at a time, in the query\'s column order', () =>
    withEngine(async (e) => {
      let rows = 0;
      let chunks = 0;
      let sum = 0;
      for await (const chunk of e.numericChunks(`SELECT range * 2 AS twice, range AS i FROM range(5000) ORDER BY range`)) {
        const [twice, i] = chunk.columns as [Float64Array, Float64Array];
        expect(twice.length).toBe(chunk.rows);
        for (let r = 0; r < chunk.rows; r++) expect(twice[r]).toBe(2 * (rows + r));
        sum += i.reduce((a, b) => a + b, 0);
        rows += chunk.rows;
        chunks++;
      }
      expect(rows).toBe(5000);
      expect(chunks).toBeGreaterThan(1);
      expect(sum).toBe((4999 * 5000) / 2);
    }));

  it('registers small in-memory tables', () =>
    withEngine(async (e) => {
      await e.registerTable(
        'context',
        [
          { name: 'cidr', type: 'text' },
          { name: 'label', type: 'text' },
          { name: 'weight', type: 'int' },
        ],
        [
          ['10.0.0.0/8', 'LAN', 1],
          ['192.168.10.0/24', "Finance 'servers'", 3],
        ],
      );
      expect(await e.query('SELECT label, weight FROM context ORDER BY weight')).toEqual([
        { label: 'LAN', weight: 1 },
        { label: "Finance 'servers'", weight: 3 },
      ]);
      await expect(e.registerTable('bad name', [{ name: 'a', type: 'int' }], [])).rejects.toThrow('not a valid SQL identifier');
    }));

  it('exposes an empty lake as an empty view with the schema columns', () =>
    withEngine(async (e) => {
      const view = await e.lakeView('flow', { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 0, 2) });
      expect(await e.query(`SELECT count(*) AS n FROM ${view}`)).toEqual([{ n: 0 }]);
      const cols = (await e.query<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE SELECT * FROM ${view})`)).map((r) => r.column_name);
      expect(cols).toEqual([...flow.columnNames, 'y', 'm', 'd', 'h']);
    }));

  it('writes partitioned Parquet and reads back only the hours asked for', () =>
    withEngine(async (e, lake) => {
      mkdirSync(join(lake, 'flow'), { recursive: true });
      const hours = [Date.UTC(2026, 10, 27, 22), Date.UTC(2026, 10, 27, 23), Date.UTC(2026, 10, 28, 0)];
      const select = hours
        .map((t, i) => `SELECT ${i} AS i, CAST('${new Date(t).toISOString().slice(0, 19).replace('T', ' ')}' AS TIMESTAMP) AS tstart`)
        .join(' UNION ALL ');
      await e.export(`SELECT *, year(tstart) AS y, month(tstart) AS m, day(tstart) AS d, hour(tstart) AS h FROM (${select})`, {
        format: 'parquet',
        path: join(lake, 'flow'),
        partitionBy: ['y', 'm', 'd', 'h'],
        fileName: 'test-{i}',
      });
      const view = await e.lakeView('flow', { from: hours[1]!, to: hours[2]! + 3_600_000 });
      expect(await e.query(`SELECT i, y, m, d, h FROM ${view} ORDER BY i`)).toEqual([
        { i: 1, y: 2026, m: 11, d: 27, h: 23 },
        { i: 2, y: 2026, m: 11, d: 28, h: 0 },
      ]);
    }));

  it('writes CSV with a header', () =>
    withEngine(async (e, lake) => {
      const path = join(lake, 'x.csv');
      await e.export(`SELECT 1 AS a, 'x,y' AS b, CAST('2026-11-27 10:00:00.25' AS TIMESTAMP) AS t`, { format: 'csv', path });
      expect(readFileSync(path, 'utf8')).toBe('a,b,t\n1,"x,y",2026-11-27 10:00:00.25\n');
    }));

  it('keeps temporary objects per session', () =>
    withEngine(async (e) => {
      const a = await e.session();
      const b = await e.session();
      await a.run('CREATE TEMP TABLE only_a AS SELECT 1 AS x');
      expect(await a.query('SELECT x FROM only_a')).toEqual([{ x: 1 }]);
      await expect(b.query('SELECT x FROM only_a')).rejects.toThrow(/only_a/);
      await a.close();
      await b.close();
    }));
});
