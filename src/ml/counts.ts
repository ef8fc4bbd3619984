import type { EngineSession } from '../engine/index.js';
import { corpusFromColumns, type Corpus } from './lda/index.js';

export interface DocumentWordCounts {
  readonly corpus: Corpus;
  readonly nDocs: number;
  readonly nWords: number;
  readonly nonZeros: number;
}

/**
 * The document-word matrix of a run, summed in SQL over the session's `ml_words` (doc, word,
 * ml_weight) with the ids of `ml_docs` and `ml_vocab`; only the (doc, word, count) triples come
 * to JavaScript, as typed arrays. Words missing from the vocabulary (a saved model's) are left out.
 * Ordered by document and word: a parallel GROUP BY returns its groups in any order, and the order
 * of a document's words is the order of the fit's sums, so this keeps the fit's bits repeatable
 * (and reads φ's rows in address order).
 */
export async function documentWordCounts(engine: EngineSession): Promise<DocumentWordCounts> {
  const counts = await engine.numericColumns(
    `SELECT o.doc_id, v.word_id, sum(w.ml_weight) AS n FROM ml_words AS w JOIN ml_docs AS o ON o.doc = w.doc JOIN ml_vocab AS v ON v.word = w.word GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  const [sizes] = await engine.query<{ docs: number; words: number }>('SELECT (SELECT count(*) FROM ml_docs) AS docs, (SELECT count(*) FROM ml_vocab) AS words');
  const nDocs = Number(sizes!.docs);
  const nWords = Number(sizes!.words);
  const corpus = corpusFromColumns({ nDocs, nWords: Math.max(nWords, 1), docIds: counts.columns.doc_id!, wordIds: counts.columns.word_id!, counts: counts.columns.n! });
  return { corpus, nDocs, nWords, nonZeros: counts.rows };
}
