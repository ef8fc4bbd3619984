import { availableParallelism } from 'node:os';
import { checkCorpus, shareCorpus, totalCount, type Corpus } from './corpus.js';
import { LdaSession, type LdaSettings } from './session.js';
import { LdaWorkerPool } from './worker-pool.js';

export interface InferOptions {
  /** Worker threads; 0 or absent uses one per core. */
  readonly threads?: number;
}

/** What inference over a corpus gives: θ, and the perplexity when asked. */
export interface Inference {
  /** nDocs × K, each row a document's topic mix (γ normalised, as scikit-learn's transform). */
  readonly theta: Float64Array;
  /** exp(−bound / Σ counts) as scikit-learn's perplexity(); NaN for a corpus with no words. */
  readonly perplexity: number;
}

/**
 * A fitted LDA model: the priors, the E-step settings and λ. It scores documents it has never
 * seen (transform, perplexity) with the topics held fixed, as scikit-learn's model does.
 */
export class LdaModel {
  /**
   * @param lambda K × nWords, topic-major: λ_kw, the topics' variational Dirichlet parameters
   *   (scikit-learn's components_).
   */
  constructor(
    readonly settings: LdaSettings,
    readonly nWords: number,
    readonly lambda: Float64Array,
  ) {
    if (lambda.length !== settings.nTopics * nWords) throw new RangeError(`λ holds ${lambda.length} values, expected K × nWords = ${settings.nTopics * nWords}`);
  }

  get nTopics(): number {
    return this.settings.nTopics;
  }

  /** φ, K × nWords: each topic's word distribution, λ's rows normalised. */
  phi(): Float64Array {
    const { nTopics: K } = this.settings;
    const V = this.nWords;
    const phi = new Float64Array(K * V);
    for (let k = 0; k < K; k++) {
      let total = 0;
      for (let w = 0; w < V; w++) total += this.lambda[k * V + w]!;
      for (let w = 0; w < V; w++) phi[k * V + w] = this.lambda[k * V + w]! / total;
    }
    return phi;
  }

  /** θ of each document of the corpus, with the topics fixed (scikit-learn's transform()). */
  async transform(corpus: Corpus, options: InferOptions = {}): Promise<Float64Array> {
    return (await this.#infer(corpus, options, false)).theta;
  }

  /** scikit-learn's perplexity(): exp(−approximate bound / Σ counts), γ inferred from ones. */
  async perplexity(corpus: Corpus, options: InferOptions = {}): Promise<number> {
    return (await this.#infer(corpus, options, true)).perplexity;
  }

  /** θ and the perplexity from one E-step. */
  async infer(corpus: Corpus, options: InferOptions = {}): Promise<Inference> {
    return this.#infer(corpus, options, true);
  }

  async #infer(corpus: Corpus, options: InferOptions, withBound: boolean): Promise<Inference> {
    if (corpus.nWords !== this.nWords) throw new RangeError(`the corpus has ${corpus.nWords} words, the model ${this.nWords}`);
    checkCorpus(corpus);
    const shared = shareCorpus(corpus);
    const pool = LdaWorkerPool.start(resolveThreads(options.threads ?? 0));
    try {
      const session = new LdaSession(pool, shared, this.settings, wordMajor(this.lambda, this.nTopics, this.nWords), false);
      await session.open();
      await session.infer({ seed: null, stream: 0, stats: false });
      const perplexity = withBound ? perplexityOf(await session.bound(), shared) : NaN;
      await session.close();
      return { theta: normaliseRows(session.shared.gamma, this.nTopics), perplexity };
    } finally {
      await pool.close();
    }
  }
}

export function resolveThreads(threads: number): number {
  return threads > 0 ? threads : Math.max(1, availableParallelism());
}

export function perplexityOf(bound: number, corpus: Corpus): number {
  const words = totalCount(corpus);
  return words > 0 ? Math.exp(-bound / words) : NaN;
}

/** In place: each K-wide row divided by its sum. */
export function normaliseRows(values: Float64Array, K: number): Float64Array {
  for (let at = 0; at < values.length; at += K) {
    let total = 0;
    for (let k = 0; k < K; k++) total += values[at + k]!;
    for (let k = 0; k < K; k++) values[at + k] = values[at + k]! / total;
  }
  return values;
}

/** K × V topic-major → V × K word-major on shared memory (the layout workers read). */
export function wordMajor(topicMajor: Float64Array, K: number, V: number): Float64Array {
  const out = new Float64Array(new SharedArrayBuffer(K * V * 8));
  for (let k = 0; k < K; k++) for (let w = 0; w < V; w++) out[w * K + k] = topicMajor[k * V + w]!;
  return out;
}

/** V × K word-major → K × V topic-major. */
export function topicMajor(wordMajorValues: Float64Array, K: number, V: number): Float64Array {
  const out = new Float64Array(K * V);
  for (let w = 0; w < V; w++) for (let k = 0; k < K; k++) out[k * V + w] = wordMajorValues[w * K + k]!;
  return out;
}
