import { parentPort } from 'node:worker_threads';
import { docBound, type BoundState } from './doc-bound.js';
import { inferDocs } from './doc-inference.js';
import { Random } from './random.js';
import { expectLogBeta, topicBound, updateLambda } from './topic-update.js';
import type { Command, Reply, SessionShared } from './worker-protocol.js';
import { wordKernels } from './word-kernels.js';

/**
 * Worker-thread entry: runs the commands of one LDA session at a time on the shared arrays the
 * main thread sent with `open`, each over the document or word range the command names.
 */
const port = parentPort!;
let session: { shared: SessionShared; thread: number; state: BoundState } | undefined;

port.on('message', (command: Command) => {
  let reply: Reply;
  try {
    reply = { ok: true, value: run(command) };
  } catch (e) {
    const error = e as Error;
    reply = { ok: false, message: error.message, stack: error.stack };
  }
  port.postMessage(reply);
});

function run(command: Command): number {
  if (command.kind === 'open') {
    const { shared, thread } = command;
    const K = shared.nTopics;
    const state: BoundState = {
      ...shared,
      expDocTopic: new Float64Array(K),
      weighted: new Float64Array(K),
      random: new Random(0),
      kernels: wordKernels(K),
    };
    session = { shared, thread, state };
    return 0;
  }
  if (command.kind === 'close') {
    session = undefined;
    return 0;
  }
  if (!session) throw new Error(`lda worker: ${command.kind} before open`);
  const { shared, thread, state } = session;
  const K = shared.nTopics;
  switch (command.kind) {
    case 'infer': {
      const stats = command.stats ? shared.sstats[thread]! : null;
      stats?.fill(0);
      return inferDocs(state, command.from, command.to, stats, command.warm ? 'warm' : command.seed, command.stream);
    }
    case 'update':
      updateLambda(shared.lambda, shared.sstats, shared.expElogBeta, K, command.from, command.to, shared.beta, command.rho, command.scale);
      return 0;
    case 'expect':
      expectLogBeta(shared.lambda, shared.expElogBeta, shared.psiTotals, K, command.from, command.to);
      return 0;
    case 'bound':
      return docBound(state, command.from, command.to) + topicBound(shared.lambda, shared.psiTotals, K, command.wordFrom, command.wordTo, shared.beta);
  }
}
