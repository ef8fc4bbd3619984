import { Worker } from 'node:worker_threads';
import type { Command, Reply } from './worker-protocol.js';

/**
 * A fixed set of LDA worker threads. Every step sends one command to each worker and waits for
 * all of them, so the main thread always knows which phase the shared arrays are in.
 */
export class LdaWorkerPool {
  readonly #workers: Worker[];
  #failure: Error | undefined;

  private constructor(workers: Worker[]) {
    this.#workers = workers;
    for (const w of workers) w.on('error', (e) => (this.#failure ??= e));
  }

  static start(size: number): LdaWorkerPool {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`threads must be an integer ≥ 1, got ${size}`);
    return new LdaWorkerPool(Array.from({ length: size }, startWorker));
  }

  get size(): number {
    return this.#workers.length;
  }

  /** Sends command(t) to worker t, for every t; resolves with the replies' values in thread order. */
  async each(command: (thread: number) => Command): Promise<number[]> {
    if (this.#failure) throw this.#failure;
    return Promise.all(this.#workers.map((w, t) => send(w, command(t))));
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}

function send(worker: Worker, command: Command): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => {
      worker.off('message', onMessage);
      reject(e);
    };
    const onMessage = (reply: Reply) => {
      worker.off('error', onError);
      if (reply.ok) resolve(reply.value);
      else reject(Object.assign(new Error(`lda worker: ${reply.message}`), { stack: reply.stack }));
    };
    worker.once('message', onMessage);
    worker.once('error', onError);
    worker.postMessage(command);
  });
}

/** The compiled worker in dist; under the test runner, the TypeScript source through tsx. */
function startWorker(): Worker {
  const js = new URL('./lda-worker.js', import.meta.url);
  if (import.meta.url.endsWith('.ts')) {
    const ts = new URL('./lda-worker.ts', import.meta.url).href;
    return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(ts)}); })`, { eval: true });
  }
  return new Worker(js);
}
