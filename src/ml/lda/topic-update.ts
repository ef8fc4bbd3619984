import { digamma, lgamma } from './special-functions.js';

/*
 * The M-step and the topic side of the bound, over words [from, to) of word-major K-wide rows,
 * so that threads share the K × V work by word ranges and each writes only its own rows.
 */

/**
 * λ ← (1 − ρ)·λ + ρ·(β + scale · Σ_t sstats_t ⊙ exp(E[log β])), the thread buffers added in
 * their fixed order. Batch VB is ρ = 1, scale = 1: scikit-learn's λ = β + sstats.
 */
export function updateLambda(
  lambda: Float64Array,
  sstats: readonly Float64Array[],
  expElogBeta: Float64Array,
  K: number,
  from: number,
  to: number,
  beta: number,
  rho: number,
  scale: number,
): void {
  for (let i = from * K, end = to * K; i < end; i++) {
    let s = 0;
    for (let t = 0; t < sstats.length; t++) s += sstats[t]![i]!;
    const target = beta + scale * (s * expElogBeta[i]!);
    lambda[i] = rho === 1 ? target : (1 - rho) * lambda[i]! + rho * target;
  }
}

/** Per-topic Σ_w λ, summed in word order: the same bits whichever thread count or layout fed λ. */
export function topicTotals(lambda: Float64Array, K: number, wordMajor: boolean): Float64Array {
  const totals = new Float64Array(K);
  const V = lambda.length / K;
  for (let k = 0; k < K; k++) {
    let sum = 0;
    if (wordMajor) for (let w = 0; w < V; w++) sum += lambda[w * K + k]!;
    else for (let w = 0, at = k * V; w < V; w++) sum += lambda[at + w]!;
    totals[k] = sum;
  }
  return totals;
}

/** exp(E[log β_kw]) = exp(ψ(λ_kw) − ψ(Σ_w λ_kw)), with psiTotals[k] = ψ(Σ_w λ_kw). */
export function expectLogBeta(lambda: Float64Array, expElogBeta: Float64Array, psiTotals: Float64Array, K: number, from: number, to: number): void {
  for (let w = from; w < to; w++) {
    for (let k = 0, i = w * K; k < K; k++, i++) expElogBeta[i] = Math.exp(digamma(lambda[i]!) - psiTotals[k]!);
  }
}

/**
 * The words' share of E[log p(β | η) − log q(β | λ)]: Σ (η − λ)·E[log β] + log Γ(λ) − log Γ(η).
 * The per-topic terms log Γ(ηV) − log Γ(Σ_w λ_kw) are the caller's, once.
 */
export function topicBound(lambda: Float64Array, psiTotals: Float64Array, K: number, from: number, to: number, beta: number): number {
  const lgammaBeta = lgamma(beta);
  let sum = 0;
  for (let w = from; w < to; w++) {
    for (let k = 0, i = w * K; k < K; k++, i++) {
      const l = lambda[i]!;
      sum += (beta - l) * (digamma(l) - psiTotals[k]!) + (lgamma(l) - lgammaBeta);
    }
  }
  return sum;
}
