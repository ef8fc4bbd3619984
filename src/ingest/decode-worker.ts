import { parentPort, workerData } from 'node:worker_threads';
import { DuckDbEngine } from '../engine/duckdb/engine.js';
import type { EngineConfig } from '../engine/config.js';
import { runDecodeTask, type DecodeTask } from './decode-task.js';

/**
 * Worker-thread entry: decodes the tasks the pool sends, one at a time, writing rows through a
 * DuckDB of its own, so that decoding and Parquet writing of several files run on every core.
 */
const { lakePath, duckdb } = workerData as { lakePath: string; duckdb: EngineConfig['duckdb'] };
const port = parentPort!;
const engine = DuckDbEngine.open(lakePath, duckdb);

port.on('message', (msg: { id: number; task: DecodeTask }) => {
  const controller = new AbortController();
  engine
    .then((e) => runDecodeTask(msg.task, e, (m) => port.postMessage({ id: msg.id, message: m }), controller.signal))
    .then(
      (result) => port.postMessage({ id: msg.id, result }),
      (e: Error) => port.postMessage({ id: msg.id, failure: { message: e.message, stack: e.stack } }),
    );
});
