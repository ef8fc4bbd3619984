import { parentPort, workerData } from 'node:worker_threads';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import type { EngineConfig } from '../engine/config.js';
import { runDecodeTask, type DecodeTask } from './decode-task.js';

/**
 * Worker-thread entry: decodes the tasks the pool sends, one at a time, writing rows through a
 * DuckDB of its own, so that decoding and Parquet writing of several files run on every core.
 */
const PARTITION_FLUSH_ROWS = 65_536;
const { lakePath, duckdb } = workerData as { lakePath: string; duckdb: EngineConfig['duckdb'] };
const port = parentPort!;
const engine = DuckDbEngine.open(lakePath, duckdb).then(async (e) => {
  // A partitioned COPY buffers up to 512k rows per partition before writing by default: more than
  // a worker's memory limit holds beside its two chunk tables, so DuckDB evicted and re-read them
  // and the worker spent half its time waiting. Flushing at half a row group keeps the write
  // inside the limit (row groups come out at about that size).
  await e.run(`SET GLOBAL partitioned_write_flush_threshold = ${PARTITION_FLUSH_ROWS}`);
  return e;
});

port.on('message', (msg: { id: number; task: DecodeTask } | { close: true }) => {
  if ('close' in msg) {
    // Closing the engine removes its spill folder; the thread then ends with nothing left to do.
    void engine.then((e) => e.close()).catch(() => undefined).finally(() => port.close());
    return;
  }
  const controller = new AbortController();
  engine
    .then((e) => runDecodeTask(msg.task, e, (m) => port.postMessage({ id: msg.id, message: m }), controller.signal))
    .then(
      (result) => port.postMessage({ id: msg.id, result }),
      (e: Error) => port.postMessage({ id: msg.id, failure: { message: e.message, stack: e.stack } }),
    );
});
