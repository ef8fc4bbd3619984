import { describe, expect, it } from 'vitest';
import { Random } from './random.js';
import { EPS, loopKernels, wordKernels } from './word-kernels.js';

/** A document of n entries over V words, and K-wide exp(E[log β]) rows and weights. */
function fixture(K: number, V = 50, n = 30) {
  const r = new Random(K);
  return {
    wordIds: Uint32Array.from({ length: n }, () => r.next() % V),
    counts: Float64Array.from({ length: n }, () => 1 + (r.next() % 1000)),
    B: Float64Array.from({ length: V * K }, () => r.float() / V),
    e: Float64Array.from({ length: K }, () => r.float()),
    n,
    V,
  };
}

describe('word kernels', () => {
  it.each([1, 7, 20, 64, 65])('unrolled and looped agree bit for bit at K = %d', (K) => {
    const { wordIds, counts, B, e, n, V } = fixture(K);
    const fast = wordKernels(K);
    const plain = loopKernels(K);
    const a = new Float64Array(K);
    const b = new Float64Array(K).fill(99);
    fast.accumulate(0, n, wordIds, counts, B, e, a);
    plain.accumulate(0, n, wordIds, counts, B, e, b);
    expect(Array.from(a)).toEqual(Array.from(b));
    const sa = new Float64Array(V * K).fill(0.5);
    const sb = new Float64Array(V * K).fill(0.5);
    fast.addStats(2, n, wordIds, counts, B, e, sa);
    plain.addStats(2, n, wordIds, counts, B, e, sb);
    expect(Array.from(sa)).toEqual(Array.from(sb));
    expect(fast.logLikelihood(0, n, wordIds, counts, B, e)).toBe(plain.logLikelihood(0, n, wordIds, counts, B, e));
  });

  it('accumulate computes Σ_j n_j / (e·B_j + eps) · B_jk, written out', () => {
    const K = 3;
    const { wordIds, counts, B, e } = fixture(K, 10, 4);
    const want = [0, 0, 0];
    for (let j = 0; j < 4; j++) {
      const row = [0, 1, 2].map((k) => B[wordIds[j]! * K + k]!);
      const norm = e[0]! * row[0]! + e[1]! * row[1]! + e[2]! * row[2]!;
      for (let k = 0; k < K; k++) want[k] = want[k]! + (counts[j]! / (norm + EPS)) * row[k]!;
    }
    const acc = new Float64Array(K);
    wordKernels(K).accumulate(0, 4, wordIds, counts, B, e, acc);
    acc.forEach((v, k) => expect(Math.abs(v - want[k]!)).toBeLessThan(1e-12 * want[k]!));
  });
});
