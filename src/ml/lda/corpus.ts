/**
 * The document-word matrix LDA reads: compressed sparse rows in typed arrays. Row d holds the
 * words of document d at positions docStart[d] … docStart[d + 1] − 1 of wordIds and counts.
 * Arrays backed by a SharedArrayBuffer reach the worker threads without a copy.
 */
export interface Corpus {
  readonly nDocs: number;
  readonly nWords: number;
  /** nDocs + 1 offsets; Float64Array when there are 2³² non-zeros or more. */
  readonly docStart: Uint32Array | Float64Array;
  readonly wordIds: Uint32Array;
  /** Counts are real numbers ≥ 0: feedback duplication can make them large, weighting fractional. */
  readonly counts: Float32Array | Float64Array;
}

/** Column form of the same matrix, one entry per (document, word) pair, in any order. */
export interface CorpusColumns {
  readonly nDocs: number;
  readonly nWords: number;
  readonly docIds: ArrayLike<number>;
  readonly wordIds: ArrayLike<number>;
  readonly counts: ArrayLike<number>;
}

/** Throws on a malformed corpus, naming the first bad entry; O(non-zeros). */
export function checkCorpus(c: Corpus): void {
  const { nDocs, nWords, docStart, wordIds, counts } = c;
  if (!Number.isInteger(nDocs) || nDocs < 0) throw new RangeError(`nDocs must be an integer ≥ 0, got ${nDocs}`);
  if (!Number.isInteger(nWords) || nWords < 1) throw new RangeError(`nWords must be an integer ≥ 1, got ${nWords}`);
  if (docStart.length !== nDocs + 1) throw new RangeError(`docStart has ${docStart.length} offsets, expected nDocs + 1 = ${nDocs + 1}`);
  if (wordIds.length !== counts.length) throw new RangeError(`wordIds (${wordIds.length}) and counts (${counts.length}) differ in length`);
  if (docStart[0] !== 0 || docStart[nDocs] !== wordIds.length) {
    throw new RangeError(`docStart must run from 0 to ${wordIds.length}, got ${docStart[0]} … ${docStart[nDocs]}`);
  }
  for (let d = 0; d < nDocs; d++) {
    if (!(docStart[d + 1]! >= docStart[d]!)) throw new RangeError(`docStart decreases at document ${d}`);
  }
  for (let i = 0; i < wordIds.length; i++) {
    if (wordIds[i]! >= nWords) throw new RangeError(`word id ${wordIds[i]} at entry ${i} is not below nWords = ${nWords}`);
    const n = counts[i]!;
    if (!(n >= 0 && n < Infinity)) throw new RangeError(`count ${n} at entry ${i} is not a finite number ≥ 0`);
  }
}

/** The corpus with every array on shared memory: the same arrays when they already are. */
export function shareCorpus(c: Corpus): Corpus {
  const shared = (a: { buffer: ArrayBufferLike }) => a.buffer instanceof SharedArrayBuffer;
  if (shared(c.docStart) && shared(c.wordIds) && shared(c.counts)) return c;
  return {
    nDocs: c.nDocs,
    nWords: c.nWords,
    docStart: copyShared(c.docStart),
    wordIds: copyShared(c.wordIds),
    counts: copyShared(c.counts),
  };
}

/** Builds the CSR matrix from (doc, word, count) columns, on shared memory (counting sort by document). */
export function corpusFromColumns(columns: CorpusColumns): Corpus {
  const { nDocs, nWords, docIds, wordIds, counts } = columns;
  const n = docIds.length;
  if (wordIds.length !== n || counts.length !== n) throw new RangeError('docIds, wordIds and counts must have the same length');
  const docStart = n >= 2 ** 32 ? sharedFloat64(nDocs + 1) : sharedUint32(nDocs + 1);
  for (let i = 0; i < n; i++) {
    const d = docIds[i]!;
    if (!(Number.isInteger(d) && d >= 0 && d < nDocs)) throw new RangeError(`document id ${d} at entry ${i} is not in [0, ${nDocs})`);
    docStart[d + 1]!++;
  }
  for (let d = 0; d < nDocs; d++) docStart[d + 1] = docStart[d + 1]! + docStart[d]!;
  const fill = docStart.slice(0, nDocs);
  const ids = sharedUint32(n);
  const values = new Float64Array(new SharedArrayBuffer(n * 8));
  for (let i = 0; i < n; i++) {
    const at = fill[docIds[i]!]!++;
    ids[at] = wordIds[i]!;
    values[at] = counts[i]!;
  }
  const corpus: Corpus = { nDocs, nWords, docStart, wordIds: ids, counts: values };
  checkCorpus(corpus);
  return corpus;
}

/** Documents [from, to) as a corpus of their own (copies; for held-out splits). */
export function sliceDocs(c: Corpus, from: number, to: number): Corpus {
  if (!(0 <= from && from <= to && to <= c.nDocs)) throw new RangeError(`documents [${from}, ${to}) are not within [0, ${c.nDocs})`);
  const lo = c.docStart[from]!;
  const hi = c.docStart[to]!;
  const docStart = new (c.docStart.constructor as new (n: number) => Uint32Array | Float64Array)(to - from + 1);
  for (let d = from; d <= to; d++) docStart[d - from] = c.docStart[d]! - lo;
  return shareCorpus({ nDocs: to - from, nWords: c.nWords, docStart, wordIds: c.wordIds.slice(lo, hi), counts: c.counts.slice(lo, hi) });
}

/** Σ of all counts: the number of words that perplexity is taken per. */
export function totalCount(c: Corpus): number {
  let total = 0;
  for (let i = 0; i < c.counts.length; i++) total += c.counts[i]!;
  return total;
}

/** The largest number of entries in one document: the size of a worker's per-document scratch. */
export function longestDoc(c: Corpus, from = 0, to = c.nDocs): number {
  let longest = 0;
  for (let d = from; d < to; d++) longest = Math.max(longest, c.docStart[d + 1]! - c.docStart[d]!);
  return longest;
}

/**
 * Splits documents [from, to) into `parts` contiguous ranges of about equal work, counting each
 * entry plus a fixed cost per document (its digamma and exp calls), so that a heavy-tailed
 * corpus does not leave one thread with the long documents. Returns parts + 1 boundaries.
 */
export function splitDocs(c: Corpus, parts: number, from = 0, to = c.nDocs): Float64Array {
  const DOC_COST = 4; // entries' worth of work for the per-document digamma, exp and bookkeeping
  const bounds = new Float64Array(parts + 1);
  bounds[0] = from;
  bounds[parts] = to;
  const total = c.docStart[to]! - c.docStart[from]! + DOC_COST * (to - from);
  let d = from;
  for (let p = 1; p < parts; p++) {
    const target = (total * p) / parts;
    while (d < to && c.docStart[d]! - c.docStart[from]! + DOC_COST * (d - from) < target) d++;
    bounds[p] = d;
  }
  return bounds;
}

function copyShared<T extends Uint32Array | Float32Array | Float64Array>(a: T): T {
  const Ctor = a.constructor as new (buffer: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a as never);
  return out;
}

function sharedUint32(n: number): Uint32Array {
  return new Uint32Array(new SharedArrayBuffer(n * 4));
}

function sharedFloat64(n: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(n * 8));
}
