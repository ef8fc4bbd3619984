import type { InferenceState } from './doc-inference.js';
import { digamma, lgamma } from './special-functions.js';

/** What the documents' share of the bound needs beyond the E-step state. */
export interface BoundState extends InferenceState {
  /** λ, word-major, for the exact path when Σ_k exp(·) underflows. */
  readonly lambda: Float64Array;
  readonly psiTotals: Float64Array;
}

/**
 * The documents' share of scikit-learn's `_approx_bound` for documents [from, to), from their γ:
 * Σ_j n_dj · log Σ_k exp(E[log θ_dk] + E[log β_kw]) plus E[log p(θ_d | α) − log q(θ_d | γ_d)].
 * The log-sum-exp is taken as log Σ_k exp(E[log θ_dk] − m)·exp(E[log β_kw]) + m, m = max_k E[log θ_dk]:
 * K multiply-adds and one log per entry instead of K exps. Should a sum underflow (β near 0 makes
 * exp(E[log β]) 0), the document is redone with the exponents themselves.
 */
export function docBound(s: BoundState, from: number, to: number): number {
  const { docStart, wordIds, counts } = s.corpus;
  const { nTopics: K, alpha, gamma, expElogBeta, expDocTopic: t, weighted: elogTheta, kernels } = s;
  const lgammaAlpha = lgamma(alpha);
  const lgammaAlphaK = lgamma(alpha * K);
  let score = 0;
  for (let d = from; d < to; d++) {
    const row = d * K;
    let total = 0;
    for (let k = 0; k < K; k++) total += gamma[row + k]!;
    const psiTotal = digamma(total);
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      const g = gamma[row + k]!;
      const v = digamma(g) - psiTotal;
      elogTheta[k] = v;
      if (v > max) max = v;
      score += (alpha - g) * v + (lgamma(g) - lgammaAlpha);
    }
    score += lgammaAlphaK - lgamma(total);
    for (let k = 0; k < K; k++) t[k] = Math.exp(elogTheta[k]! - max);
    const lo = docStart[d]!;
    const hi = docStart[d + 1]!;
    const words = kernels.logLikelihood(lo, hi, wordIds, counts, expElogBeta, t);
    score += Number.isFinite(words) ? words + max * countSum(counts, lo, hi) : exactWords(s, lo, hi, elogTheta);
  }
  return score;
}

function countSum(counts: Float32Array | Float64Array, lo: number, hi: number): number {
  let n = 0;
  for (let j = lo; j < hi; j++) n += counts[j]!;
  return n;
}

function exactWords(s: BoundState, lo: number, hi: number, elogTheta: Float64Array): number {
  const { nTopics: K, lambda, psiTotals, corpus } = s;
  let score = 0;
  for (let j = lo; j < hi; j++) {
    const n = corpus.counts[j]!;
    if (n === 0) continue;
    const base = corpus.wordIds[j]! * K;
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, elogTheta[k]! + digamma(lambda[base + k]!) - psiTotals[k]!);
    let sum = 0;
    for (let k = 0; k < K; k++) sum += Math.exp(elogTheta[k]! + digamma(lambda[base + k]!) - psiTotals[k]! - max);
    score += n * (Math.log(sum) + max);
  }
  return score;
}
