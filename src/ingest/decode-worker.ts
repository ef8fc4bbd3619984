import { parentPort } from 'node:worker_threads';
import { runDecodeTask, type DecodeTask } from './decode-task.js';

/** Worker-thread entry: decodes the tasks the pool sends, one at a time. */
const port = parentPort!;
port.on('message', (msg: { id: number; task: DecodeTask }) => {
  const controller = new AbortController();
  runDecodeTask(msg.task, (m) => port.postMessage({ id: msg.id, message: m }), controller.signal).then(
    (result) => port.postMessage({ id: msg.id, result }),
    (e: Error) => port.postMessage({ id: msg.id, failure: { message: e.message, stack: e.stack } }),
  );
});
