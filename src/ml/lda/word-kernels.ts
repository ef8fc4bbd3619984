/**
 * The loops over a document's words, where LDA spends nearly all its time. For a given K they are
 * generated with the topic loop unrolled into local variables: V8 then keeps exp(E[log θ_d]) and
 * the running sums out of memory and drops the bounds checks, about 3× faster than the same loops
 * over typed arrays (measured at K = 20). Each sum adds its terms in the same order as the plain
 * loops below, so both give the same bits; the plain ones serve K above UNROLL_LIMIT.
 */
export interface WordKernels {
  /**
   * acc[k] = Σ_j r_j · B[w_j, k] with r_j = counts[j] / (Σ_k e[k] · B[w_j, k] + EPS):
   * one inner iteration of scikit-learn's `_update_doc_distribution` before the multiply by e.
   */
  accumulate(lo: number, hi: number, wordIds: Uint32Array, counts: Float32Array | Float64Array, B: Float64Array, e: Float64Array, acc: Float64Array): void;
  /** sstats[w_j, k] += e[k] · r_j: a document's share of the sufficient statistics. */
  addStats(lo: number, hi: number, wordIds: Uint32Array, counts: Float32Array | Float64Array, B: Float64Array, e: Float64Array, sstats: Float64Array): void;
  /** Σ_j counts[j] · log(Σ_k t[k] · B[w_j, k]); −∞ or NaN when a sum underflows to 0. */
  logLikelihood(lo: number, hi: number, wordIds: Uint32Array, counts: Float32Array | Float64Array, B: Float64Array, t: Float64Array): number;
}

/** numpy's float64 eps, added to φ's normaliser as scikit-learn does. */
export const EPS = 2.220446049250313e-16;
const UNROLL_LIMIT = 64;
const cache = new Map<number, WordKernels>();

export function wordKernels(nTopics: number): WordKernels {
  let kernels = cache.get(nTopics);
  if (!kernels) {
    kernels = nTopics <= UNROLL_LIMIT ? unrolledKernels(nTopics) : loopKernels(nTopics);
    cache.set(nTopics, kernels);
  }
  return kernels;
}

/** The same arithmetic with the topic loop kept: for large K, and the reference in tests. */
export function loopKernels(K: number): WordKernels {
  return {
    accumulate(lo, hi, wordIds, counts, B, e, acc) {
      acc.fill(0);
      for (let j = lo; j < hi; j++) {
        const base = wordIds[j]! * K;
        let norm = 0;
        for (let k = 0; k < K; k++) norm += e[k]! * B[base + k]!;
        const r = counts[j]! / (norm + EPS);
        for (let k = 0; k < K; k++) acc[k] = acc[k]! + r * B[base + k]!;
      }
    },
    addStats(lo, hi, wordIds, counts, B, e, sstats) {
      for (let j = lo; j < hi; j++) {
        const base = wordIds[j]! * K;
        let norm = 0;
        for (let k = 0; k < K; k++) norm += e[k]! * B[base + k]!;
        const r = counts[j]! / (norm + EPS);
        for (let k = 0; k < K; k++) sstats[base + k] = sstats[base + k]! + e[k]! * r;
      }
    },
    logLikelihood(lo, hi, wordIds, counts, B, t) {
      let sum = 0;
      for (let j = lo; j < hi; j++) {
        const base = wordIds[j]! * K;
        let norm = 0;
        for (let k = 0; k < K; k++) norm += t[k]! * B[base + k]!;
        sum += counts[j]! * Math.log(norm);
      }
      return sum;
    },
  };
}

function unrolledKernels(K: number): WordKernels {
  const ks = Array.from({ length: K }, (_, k) => k);
  const each = (f: (k: number) => string, sep = ' ') => ks.map(f).join(sep);
  // 0 + x is x exactly, so starting the sums at their first term matches the loops bit for bit.
  const loadE = each((k) => `const e${k} = e[${k}];`);
  const loadB = each((k) => `const b${k} = B[base + ${k}];`);
  const norm = `const norm = 0 + ${each((k) => `e${k} * b${k}`, ' + ')};`;
  const source = `
    const EPS = ${EPS};
    return {
      accumulate(lo, hi, wordIds, counts, B, e, acc) {
        ${loadE}
        ${each((k) => `let a${k} = 0;`)}
        for (let j = lo; j < hi; j++) {
          const base = wordIds[j] * ${K};
          ${loadB}
          ${norm}
          const r = counts[j] / (norm + EPS);
          ${each((k) => `a${k} += r * b${k};`)}
        }
        ${each((k) => `acc[${k}] = a${k};`)}
      },
      addStats(lo, hi, wordIds, counts, B, e, sstats) {
        ${loadE}
        for (let j = lo; j < hi; j++) {
          const base = wordIds[j] * ${K};
          ${loadB}
          ${norm}
          const r = counts[j] / (norm + EPS);
          ${each((k) => `sstats[base + ${k}] += e${k} * r;`)}
        }
      },
      logLikelihood(lo, hi, wordIds, counts, B, e) {
        ${loadE}
        let sum = 0;
        for (let j = lo; j < hi; j++) {
          const base = wordIds[j] * ${K};
          ${loadB}
          ${norm}
          sum += counts[j] * Math.log(norm);
        }
        return sum;
      },
    };`;
  return new Function(source)() as WordKernels;
}
