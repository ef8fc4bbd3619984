import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { DuckDbSession } from '../engine/duckdb/session.js';
import type { EngineSession } from '../engine/index.js';
import { InputError } from '../shared/errors.js';
import { migrate } from './migrations.js';

/**
 * The feedback store: a DuckDB file beside the lake (<lake>/_state/feedback.duckdb). It is state, not a lake
 * stage, so it opens DuckDB directly instead of through the Engine: the query engine may be Spark, but ratings and
 * rules must stay one local, transactional file.
 *
 * DuckDB lets one process at a time open a file for writing. Every operation therefore opens the file, runs in
 * one transaction and closes it; while another process holds it, opening is retried with growing, jittered
 * waits, so that two processes writing at once both succeed and lose nothing. A process killed inside a
 * transaction leaves no trace: its uncommitted changes never reach the write-ahead log's commit.
 */
export interface StoreOptions {
  /** How long to wait for another process to let go of the file before failing. */
  readonly lockTimeoutMs?: number;
}

export const STATE_DIR = '_state';

export function storePathFor(lakePath: string): string {
  return join(lakePath, STATE_DIR, 'feedback.duckdb');
}

/** Operations of one process on one file take turns: DuckDB must not open the same file twice at once. */
const turns = new Map<string, Promise<unknown>>();

export class FeedbackStore {
  readonly path: string;
  readonly #lockTimeoutMs: number;

  constructor(path: string, options: StoreOptions = {}) {
    this.path = resolve(path);
    this.#lockTimeoutMs = options.lockTimeoutMs ?? 30_000;
  }

  static forLake(lakePath: string, options?: StoreOptions): FeedbackStore {
    return new FeedbackStore(storePathFor(lakePath), options);
  }

  /** Run fn in one transaction: all its writes are kept, or none (on an error, or if the process dies). */
  transaction<T>(fn: (tx: EngineSession) => Promise<T>): Promise<T> {
    const previous = turns.get(this.path) ?? Promise.resolve();
    const mine = previous.catch(() => undefined).then(() => this.#withConnection(fn));
    turns.set(this.path, mine);
    void mine.finally(() => {
      if (turns.get(this.path) === mine) turns.delete(this.path);
    }).catch(() => undefined);
    return mine;
  }

  async #withConnection<T>(fn: (tx: EngineSession) => Promise<T>): Promise<T> {
    const { instance, connection } = await this.#open();
    const tx = new DuckDbSession(connection, dirname(this.path));
    try {
      await connection.run('BEGIN TRANSACTION');
      try {
        await migrate(tx);
        const result = await fn(tx);
        await connection.run('COMMIT');
        return result;
      } catch (e) {
        await connection.run('ROLLBACK').catch(() => undefined);
        throw e;
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }

  async #open(): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> {
    mkdirSync(dirname(this.path), { recursive: true });
    const deadline = Date.now() + this.#lockTimeoutMs;
    let wait = 5;
    for (;;) {
      try {
        const instance = await DuckDBInstance.create(this.path, { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false', threads: '1' });
        const connection = await instance.connect();
        await connection.run("SET TimeZone = 'UTC'");
        return { instance, connection };
      } catch (e) {
        const message = (e as Error).message;
        if (!/Could not set lock|Conflicting lock/i.test(message)) throw new InputError(this.path, `cannot open the feedback store: ${message.split('\n')[0]}`);
        if (Date.now() >= deadline) {
          const holder = /PID (\d+)/.exec(message)?.[1];
          throw new InputError(this.path, `the feedback store stayed locked for ${this.#lockTimeoutMs} ms${holder ? ` by process ${holder}` : ''}; try again when it has finished`);
        }
        await sleep(wait * (0.5 + Math.random()));
        wait = Math.min(wait * 2, 200);
      }
    }
  }
}
