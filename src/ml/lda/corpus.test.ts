import { describe, expect, it } from 'vitest';
import { checkCorpus, corpusFromColumns, longestDoc, shareCorpus, sliceDocs, splitDocs, totalCount } from './corpus.js';
import { corpusOf } from './testing.js';

describe('corpus', () => {
  it('builds CSR rows from unordered (doc, word, count) columns, on shared memory', () => {
    const c = corpusFromColumns({ nDocs: 3, nWords: 5, docIds: [2, 0, 2, 0], wordIds: [4, 1, 0, 3], counts: [1000, 2, 0.5, 1] });
    expect(Array.from(c.docStart)).toEqual([0, 2, 2, 4]);
    expect(Array.from(c.wordIds)).toEqual([1, 3, 4, 0]);
    expect(Array.from(c.counts)).toEqual([2, 1, 1000, 0.5]);
    expect(c.wordIds.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(totalCount(c)).toBe(1003.5);
    expect(longestDoc(c)).toBe(2);
  });

  it.each([
    [{ docStart: Uint32Array.of(0, 2, 1) }, 'docStart must run from 0 to 2'],
    [{ docStart: Uint32Array.of(0, 2) }, 'docStart has 2 offsets, expected nDocs + 1 = 3'],
    [{ wordIds: Uint32Array.of(0, 9) }, 'word id 9 at entry 1 is not below nWords = 4'],
    [{ counts: Float32Array.of(1, -1) }, 'count -1 at entry 1 is not a finite number ≥ 0'],
    [{ counts: Float32Array.of(NaN, 1) }, 'count NaN at entry 0'],
  ])('rejects a malformed corpus: %o', (change, message) => {
    const good = corpusOf(4, [{ 0: 1 }, { 3: 2 }]);
    expect(() => checkCorpus(good)).not.toThrow();
    expect(() => checkCorpus({ ...good, ...change })).toThrow(message);
  });

  it('rejects a document id out of range', () => {
    expect(() => corpusFromColumns({ nDocs: 2, nWords: 2, docIds: [2], wordIds: [0], counts: [1] })).toThrow('document id 2 at entry 0 is not in [0, 2)');
  });

  it('copies plain arrays to shared memory and leaves shared ones alone', () => {
    const plain = corpusOf(3, [{ 0: 1, 2: 4 }]);
    const shared = shareCorpus(plain);
    expect(shared.counts.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(shared.counts)).toEqual([1, 4]);
    expect(shareCorpus(shared)).toBe(shared);
  });

  it('splits documents into contiguous ranges of equal entries plus a per-document cost', () => {
    // One long document and many short ones: the long one gets a range of its own.
    const c = corpusOf(400, [Object.fromEntries(Array.from({ length: 300 }, (_, w) => [w, 1])), ...Array.from({ length: 50 }, () => ({ 1: 1, 2: 1 }))]);
    expect(Array.from(splitDocs(c, 2))).toEqual([0, 1, 51]);
    expect(Array.from(splitDocs(c, 3, 1, 51))).toEqual([1, 18, 35, 51]);
    expect(Array.from(splitDocs(corpusOf(3, [{ 0: 1 }]), 3))).toEqual([0, 1, 1, 1]);
  });

  it('slices documents into a corpus of their own', () => {
    const c = corpusOf(4, [{ 0: 1 }, { 1: 2, 2: 3 }, {}, { 3: 4 }]);
    const s = sliceDocs(c, 1, 3);
    expect(s.nDocs).toBe(2);
    expect(Array.from(s.docStart)).toEqual([0, 2, 2]);
    expect(Array.from(s.wordIds)).toEqual([1, 2]);
    expect(Array.from(s.counts)).toEqual([2, 3]);
    expect(() => checkCorpus(s)).not.toThrow();
    expect(() => sliceDocs(c, 2, 5)).toThrow('documents [2, 5) are not within [0, 4)');
  });
});
