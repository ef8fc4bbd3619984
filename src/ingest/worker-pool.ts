import { Worker } from 'node:worker_threads';
import type { EngineConfig } from '../engine/config.js';
import type { DecodeMessage, DecodeResult, DecodeTask } from './decode-task.js';

interface Pending {
  readonly id: number;
  readonly task: DecodeTask;
  readonly onMessage: (m: DecodeMessage) => void;
  readonly resolve: (r: DecodeResult) => void;
  readonly reject: (e: Error) => void;
}

/**
 * Worker threads that run row decoders, so JavaScript decoding uses every core while the main
 * thread loads finished chunks. Workers start lazily and are reused across files.
 */
export class DecodePool {
  readonly #idle: Worker[] = [];
  readonly #all: Worker[] = [];
  readonly #queue: Pending[] = [];
  readonly #running = new Map<Worker, Pending>();
  #nextId = 0;
  #closed = false;

  constructor(
    private readonly size: number,
    /** What each worker needs to open its own DuckDB. */
    private readonly workerData: { lakePath: string; duckdb: EngineConfig['duckdb'] },
  ) {}

  run(task: DecodeTask, onMessage: (m: DecodeMessage) => void): Promise<DecodeResult> {
    if (this.#closed) return Promise.reject(new Error('decode pool is closed'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, task, onMessage, resolve, reject });
      this.#dispatch();
    });
  }

  /** Idle workers close their DuckDB and end; a worker still decoding (an aborted run) is stopped. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(
      this.#all.map((w) => {
        if (this.#running.has(w)) return w.terminate();
        const exited = new Promise((resolve) => w.once('exit', resolve));
        w.postMessage({ close: true });
        return exited;
      }),
    );
  }

  #dispatch(): void {
    while (this.#queue.length) {
      const worker = this.#idle.pop() ?? (this.#all.length < this.size ? this.#spawn() : undefined);
      if (!worker) return;
      const job = this.#queue.shift()!;
      this.#running.set(worker, job);
      worker.postMessage({ id: job.id, task: job.task });
    }
  }

  #spawn(): Worker {
    const worker = startWorker(this.workerData);
    this.#all.push(worker);
    worker.on('message', (msg: { id: number; message?: DecodeMessage; result?: DecodeResult; failure?: { message: string; stack?: string } }) => {
      const job = this.#running.get(worker);
      if (!job || job.id !== msg.id) return;
      if (msg.message) return job.onMessage(msg.message);
      this.#running.delete(worker);
      this.#idle.push(worker);
      if (msg.result) job.resolve(msg.result);
      else job.reject(Object.assign(new Error(msg.failure?.message ?? 'decoder failed'), { stack: msg.failure?.stack }));
      this.#dispatch();
    });
    worker.on('error', (e) => {
      const job = this.#running.get(worker);
      this.#running.delete(worker);
      this.#all.splice(this.#all.indexOf(worker), 1);
      job?.reject(e);
      this.#dispatch();
    });
    return worker;
  }
}

/** The compiled worker in dist; under the test runner, the TypeScript source through tsx. */
function startWorker(workerData: unknown): Worker {
  const js = new URL('./decode-worker.js', import.meta.url);
  if (import.meta.url.endsWith('.ts')) {
    const ts = new URL('./decode-worker.ts', import.meta.url).href;
    return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(ts)}); })`, { eval: true, workerData });
  }
  return new Worker(js, { workerData });
}
