import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { openEngine, type Engine } from '../../src/engine/index.js';
import { tempDir } from './tmp.js';

/** An engine on a fresh lake in a temporary folder (removed after the test), closed after fn. */
export async function withEngine<T>(fn: (e: Engine, dir: string) => Promise<T>): Promise<T> {
  const dir = tempDir();
  const e = await openEngine(loadConfig({ env: {}, overrides: { 'lake.path': join(dir, 'lake') } }));
  try {
    return await fn(e, dir);
  } finally {
    await e.close();
  }
}
