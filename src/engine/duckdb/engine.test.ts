import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/tmp.js';
import { DuckDbEngine } from './engine.js';

const ROWS = 3_000_000;
/** Sum of i * 7 + seed over 0..ROWS-1. */
const expectedSum = (seed: number) => (7 * ROWS * (ROWS - 1)) / 2 + seed * ROWS;

describe('DuckDbEngine spill folders', () => {
  it('gives every instance on one temp directory a folder of its own, removed on close', async () => {
    const lake = join(tempDir(), 'lake');
    const [a, b] = [await DuckDbEngine.open(lake, { threads: 1, memoryLimit: '', tempDirectory: '' }), await DuckDbEngine.open(lake, { threads: 1, memoryLimit: '', tempDirectory: '' })];
    const dirOf = async (e: DuckDbEngine) => (await e.query<{ d: string }>(`SELECT current_setting('temp_directory') AS d`))[0]!.d;
    const [da, db] = [await dirOf(a), await dirOf(b)];
    expect(da).not.toBe(db);
    expect(readdirSync(join(lake, '_tmp')).sort()).toEqual([da, db].map((d) => d.slice(join(lake, '_tmp').length + 1)).sort());
    await a.close();
    await b.close();
    expect(readdirSync(join(lake, '_tmp'))).toEqual([]);
  });

  it('keeps the spilled data of two instances apart (they overwrote each other and read back garbage)', async () => {
    const lake = join(tempDir(), 'lake');
    const config = { threads: 1, memoryLimit: '12MB', tempDirectory: '' };
    const [a, b] = [await DuckDbEngine.open(lake, config), await DuckDbEngine.open(lake, config)];
    try {
      // Each table (24 MB) is larger than its instance's memory, so both spill, one after the other.
      await a.run(`CREATE TABLE t AS SELECT i * 7 + 1 AS v FROM range(${ROWS}) r(i)`);
      await b.run(`CREATE TABLE t AS SELECT i * 7 + 2 AS v FROM range(${ROWS}) r(i)`);
      const sum = async (e: DuckDbEngine) => Number((await e.query<{ s: bigint }>('SELECT sum(v)::DOUBLE AS s FROM t'))[0]!.s);
      expect(await sum(a)).toBe(expectedSum(1));
      expect(await sum(b)).toBe(expectedSum(2));
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('removes the folders of processes that no longer run', async () => {
    const tmp = join(tempDir(), 'spill');
    const orphan = join(tmp, 'duckdb-999999999-abc123');
    mkdirSync(orphan, { recursive: true });
    const e = await DuckDbEngine.open(join(tempDir(), 'lake'), { threads: 1, memoryLimit: '', tempDirectory: tmp });
    expect(existsSync(orphan)).toBe(false);
    await e.close();
  });
});
