import { splitDocs, type Corpus } from './corpus.js';
import { digamma, lgamma } from './special-functions.js';
import { topicTotals } from './topic-update.js';
import type { LdaWorkerPool } from './worker-pool.js';
import type { SessionShared } from './worker-protocol.js';

/** Priors and E-step settings: what a fit chose and a saved model keeps. */
export interface LdaSettings {
  readonly nTopics: number;
  readonly alpha: number;
  readonly beta: number;
  readonly maxDocUpdateIter: number;
  readonly meanChangeTol: number;
}

/**
 * The main thread's side of one run over a corpus: allocates the shared arrays, gives each
 * worker a fixed contiguous range of documents (balanced by entries) and of words, and drives
 * the phases. Everything a worker adds up is added up again here in thread order, so a run is
 * bit-for-bit repeatable for a given thread count.
 */
export class LdaSession {
  readonly shared: SessionShared;
  readonly #pool: LdaWorkerPool;
  readonly #wordBounds: Float64Array;
  #totals: Float64Array = new Float64Array(0);

  /** @param lambda word-major λ on shared memory; the session updates it in place when it learns. */
  constructor(pool: LdaWorkerPool, corpus: Corpus, settings: LdaSettings, lambda: Float64Array, learns: boolean) {
    const K = settings.nTopics;
    const V = corpus.nWords;
    const shared = (n: number) => new Float64Array(new SharedArrayBuffer(n * 8));
    this.#pool = pool;
    this.#wordBounds = new Float64Array(pool.size + 1).map((_, t) => Math.round((V * t) / pool.size));
    this.shared = {
      ...settings,
      corpus,
      lambda,
      expElogBeta: shared(V * K),
      psiTotals: shared(K),
      gamma: shared(corpus.nDocs * K),
      sstats: learns ? Array.from({ length: pool.size }, () => shared(V * K)) : [],
    };
  }

  async open(): Promise<void> {
    await this.#pool.each((thread) => ({ kind: 'open', shared: this.shared, thread }));
    await this.expect();
  }

  async close(): Promise<void> {
    await this.#pool.each(() => ({ kind: 'close' }));
  }

  /** Recomputes exp(E[log β]) from λ (after an update, and once at the start). */
  async expect(): Promise<void> {
    const { lambda, psiTotals, nTopics } = this.shared;
    this.#totals = topicTotals(lambda, nTopics, true);
    for (let k = 0; k < nTopics; k++) psiTotals[k] = digamma(this.#totals[k]!);
    const w = this.#wordBounds;
    await this.#pool.each((t) => ({ kind: 'expect', from: w[t]!, to: w[t + 1]! }));
  }

  /** E-step over documents [from, to); returns the inner iterations run. `warm` starts each γ where the last E-step left it. */
  async infer(options: { seed: number | null; stream: number; stats: boolean; warm?: boolean; from?: number; to?: number }): Promise<number> {
    const { seed, stream, stats, warm = false, from = 0, to = this.shared.corpus.nDocs } = options;
    const d = splitDocs(this.shared.corpus, this.#pool.size, from, to);
    const inner = await this.#pool.each((t) => ({ kind: 'infer', from: d[t]!, to: d[t + 1]!, seed, stream, stats, warm }));
    return inner.reduce((a, b) => a + b, 0);
  }

  /** M-step from the last `infer` with stats, then the new exp(E[log β]). */
  async update(rho: number, scale: number): Promise<void> {
    const w = this.#wordBounds;
    await this.#pool.each((t) => ({ kind: 'update', from: w[t]!, to: w[t + 1]!, rho, scale }));
    await this.expect();
  }

  /** scikit-learn's `_approx_bound` (no subsampling) over the whole corpus, from the last `infer`. */
  async bound(): Promise<number> {
    const { corpus, nTopics: K, beta } = this.shared;
    const d = splitDocs(corpus, this.#pool.size);
    const w = this.#wordBounds;
    const parts = await this.#pool.each((t) => ({ kind: 'bound', from: d[t]!, to: d[t + 1]!, wordFrom: w[t]!, wordTo: w[t + 1]! }));
    let bound = parts.reduce((a, b) => a + b, 0);
    const lgammaBetaV = lgamma(beta * corpus.nWords);
    for (let k = 0; k < K; k++) bound += lgammaBetaV - lgamma(this.#totals[k]!);
    return bound;
  }
}
