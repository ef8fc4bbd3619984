import type { EngineSession } from '../engine/index.js';
import { checkCorpus, type Corpus } from './lda/index.js';

export interface DocumentWordCounts {
  readonly corpus: Corpus;
  readonly nDocs: number;
  readonly nWords: number;
  readonly nonZeros: number;
}

/**
 * The document-word matrix of a run, summed in SQL over the session's `ml_words` (doc, word,
 * ml_weight) with the ids of `docs` (doc, doc_id) and `ml_vocab` (word, word_id); words missing
 * from the vocabulary (a saved model's) and documents missing from `docs` are left out. Only the
 * (doc, word, count) triples come to JavaScript, a chunk at a time, straight into the corpus's
 * compressed rows, allocated once from the number of non-zeros: at 10⁸ non-zeros that is 1.2 GB
 * (word ids and counts), where growing columns and a CSR copy of them peaked near 5 GB.
 * Ordered by document and word: a parallel GROUP BY returns its groups in any order, and the order
 * of a document's words is the order of the fit's sums, so this keeps the fit's bits repeatable
 * (and reads φ's rows in address order).
 */
export async function documentWordCounts(engine: EngineSession, docs = 'ml_docs'): Promise<DocumentWordCounts> {
  await engine.run(
    `CREATE OR REPLACE TEMP TABLE ml_counts AS SELECT o.doc_id, v.word_id, sum(w.ml_weight) AS n ` +
      `FROM ml_words AS w JOIN ${docs} AS o ON o.doc = w.doc JOIN ml_vocab AS v ON v.word = w.word GROUP BY 1, 2`,
  );
  const [sizes] = await engine.query<{ docs: number; words: number; nonzeros: number }>(
    `SELECT (SELECT count(*) FROM ${docs}) AS docs, (SELECT count(*) FROM ml_vocab) AS words, (SELECT count(*) FROM ml_counts) AS nonzeros`,
  );
  const nDocs = Number(sizes!.docs);
  const nWords = Number(sizes!.words);
  const nonZeros = Number(sizes!.nonzeros);

  const docStart = nonZeros >= 2 ** 32 ? new Float64Array(new SharedArrayBuffer((nDocs + 1) * 8)) : new Uint32Array(new SharedArrayBuffer((nDocs + 1) * 4));
  const wordIds = new Uint32Array(new SharedArrayBuffer(nonZeros * 4));
  const counts = new Float64Array(new SharedArrayBuffer(nonZeros * 8));
  let at = 0;
  let lastDoc = 0;
  for await (const chunk of engine.numericChunks('SELECT doc_id, word_id, n FROM ml_counts ORDER BY doc_id, word_id')) {
    const [doc, word, n] = chunk.columns as [Float64Array, Float64Array, Float64Array];
    if (at + chunk.rows > nonZeros) throw new Error(`the document-word counts grew while being read: more than ${nonZeros} rows`);
    for (let i = 0; i < chunk.rows; i++, at++) {
      const d = doc[i]!;
      if (!(d >= lastDoc && d < nDocs)) throw new RangeError(`document id ${d} at entry ${at} is out of order or not in [0, ${nDocs})`);
      lastDoc = d;
      docStart[d + 1]!++;
      wordIds[at] = word[i]!;
      counts[at] = n[i]!;
    }
  }
  if (at !== nonZeros) throw new Error(`read ${at} document-word counts of ${nonZeros}`);
  for (let d = 0; d < nDocs; d++) docStart[d + 1] = docStart[d + 1]! + docStart[d]!;
  await engine.run('DROP TABLE ml_counts');
  const corpus: Corpus = { nDocs, nWords: Math.max(nWords, 1), docStart, wordIds, counts };
  checkCorpus(corpus);
  return { corpus, nDocs, nWords, nonZeros };
}
