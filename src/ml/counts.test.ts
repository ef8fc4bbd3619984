import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/tmp.js';
import { loadConfig } from '../config/index.js';
import { openEngine } from '../engine/index.js';
import { documentWordCounts } from './counts.js';

describe('documentWordCounts', () => {
  it('sums the weights of each document\'s words into compressed rows, in document and word order, leaving out unknown words and documents', async () => {
    const e = await openEngine(loadConfig({ env: {}, overrides: { 'lake.path': join(tempDir(), 'lake') } }));
    try {
      await e.registerTable(
        'ml_words',
        [
          { name: 'doc', type: 'text' },
          { name: 'word', type: 'text' },
          { name: 'ml_weight', type: 'int' },
        ],
        [
          ['2001:db8::1', 'b', 1],
          ['10.0.0.1', 'a', 1],
          ['2001:db8::1', 'a', 10], // a feedback row
          ['10.0.0.1', 'a', 1],
          ['10.0.0.1', 'c', 1],
          ['2001:db8::1', 'b', 1],
          ['10.0.0.1', 'unknown', 1],
          ['10.0.0.9', 'a', 1],
        ],
      );
      await e.registerTable('ml_docs', [{ name: 'doc', type: 'text' }, { name: 'doc_id', type: 'int' }], [['10.0.0.1', 0], ['10.0.0.2', 1], ['2001:db8::1', 2]]);
      await e.registerTable('ml_vocab', [{ name: 'word', type: 'text' }, { name: 'word_id', type: 'int' }], [['c', 0], ['a', 1], ['b', 2]]);
      const { corpus, nDocs, nWords, nonZeros } = await documentWordCounts(e);
      expect({ nDocs, nWords, nonZeros }).toEqual({ nDocs: 3, nWords: 3, nonZeros: 4 });
      expect(Array.from(corpus.docStart)).toEqual([0, 2, 2, 4]);
      expect(Array.from(corpus.wordIds)).toEqual([0, 1, 1, 2]);
      expect(Array.from(corpus.counts)).toEqual([1, 2, 10, 2]);
      expect(corpus.wordIds.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(corpus.counts.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(await e.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'ml_counts'")).toEqual([{ n: 0 }]);
    } finally {
      await e.close();
    }
  });
});
