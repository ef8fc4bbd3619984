import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { processIsRunning } from '../../shared/process.js';

/**
 * A spill folder of one DuckDB instance, inside the configured temp directory.
 *
 * DuckDB names its spill files after the block size only (duckdb_temp_storage_S32K-0.tmp …), so
 * two instances spilling into one folder overwrite each other's blocks and read back garbage:
 * the ingest decode workers (one instance each) crashed natively that way as soon as both spilled
 * at once. Each instance therefore gets a folder of its own, named after its process so that
 * folders left by a killed process can be recognised and removed.
 */
const PREFIX = 'duckdb-';

export function privateSpillDir(base: string): string {
  mkdirSync(base, { recursive: true });
  removeOrphans(base);
  return mkdtempSync(join(base, `${PREFIX}${process.pid}-`));
}

export function removeSpillDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Folders of processes that no longer run (killed before they could remove them). */
function removeOrphans(base: string): void {
  for (const name of readdirSync(base)) {
    const pid = /^duckdb-(\d+)-/.exec(name)?.[1];
    if (pid !== undefined && !processIsRunning(Number(pid))) removeSpillDir(join(base, name));
  }
}
