import { describe, expect, it } from 'vitest';
import { sliceDocs } from './corpus.js';
import { corpusOf } from './testing.js';
import { fitLda } from './fit.js';
import { runSklearn, sklearnVersion, type SklearnSettings } from './sklearn-reference.js';
import { syntheticCorpus } from './synthetic-corpus.js';

// scikit-learn is the reference: locally a missing install skips these tests, in CI it fails them.
const PIP = 'pip install scikit-learn==1.9.1';
const found = sklearnVersion();
const missing = 'missing' in found ? found.missing : undefined;
if (missing && process.env.CI === 'true') throw new Error(`${missing}; CI needs it: ${PIP}`);

const K = 8;
const V = 500;
const all = syntheticCorpus({ nDocs: 1200, nWords: V, nTopics: K, tokensPerDoc: 80, lengthSpread: 1, seed: 11 }).corpus;
const train = sliceDocs(all, 0, 1000);
const heldOut = sliceDocs(all, 1000, 1200);
const settings: SklearnSettings = { nTopics: K, alpha: 1.02, beta: 1.001, iterations: 20, seed: 0, maxDocUpdateIter: 100, meanChangeTol: 1e-3 };

describe.skipIf(missing)(`against scikit-learn's LatentDirichletAllocation${missing ? ` (skipped: ${missing}; ${PIP})` : ''}`, () => {
  it('infers the same θ and perplexity from the same topics', async () => {
    const { model } = await fitLda(train, { ...settings, iterations: 3, threads: 2 });
    const ours = await model.infer(heldOut, { threads: 2 });
    const ref = runSklearn({ settings, lambda: model.lambda, test: heldOut, theta: true });
    expect(Math.abs(ours.perplexity / ref.testPerplexity! - 1)).toBeLessThan(1e-8);
    let worst = 0;
    for (let i = 0; i < ours.theta.length; i++) worst = Math.max(worst, Math.abs(ours.theta[i]! - ref.theta![i]!));
    expect(worst).toBeLessThan(1e-8);
  });

  it('fits to a held-out perplexity within 5% of scikit-learn\'s, batch VB with the same settings', async () => {
    const fit = await fitLda(train, { ...settings, threads: 2 });
    const ours = await fit.model.perplexity(heldOut, { threads: 2 });
    const ref = runSklearn({ settings, train, test: heldOut });
    expect(Math.abs(ours / ref.testPerplexity! - 1)).toBeLessThan(0.05);
    expect(Math.abs(fit.perplexity / ref.trainPerplexity! - 1)).toBeLessThan(0.05);
  });

  it('matches it where exp(E[log β]) underflows: β = 0.001 and a held-out word never seen in training', async () => {
    const small = { ...settings, nTopics: 3, beta: 0.001, iterations: 5 };
    const { model } = await fitLda(corpusOf(5, [{ 0: 9, 1: 1 }, { 1: 4, 2: 6 }, { 2: 1, 3: 8 }]), { ...small, threads: 2 });
    const unseen = corpusOf(5, [{ 4: 3 }, { 0: 2, 4: 1 }, { 1: 5 }]);
    const ours = await model.infer(unseen, { threads: 2 });
    const ref = runSklearn({ settings: small, lambda: model.lambda, test: unseen, theta: true });
    expect(Number.isFinite(ours.perplexity)).toBe(true);
    expect(Math.abs(ours.perplexity / ref.testPerplexity! - 1)).toBeLessThan(1e-8);
    ours.theta.forEach((v, i) => expect(Math.abs(v - ref.theta![i]!)).toBeLessThan(1e-8));
  });
});
