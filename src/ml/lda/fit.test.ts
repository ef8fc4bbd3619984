import { describe, expect, it } from 'vitest';
import { fitLda } from './fit.js';
import { syntheticCorpus } from './synthetic-corpus.js';
import { bestCosines, corpusOf, rowSums } from './testing.js';

const K = 5;
const V = 300;
const { corpus, topics } = syntheticCorpus({ nDocs: 1000, nWords: V, nTopics: K, tokensPerDoc: 100, seed: 1 });
const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const expectRowsOfOne = (m: Float64Array, width: number) => rowSums(m, width).forEach((s) => expect(Math.abs(s - 1)).toBeLessThan(1e-12));

describe('fitLda', () => {
  it('recovers the topics a corpus was drawn from, with Spot\'s priors', async () => {
    const fit = await fitLda(corpus, { nTopics: K, seed: 3, threads: 2 });
    const phi = fit.model.phi();
    const cosines = bestCosines(topics, phi, V);
    expect(Math.min(...cosines)).toBeGreaterThanOrEqual(0.9);
    expect(Math.min(...bestCosines(phi, topics, V))).toBeGreaterThanOrEqual(0.9); // one fitted topic per true topic
    expectRowsOfOne(phi, V);
    expectRowsOfOne(fit.theta, K);
    expect(fit.innerIterations).toHaveLength(20);
    // θ is the final model's transform, and the fit's perplexity the final model's perplexity.
    expect(bytes(await fit.model.transform(corpus, { threads: 2 }))).toEqual(bytes(fit.theta));
    expect(await fit.model.perplexity(corpus, { threads: 2 })).toBe(fit.perplexity);
  });

  it('recovers them with online learning too', async () => {
    const fit = await fitLda(corpus, { nTopics: K, seed: 3, threads: 2, learningMethod: 'online', batchSize: 100, iterations: 5 });
    expect(Math.min(...bestCosines(topics, fit.model.phi(), V))).toBeGreaterThanOrEqual(0.9);
    expect(fit.innerIterations).toHaveLength(50);
  });

  it('gives the same bits for the same seed and threads, and others for another seed', async () => {
    const small = { nTopics: K, iterations: 5, threads: 2 };
    const [a, b, c] = await Promise.all([fitLda(corpus, { ...small, seed: 7 }), fitLda(corpus, { ...small, seed: 7 }), fitLda(corpus, { ...small, seed: 8 })]);
    expect(bytes(a.theta)).toEqual(bytes(b.theta));
    expect(bytes(a.model.lambda)).toEqual(bytes(b.model.lambda));
    expect(bytes(a.model.phi())).toEqual(bytes(b.model.phi()));
    expect(a.perplexity).toBe(b.perplexity);
    expect(bytes(a.theta)).not.toEqual(bytes(c.theta));
    expect(bytes(a.model.phi())).not.toEqual(bytes(c.model.phi()));
  });

  it('gives empty documents the uniform mix, and an unused word λ = β in every topic', async () => {
    const c = corpusOf(4, [{ 0: 5, 1: 2 }, {}, { 1: 3, 2: 1000 }, {}]);
    const fit = await fitLda(c, { nTopics: 3, seed: 1, threads: 2 });
    expect(Array.from(fit.theta.subarray(3, 6))).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(Array.from(fit.theta.subarray(9, 12))).toEqual([1 / 3, 1 / 3, 1 / 3]);
    for (let k = 0; k < 3; k++) expect(fit.model.lambda[k * 4 + 3]).toBe(1.001);
    expectRowsOfOne(fit.model.phi(), 4);
    expect(fit.perplexity).toBeGreaterThan(1);
    expect(fit.perplexity).toBeLessThan(4);
  });

  it('fits one document, on more threads than documents', async () => {
    const fit = await fitLda(corpusOf(3, [{ 0: 2, 2: 1 }]), { nTopics: 2, threads: 4 });
    expectRowsOfOne(fit.theta, 2);
    expect(Number.isFinite(fit.perplexity)).toBe(true);
  });

  it('fits more topics than words', async () => {
    const fit = await fitLda(corpusOf(2, [{ 0: 4 }, { 1: 4 }, { 0: 1, 1: 1 }]), { nTopics: 10, threads: 2 });
    expect(fit.model.lambda).toHaveLength(20);
    expectRowsOfOne(fit.model.phi(), 2);
    expectRowsOfOne(fit.theta, 10);
    expect(Number.isFinite(fit.perplexity)).toBe(true);
  });

  it('reports NaN perplexity for a corpus with no words, and rejects bad options', async () => {
    expect((await fitLda(corpusOf(2, [{}, {}]), { nTopics: 2, threads: 1 })).perplexity).toBeNaN();
    await expect(fitLda(corpus, { nTopics: 0 })).rejects.toThrow();
    await expect(fitLda({ ...corpus, nWords: 10 })).rejects.toThrow('is not below nWords = 10');
  });
});
