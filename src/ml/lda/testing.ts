/** Test helpers for LDA: small corpora written out, and matching fitted topics to true ones. */
import type { Corpus } from './corpus.js';

/** A corpus from one word-count map per document. */
export function corpusOf(nWords: number, docs: readonly Record<number, number>[]): Corpus {
  const entries = docs.map((d) => Object.entries(d).map(([w, n]) => [Number(w), n] as const));
  const docStart = new Uint32Array(docs.length + 1);
  entries.forEach((e, d) => (docStart[d + 1] = docStart[d]! + e.length));
  const flat = entries.flat();
  return { nDocs: docs.length, nWords, docStart, wordIds: Uint32Array.from(flat, ([w]) => w), counts: Float32Array.from(flat, ([, n]) => n) };
}

/** For each true topic (rows of K × V), the best cosine similarity with any fitted topic. */
export function bestCosines(truth: Float64Array, fitted: Float64Array, V: number): number[] {
  const rows = (m: Float64Array) => Array.from({ length: m.length / V }, (_, k) => m.subarray(k * V, (k + 1) * V));
  const cosine = (a: Float64Array, b: Float64Array) => {
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let w = 0; w < V; w++) {
      dot += a[w]! * b[w]!;
      na += a[w]! * a[w]!;
      nb += b[w]! * b[w]!;
    }
    return dot / Math.sqrt(na * nb);
  };
  return rows(truth).map((t) => Math.max(...rows(fitted).map((f) => cosine(t, f))));
}

/** Row sums of an n × K matrix. */
export function rowSums(m: Float64Array, K: number): number[] {
  return Array.from({ length: m.length / K }, (_, r) => m.subarray(r * K, (r + 1) * K).reduce((a, b) => a + b, 0));
}
