import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { EngineConfig } from '../config.js';
import type { Engine, EngineSession } from '../engine.js';
import { LAKE_DIRS } from '../../lake/layout.js';
import { DuckDbSession } from './session.js';
import { privateSpillDir, removeSpillDir } from './spill-dir.js';

/** The embedded engine: one in-process DuckDB database in memory, reading the Parquet lake. */
export class DuckDbEngine extends DuckDbSession implements Engine {
  readonly name = 'duckdb' as const;
  readonly #instance: DuckDBInstance;
  readonly #spillDir: string;
  readonly #sessions = new Set<EngineSession>();

  private constructor(instance: DuckDBInstance, connection: Awaited<ReturnType<DuckDBInstance['connect']>>, lakePath: string, spillDir: string) {
    super(connection, lakePath);
    this.#instance = instance;
    this.#spillDir = spillDir;
  }

  static async open(lakePath: string, config: EngineConfig['duckdb']): Promise<DuckDbEngine> {
    const lake = resolve(lakePath);
    // Several instances share a temp directory (decode workers, a second command on the lake).
    const spillDir = privateSpillDir(config.tempDirectory || join(lake, LAKE_DIRS.tmp));
    const options: Record<string, string> = {
      threads: String(config.threads || Math.max(1, cpus().length)),
      temp_directory: spillDir,
      // Order of rows inside a Parquet file carries no meaning here; dropping it bounds memory.
      preserve_insertion_order: 'false',
      // Queries read and write local files only; no extension is fetched from the network.
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      // DuckDB's allocator keeps up to 512 MiB of freed memory by default; give it back sooner.
      allocator_flush_threshold: '32MB',
      allocator_background_threads: 'true',
      allocator_bulk_deallocation_flush_threshold: '64MB',
    };
    if (config.memoryLimit) options.memory_limit = config.memoryLimit;
    try {
      const instance = await DuckDBInstance.create(':memory:', options);
      return new DuckDbEngine(instance, await connectUtc(instance), lake, spillDir);
    } catch (e) {
      removeSpillDir(spillDir);
      throw e;
    }
  }

  async session(): Promise<EngineSession> {
    const s = new DuckDbSession(await connectUtc(this.#instance), this.lakePath);
    this.#sessions.add(s);
    const close = s.close.bind(s);
    s.close = async () => {
      this.#sessions.delete(s);
      await close();
    };
    return s;
  }

  override async close(): Promise<void> {
    for (const s of [...this.#sessions]) await s.close();
    await super.close();
    this.#instance.closeSync();
    removeSpillDir(this.#spillDir);
  }
}

/** Every session reads and prints times in UTC, whatever the machine's zone. */
async function connectUtc(instance: DuckDBInstance) {
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  return connection;
}
