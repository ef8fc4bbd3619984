import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/tmp.js';
import { loadConfig } from '../../config/index.js';
import { ColumnBatch } from '../../lake/column-batch.js';
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
});
