import type { Corpus } from './corpus.js';

/** The shared arrays and settings of one fit or inference run, sent once to every worker. */
export interface SessionShared {
  readonly corpus: Corpus;
  readonly nTopics: number;
  readonly alpha: number;
  readonly beta: number;
  readonly maxDocUpdateIter: number;
  readonly meanChangeTol: number;
  /** λ, word-major (V × K), on shared memory like every array here. */
  readonly lambda: Float64Array;
  readonly expElogBeta: Float64Array;
  /** ψ(Σ_w λ_kw), written by the main thread before `expect` and `bound`. */
  readonly psiTotals: Float64Array;
  readonly gamma: Float64Array;
  /** One V × K buffer per thread; empty when the run only infers. */
  readonly sstats: readonly Float64Array[];
}

/** Ranges are documents for `infer` and `bound`, words for `update` and `expect`. */
export type Command =
  | { readonly kind: 'open'; readonly shared: SessionShared; readonly thread: number }
  | { readonly kind: 'infer'; readonly from: number; readonly to: number; readonly seed: number | null; readonly stream: number; readonly stats: boolean; readonly warm: boolean }
  | { readonly kind: 'update'; readonly from: number; readonly to: number; readonly rho: number; readonly scale: number }
  | { readonly kind: 'expect'; readonly from: number; readonly to: number }
  | { readonly kind: 'bound'; readonly from: number; readonly to: number; readonly wordFrom: number; readonly wordTo: number }
  | { readonly kind: 'close' };

/** `value`: inner iterations for `infer`, the partial bound for `bound`, 0 otherwise. */
export type Reply = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly message: string; readonly stack?: string };
