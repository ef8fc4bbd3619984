import type { Corpus } from './corpus.js';
import type { Random } from './random.js';
import { digamma } from './special-functions.js';
import type { WordKernels } from './word-kernels.js';

/** What the E-step of one thread reads and writes; the arrays of length K are its scratch. */
export interface InferenceState {
  readonly corpus: Corpus;
  readonly nTopics: number;
  readonly alpha: number;
  readonly maxDocUpdateIter: number;
  readonly meanChangeTol: number;
  /** exp(E[log β]), word-major: the K values of word w at w·K, so a document reads whole rows. */
  readonly expElogBeta: Float64Array;
  /** γ, nDocs × K: each document's unnormalised topic weights. */
  readonly gamma: Float64Array;
  readonly expDocTopic: Float64Array;
  readonly weighted: Float64Array;
  readonly random: Random;
  readonly kernels: WordKernels;
}

/**
 * scikit-learn's `_update_doc_distribution` for documents [from, to): alternate γ_d and
 * exp(E[log θ_d]) until the mean absolute change of γ_d falls below the tolerance, then, when
 * `sstats` is given, add the document's share of the sufficient statistics (their product with
 * exp(E[log β]) is taken once for all documents, in the M-step). With a seed, γ_d starts from
 * Gamma(100, 1/100) draws of cell (seed, stream, d), as in scikit-learn's training; with null,
 * from ones, as in transform; with 'warm', from the γ_d the previous E-step left. Allocates
 * nothing. Returns the inner iterations run, summed over the documents.
 */
export function inferDocs(s: InferenceState, from: number, to: number, sstats: Float64Array | null, seed: number | null | 'warm', stream: number): number {
  const { docStart, wordIds, counts } = s.corpus;
  const { nTopics: K, alpha, maxDocUpdateIter, meanChangeTol, expElogBeta, gamma, expDocTopic: e, weighted, random, kernels } = s;
  let inner = 0;
  for (let d = from; d < to; d++) {
    const lo = docStart[d]!;
    const hi = docStart[d + 1]!;
    const row = d * K;
    let total = 0;
    if (seed === 'warm') {
      for (let k = 0; k < K; k++) total += gamma[row + k]!;
    } else if (seed === null) {
      for (let k = 0; k < K; k++) gamma[row + k] = 1;
      total = K;
    } else {
      random.reset(seed, stream, d);
      for (let k = 0; k < K; k++) total += gamma[row + k] = random.gamma(100) * 0.01;
    }
    let psiTotal = digamma(total);
    for (let k = 0; k < K; k++) e[k] = Math.exp(digamma(gamma[row + k]!) - psiTotal);

    for (let it = 0; it < maxDocUpdateIter; it++) {
      inner++;
      kernels.accumulate(lo, hi, wordIds, counts, expElogBeta, e, weighted);
      total = 0;
      let change = 0;
      for (let k = 0; k < K; k++) {
        const g = e[k]! * weighted[k]! + alpha;
        change += Math.abs(gamma[row + k]! - g);
        gamma[row + k] = g;
        total += g;
      }
      psiTotal = digamma(total);
      for (let k = 0; k < K; k++) e[k] = Math.exp(digamma(gamma[row + k]!) - psiTotal);
      if (change / K < meanChangeTol) break;
    }

    if (sstats !== null) kernels.addStats(lo, hi, wordIds, counts, expElogBeta, e, sstats);
  }
  return inner;
}
