import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/tmp.js';
import { loadConfig } from '../config/index.js';
import { openEngine } from '../engine/index.js';
import { oaTablePath, oaTableView, writeOaTable } from './output.js';

describe('OA tables', () => {
  it('are written whole per day, conformed to their schema, and a rerun replaces them', async () => {
    const dir = tempDir();
    const lakePath = join(dir, 'lake');
    const engine = await openEngine(loadConfig({ env: {}, overrides: { 'lake.path': lakePath } }));
    try {
      const day = { lakePath, day: '2026-11-27', outDir: join(dir, 'out') };
      // Columns in any order, an extra one, numbers to be cast.
      const sql = (total: number) =>
        `SELECT 42 AS extra, ${total} AS total, 'flow' AS type, TIMESTAMP '2026-11-27 10:01:00' AS minute, '2026-11-27 10:01' AS tdate UNION ALL ` +
        `SELECT 0, 7, 'dns', TIMESTAMP '2026-11-27 10:00:00', '2026-11-27 10:00'`;
      expect(await writeOaTable(engine, 'ingest_summary', sql(5), day)).toBe(2);
      expect(await writeOaTable(engine, 'ingest_summary', sql(6), day)).toBe(2);
      const path = oaTablePath(lakePath, 'ingest_summary', '2026-11-27');
      expect(path).toBe(join(lakePath, 'oa', 'ingest_summary', 'y=2026', 'm=11', 'd=27', 'ingest_summary.parquet'));
      expect(await readdir(dirname(path))).toEqual(['ingest_summary.parquet']);
      const view = await oaTableView(engine, 'ingest_summary', day);
      expect(await engine.query(`SELECT * FROM ${view}`)).toEqual([
        { type: 'dns', minute: new Date('2026-11-27T10:00:00Z'), tdate: '2026-11-27 10:00', total: 7 },
        { type: 'flow', minute: new Date('2026-11-27T10:01:00Z'), tdate: '2026-11-27 10:01', total: 6 },
      ]);
      expect(await readFile(join(dir, 'out', 'ingest_summary.csv'), 'utf8')).toBe(
        'type,minute,tdate,total\ndns,2026-11-27 10:00:00,2026-11-27 10:00,7\nflow,2026-11-27 10:01:00,2026-11-27 10:01,6\n',
      );
      // A day never written reads as empty, with the columns.
      const empty = await oaTableView(engine, 'threats', { lakePath, day: '2026-11-26' }, 'none');
      expect(await engine.query(`SELECT count(*) AS n FROM ${empty}`)).toEqual([{ n: 0 }]);
    } finally {
      await engine.close();
    }
  });
});
