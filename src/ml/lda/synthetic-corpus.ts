import type { Corpus } from './corpus.js';
import { Random } from './random.js';

export interface SyntheticCorpusOptions {
  readonly nDocs: number;
  readonly nWords: number;
  /** True topics the documents are drawn from. */
  readonly nTopics: number;
  /** Median number of word draws per document. */
  readonly tokensPerDoc: number;
  /** σ of the log of the draws per document: 0 gives every document the median, 2 a heavy tail. */
  readonly lengthSpread?: number;
  /** Dirichlet concentration of each document's topic mix (small: documents keep to few topics). */
  readonly docAlpha?: number;
  /** Exponent of each topic's Zipf law over its own random ranking of the words. */
  readonly zipf?: number;
  readonly seed?: number;
}

export interface SyntheticCorpus {
  readonly corpus: Corpus;
  /** The true topics, K × nWords, rows summing to 1. */
  readonly topics: Float64Array;
}

/**
 * A corpus drawn from LDA's own generative model, for tests and benchmarks: each topic ranks the
 * words in its own random order and weighs rank r by 1/(r + 1)^zipf; each document draws a topic
 * mix from Dirichlet(docAlpha), a log-normal number of draws, then a topic and a word per draw.
 * Repeated words add up, so long documents get the heavy-tailed counts of Spot's flow corpus.
 * Words are drawn in O(1) from alias tables; arrays are on shared memory.
 */
export function syntheticCorpus(o: SyntheticCorpusOptions): SyntheticCorpus {
  const { nDocs, nWords: V, nTopics: K, tokensPerDoc } = o;
  const spread = o.lengthSpread ?? 0;
  const docAlpha = o.docAlpha ?? 0.1;
  const random = new Random(o.seed ?? 0, 0, 0);
  const { topics, prob, alias } = zipfTopics(K, V, o.zipf ?? 1, random);

  // Room for the expected number of draws (distinct words are fewer), so that large corpora rarely grow.
  const expectedDraws = nDocs * Math.min(V, tokensPerDoc * Math.exp((spread * spread) / 2));
  let capacity = Math.max(1024, Math.min(Math.ceil(expectedDraws * 1.02), 2 ** 32 - 1));
  let wordIds = new Uint32Array(new SharedArrayBuffer(capacity * 4));
  let counts = new Float32Array(new SharedArrayBuffer(capacity * 4));
  const docStart = new Uint32Array(new SharedArrayBuffer((nDocs + 1) * 4));
  const slot = new Int32Array(V).fill(-1); // entry of word w in the current document, or −1
  const mix = new Float64Array(K);
  let n = 0;
  for (let d = 0; d < nDocs; d++) {
    let total = 0;
    for (let k = 0; k < K; k++) total += mix[k] = random.gamma(docAlpha);
    for (let k = 0, acc = 0; k < K; k++) mix[k] = acc += mix[k]! / total;
    const draws = Math.max(1, Math.round(tokensPerDoc * Math.exp(spread * random.normal())));
    if (n + Math.min(draws, V) > capacity) {
      capacity = Math.min(2 ** 32 - 1, Math.ceil((n + Math.min(draws, V)) * 1.5));
      if (n + Math.min(draws, V) > capacity) throw new RangeError('synthetic corpus: 2³² entries or more');
      wordIds = grow(wordIds, capacity, Uint32Array);
      counts = grow(counts, capacity, Float32Array);
    }
    const first = n;
    for (let i = 0; i < draws; i++) {
      const u = random.float();
      let k = 0;
      while (k < K - 1 && u >= mix[k]!) k++;
      const column = Math.floor(random.float() * V);
      const w = random.float() < prob[k * V + column]! ? column : alias[k * V + column]!;
      const at = slot[w]!;
      if (at >= 0) counts[at]!++;
      else {
        slot[w] = n;
        wordIds[n] = w;
        counts[n++] = 1;
      }
    }
    for (let j = first; j < n; j++) slot[wordIds[j]!] = -1;
    docStart[d + 1] = n;
  }
  return { corpus: { nDocs, nWords: V, docStart, wordIds: wordIds.subarray(0, n), counts: counts.subarray(0, n) }, topics };
}

/** K Zipf laws over independent random rankings of the words, with Vose alias tables for drawing. */
function zipfTopics(K: number, V: number, exponent: number, random: Random) {
  const topics = new Float64Array(K * V);
  const prob = new Float64Array(K * V);
  const alias = new Uint32Array(K * V);
  const order = Uint32Array.from({ length: V }, (_, i) => i);
  const small: number[] = [];
  const large: number[] = [];
  for (let k = 0; k < K; k++) {
    for (let i = V - 1; i > 0; i--) {
      const j = Math.floor(random.float() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let total = 0;
    for (let r = 0; r < V; r++) total += Math.pow(r + 1, -exponent);
    const row = k * V;
    for (let r = 0; r < V; r++) topics[row + order[r]!] = Math.pow(r + 1, -exponent) / total;
    for (let w = 0; w < V; w++) {
      prob[row + w] = topics[row + w]! * V;
      (prob[row + w]! < 1 ? small : large).push(w);
    }
    while (small.length && large.length) {
      const s = small.pop()!;
      const l = large.pop()!;
      alias[row + s] = l;
      prob[row + l] = prob[row + l]! + prob[row + s]! - 1;
      (prob[row + l]! < 1 ? small : large).push(l);
    }
    for (const w of [...small, ...large]) prob[row + w] = 1;
    small.length = large.length = 0;
  }
  return { topics, prob, alias };
}

function grow<T extends Uint32Array | Float32Array>(a: T, capacity: number, Ctor: new (b: SharedArrayBuffer) => T): T {
  const out = new Ctor(new SharedArrayBuffer(capacity * 4));
  out.set(a as never);
  return out;
}
