import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/tmp.js';
import { loadConfig } from '../../config/index.js';
import { batchRows, ColumnBatch, JoinedBatch } from '../../lake/column-batch.js';
import { defineTable, col } from '../../schema/define.js';
import { openLoaderEngine } from '../index.js';

const table = defineTable(
  'bulk_test',
  {
    t: col.timestamp('time', { required: true }),
    n: col.count('a counter'),
    i: col.int('an int'),
    d: col.double('a double'),
    b: col.bool('a flag'),
    s: col.text('text'),
    k: col.text('constant text'),
    z: col.text('always null'),
    l: col.textList('a list'),
  },
  { partitionBy: 't', description: 'test' },
);

async function roundTrip(rows: Record<string, unknown>[], batchRows = 4) {
  const engine = await openLoaderEngine(loadConfig({ env: {}, overrides: { 'lake.path': join(tempDir(), 'lake') } }));
  try {
    const bulk = await engine.bulkTable('bt', table.sourceColumns.map((name) => ({ name, kind: table.columns[name as keyof typeof table.columns].kind })));
    const batch = new ColumnBatch(table, batchRows);
    for (const r of rows) {
      batch.push(r);
      if (batch.full) {
        bulk.append(batch.columns, batch.rows);
        batch.clear();
      }
    }
    bulk.append(batch.columns, batch.rows);
    bulk.flush();
    return await engine.query(`SELECT * FROM ${bulk.relation} AS r`);
  } finally {
    await engine.close();
  }
}

describe('bulk tables', () => {
  it('give back every value, type and null as appended, batch after batch', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({
      t: Date.UTC(2026, 10, 27) * 1000 + i,
      n: i % 3 === 0 ? null : 2 ** 40 + i,
      i: i - 5,
      d: i / 4,
      b: i % 2 === 0,
      s: i % 4 === 1 ? null : i % 4 === 2 ? '' : `v${i},"q"`,
      k: 'sensor-1',
      z: null,
      l: i % 3 === 0 ? null : i % 3 === 1 ? [] : [`a${i}`, '', 'b,c'],
    }));
    const got = await roundTrip(rows);
    expect(got).toEqual(rows.map((r) => ({ ...r, t: new Date(Math.floor((r.t as number) / 1000)), b: r.b })));
  });

  it('falls back, batch by batch, when text holds the separators', async () => {
    const rows = [
      { t: 1, s: 'plain', k: 'x\u001fy', z: null, l: ['a\u001db', '\u001c'] },
      { t: 2, s: 'has\u001fsep', k: 'x\u001fy', z: null, l: ['\u001e'] },
      { t: 3, s: '\u001e', k: 'x\u001fy', z: null, l: null },
      { t: 4, s: null, k: 'x\u001fy', z: null, l: [] },
      { t: 5, s: 'ok', k: 'other', z: null, l: ['fine'] },
    ].map((r) => ({ n: 1, i: 1, d: 1, b: true, ...r }));
    const got = await roundTrip(rows, 4);
    expect(got.map((r) => [r.s, r.k, r.z, r.l])).toEqual(rows.map((r) => [r.s, r.k, r.z, r.l]));
  });

  it('take joined text batches, as byte-level decoders fill them, beside row batches', async () => {
    const joined = defineTable('joined_test', { t: col.timestamp('time', { required: true }), n: col.count('a counter'), s: col.text('text'), a: col.ip('an address') }, { partitionBy: 't', description: 'test' });
    const engine = await openLoaderEngine(loadConfig({ env: {}, overrides: { 'lake.path': join(tempDir(), 'lake') } }));
    try {
      const bulk = await engine.bulkTable('jt', joined.sourceColumns.map((name) => ({ name, kind: joined.columns[name as keyof typeof joined.columns].kind })));
      const batch = new JoinedBatch(joined, 3);
      const source = Buffer.from('abc 10.0.0.1');
      const values: [number, number | null, string | null, string | null][] = [
        [1, 7, 'abc', '10.0.0.1'],
        [2, null, null, null],
        [3, 2 ** 50, 'café ☕', null],
        [4, 0, '', '10.0.0.1'],
      ];
      for (const [t, n, s, a] of values) {
        batch.numbers(0)[batch.rows] = t;
        batch.valid(0);
        if (n !== null) {
          batch.numbers(1)[batch.rows] = n;
          batch.valid(1);
        }
        if (s === 'abc') batch.text(2).add(source, 0, 3);
        else if (s === null) batch.text(2).addNull();
        else batch.text(2).addText(s);
        if (a === null) batch.text(3).addNull();
        else batch.text(3).add(source, 4, 12);
        batch.endRow(t * 10);
        if (batch.full || t === 4) {
          expect(batchRows(batch.columns, batch.rows).map((r) => r.s)).toEqual(values.slice(t === 4 ? 3 : 0, t).map((v) => v[2]));
          bulk.append(batch.columns, batch.rows);
          batch.clear();
        }
      }
      const rows = new ColumnBatch(joined, 2);
      rows.push({ t: 5, n: 1, s: 'row', a: null });
      bulk.append(rows.columns, rows.rows);
      bulk.flush();
      const got = await engine.query(`SELECT epoch_us(t) AS t, n, s, a FROM ${bulk.relation} AS r ORDER BY t`);
      expect(got).toEqual([...values, [5, 1, 'row', null]].map(([t, n, s, a]) => ({ t, n, s, a })));
    } finally {
      await engine.close();
    }
  });
});
