import { describe, expect, it } from 'vitest';
import { fitLda } from './fit.js';
import { decodeModel, encodeModel } from './model-file.js';
import { corpusOf } from './testing.js';

describe('model file', () => {
  it('round-trips λ, the settings and meta, and the decoded model transforms to the same bits', async () => {
    const corpus = corpusOf(5, [{ 0: 3, 1: 1 }, { 2: 7, 3: 2 }, { 0: 1, 4: 9 }]);
    const { model, theta } = await fitLda(corpus, { nTopics: 3, alpha: 0.5, iterations: 4, threads: 2, maxDocUpdateIter: 50, meanChangeTol: 1e-4 });
    const bytes = encodeModel(model, { day: '2024-05-01' });
    expect(bytes.length % 8).toBe(0);
    expect(bytes.length).toBeLessThan(3 * 5 * 8 + 256);
    // A copy at an odd offset, as a file read into a pooled buffer may be.
    const shifted = new Uint8Array(bytes.length + 3).subarray(3);
    shifted.set(bytes);
    const { model: back, meta } = decodeModel(shifted);
    expect(meta).toEqual({ day: '2024-05-01' });
    expect(back.settings).toEqual({ nTopics: 3, alpha: 0.5, beta: 1.001, maxDocUpdateIter: 50, meanChangeTol: 1e-4 });
    expect(Array.from(back.lambda)).toEqual(Array.from(model.lambda));
    expect(Array.from(await back.transform(corpus, { threads: 2 }))).toEqual(Array.from(theta));
  });

  it('refuses bytes that are not a whole model', async () => {
    const { model } = await fitLda(corpusOf(2, [{ 0: 1, 1: 1 }]), { nTopics: 2, threads: 1 });
    const bytes = encodeModel(model);
    expect(() => decodeModel(bytes.subarray(0, bytes.length - 8))).toThrow('expected');
    expect(() => decodeModel(new TextEncoder().encode('PAR1....'))).toThrow('not a Spothreat LDA model file');
  });
});
