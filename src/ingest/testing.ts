import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadConfig, type Config } from '../config/index.js';
import { openEngine } from '../engine/index.js';
import type { Row } from '../engine/index.js';

/** A config for tests: its own lake, defaults otherwise, no environment. */
export function testConfig(dir: string, overrides: Record<string, unknown> = {}): Config {
  return loadConfig({ env: {}, overrides: { 'lake.path': join(dir, 'lake'), ...overrides } });
}

/** Run a query over the lake of a config. */
export async function lakeQuery<T extends Row = Row>(config: Config, sql: (view: string) => string): Promise<T[]> {
  const engine = await openEngine(config);
  try {
    const view = await engine.lakeView('flow');
    return await engine.query<T>(sql(view));
  } finally {
    await engine.close();
  }
}

/** nfdump's own record count for a file: the oracle for nfcapd ingest. */
export function nfdumpCount(path: string): number {
  const out = spawnSync('nfdump', ['-q', '-r', path, '-o', 'fmt:%cnt'], { encoding: 'utf8', maxBuffer: 1 << 30 }).stdout;
  return out.split('\n').filter((l) => /^\s*\d+\s*$/.test(l)).length;
}
