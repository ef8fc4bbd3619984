import { checkCorpus, shareCorpus, type Corpus } from './corpus.js';
import { LdaModel, normaliseRows, perplexityOf, resolveThreads, topicMajor } from './model.js';
import { ldaOptions, type LdaOptions, type ResolvedLdaOptions } from './options.js';
import { Random } from './random.js';
import { LdaSession, type LdaSettings } from './session.js';
import { LdaWorkerPool } from './worker-pool.js';

export interface LdaFit {
  readonly model: LdaModel;
  /** nDocs × K: the training documents' topic mixes, as scikit-learn's fit_transform gives them. */
  readonly theta: Float64Array;
  /** Perplexity of the training corpus under the final model (scikit-learn's bound_, as a perplexity). */
  readonly perplexity: number;
  /** Inner E-step iterations, summed over the documents, per EM iteration (or mini-batch). */
  readonly innerIterations: readonly number[];
}

/** Called after each EM iteration (each mini-batch when online) with its number from 1. */
export type OnStep = (step: number, of: number) => void;

/**
 * Fits LDA by variational Bayes as scikit-learn's LatentDirichletAllocation does: λ starts from
 * Gamma(100, 1/100) draws; each iteration infers every document's γ (from fresh Gamma draws, or,
 * after `freshStarts` iterations, from where the previous one left it) on the worker threads and
 * sets λ = β + sufficient statistics (batch), or blends mini-batch estimates into λ with step
 * ρ_t = (τ₀ + t)^−κ (online). The same corpus, options and thread
 * count give the same bits.
 */
export async function fitLda(corpus: Corpus, options: LdaOptions = {}, onStep?: OnStep): Promise<LdaFit> {
  const o = ldaOptions.parse(options);
  checkCorpus(corpus);
  const shared = shareCorpus(corpus);
  const settings: LdaSettings = { nTopics: o.nTopics, alpha: o.alpha, beta: o.beta, maxDocUpdateIter: o.maxDocUpdateIter, meanChangeTol: o.meanChangeTol };
  const lambda = initialLambda(o.nTopics, shared.nWords, o.seed);
  const pool = LdaWorkerPool.start(resolveThreads(o.threads));
  try {
    const session = new LdaSession(pool, shared, settings, lambda, true);
    await session.open();
    const innerIterations = o.learningMethod === 'online' ? await learnOnline(session, o, onStep) : await learnBatch(session, o, onStep);
    await session.infer({ seed: null, stream: 0, stats: false });
    const perplexity = perplexityOf(await session.bound(), shared);
    await session.close();
    return {
      model: new LdaModel(settings, shared.nWords, topicMajor(lambda, o.nTopics, shared.nWords)),
      theta: normaliseRows(session.shared.gamma, o.nTopics),
      perplexity,
      innerIterations,
    };
  } finally {
    await pool.close();
  }
}

async function learnBatch(session: LdaSession, o: ResolvedLdaOptions, onStep?: OnStep): Promise<number[]> {
  const inner: number[] = [];
  for (let i = 0; i < o.iterations; i++) {
    inner.push(await session.infer({ seed: o.seed, stream: i + 1, stats: true, warm: o.freshStarts !== undefined && i >= o.freshStarts }));
    await session.update(1, 1);
    onStep?.(i + 1, o.iterations);
  }
  return inner;
}

/** Hoffman, Blei and Bach's online VB, as scikit-learn's learning_method='online' with total_samples = nDocs. */
async function learnOnline(session: LdaSession, o: ResolvedLdaOptions, onStep?: OnStep): Promise<number[]> {
  const nDocs = session.shared.corpus.nDocs;
  const batches = Math.ceil(nDocs / o.batchSize);
  const inner: number[] = [];
  let step = 1;
  for (let pass = 0; pass < o.iterations; pass++) {
    for (let from = 0; from < nDocs; from += o.batchSize, step++) {
      const to = Math.min(nDocs, from + o.batchSize);
      inner.push(await session.infer({ seed: o.seed, stream: step, stats: true, from, to }));
      await session.update(Math.pow(o.learningOffset + step, -o.learningDecay), nDocs / (to - from));
      onStep?.(step, o.iterations * batches);
    }
  }
  return inner;
}

/** λ drawn as scikit-learn draws it, Gamma(100, 1/100), topic by topic, stream 0 of the seed; word-major. */
function initialLambda(K: number, V: number, seed: number): Float64Array {
  const lambda = new Float64Array(new SharedArrayBuffer(K * V * 8));
  const random = new Random(seed, 0, 0);
  for (let k = 0; k < K; k++) for (let w = 0; w < V; w++) lambda[w * K + k] = random.gamma(100) * 0.01;
  return lambda;
}
