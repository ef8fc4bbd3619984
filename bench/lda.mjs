#!/usr/bin/env node
// LDA: Spothreat's fitLda against scikit-learn's LatentDirichletAllocation (batch variational
// Bayes, same K, priors, iterations and E-step limits) on the same synthetic corpus, plus one run
// at Spot's scale (10⁶ IP documents × 10⁵ words × ~10⁸ non-zeros) timed per iteration.
// Usage: node bench/lda.mjs [--docs 50000] [--words 20000] [--tokens 60] [--scale-docs 1000000]
//        [--scale-words 100000] [--scale-tokens 40] [--scale-iterations 2] [--online-passes 2]
//        [--no-compare] [--no-scale]
// Each measured fit runs in a child process of its own, so its peak memory is its own.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { fitLda, sliceDocs, syntheticCorpus, totalCount } from '../dist/ml/lda/index.js';
import { runSklearn, sklearnVersion } from '../dist/ml/lda/sklearn-reference.js';
import { fmt, root, updateSection } from './lib.mjs';

const SETTINGS = { nTopics: 20, alpha: 1.02, beta: 1.001, iterations: 20, seed: 0, maxDocUpdateIter: 100, meanChangeTol: 1e-3 };
const HELD_OUT = 0.1; // share of extra documents drawn for the held-out perplexity

/** Flow-like corpus: log-normal document lengths (σ 1.5), so a few IPs have thousands of words and large counts. */
function corpusOf({ docs, words, tokens }) {
  const all = syntheticCorpus({ nDocs: Math.round(docs * (1 + HELD_OUT)), nWords: words, nTopics: SETTINGS.nTopics, tokensPerDoc: tokens, lengthSpread: 1.5, docAlpha: 0.1, zipf: 1, seed: 1 }).corpus;
  return { train: sliceDocs(all, 0, docs), test: sliceDocs(all, docs, all.nDocs) };
}

function describe(c) {
  const counts = Float32Array.from(c.counts).sort();
  return { docs: c.nDocs, words: c.nWords, nonZeros: c.wordIds.length, tokens: totalCount(c), maxCount: counts.at(-1), p99Count: counts[Math.floor(counts.length * 0.99)] };
}

const corpusBytes = (c) => c.docStart.byteLength + c.wordIds.byteLength + c.counts.byteLength;

/** In a child process: generate, fit, time each step; prints one JSON line. */
async function child(spec) {
  const started = performance.now();
  const { train, test } = corpusOf(spec.corpus);
  const generateSeconds = (performance.now() - started) / 1000;
  const iterationSeconds = [];
  // The process's peak includes the generator; the fit's own peak is sampled while the workers run.
  const rssBeforeFit = process.memoryUsage().rss;
  let fitPeak = rssBeforeFit;
  const sampler = setInterval(() => (fitPeak = Math.max(fitPeak, process.memoryUsage().rss)), 200);
  let last = performance.now();
  const begin = last;
  const fit = await fitLda(train, { ...SETTINGS, ...spec.options }, () => {
    const now = performance.now();
    iterationSeconds.push((now - last) / 1000);
    last = now;
  });
  const fitSeconds = (performance.now() - begin) / 1000;
  clearInterval(sampler);
  const testPerplexity = spec.heldOut ? await fit.model.perplexity(test, { threads: spec.options.threads }) : NaN;
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ corpus: describe(train), generateSeconds, fitSeconds, iterationSeconds, finalSeconds: fitSeconds - iterationSeconds.reduce((a, b) => a + b, 0), trainPerplexity: fit.perplexity, testPerplexity, peakMiB, corpusMiB: corpusBytes(train) / 2 ** 20, rssBeforeFitMiB: rssBeforeFit / 2 ** 20, fitPeakMiB: fitPeak / 2 ** 20 }));
}

function inChild(spec) {
  const r = spawnSync(process.execPath, ['--max-old-space-size=8192', fileURLToPath(import.meta.url), '--child', JSON.stringify(spec)], { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`lda bench child failed (${r.status ?? r.signal})`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

function compareWithSklearn(shape, threads, o, note) {
  const rows = [];
  note(`batch fit, ${fmt(shape.docs)} documents × ${fmt(shape.words)} words, ${threads} threads`);
  const ours = inChild({ corpus: shape, options: { threads }, heldOut: true });
  rows.push({ name: `Spothreat fitLda, batch VB, ${threads} threads`, ...ours });
  if (o.onlinePasses) {
    note(`online fit, ${o.onlinePasses} passes`);
    const online = inChild({ corpus: shape, options: { threads, learningMethod: 'online', iterations: o.onlinePasses }, heldOut: true });
    rows.push({ name: `Spothreat fitLda, online VB, ${o.onlinePasses} passes of 4,096-document batches`, ...online });
  }
  const found = sklearnVersion();
  let sklearn;
  if ('missing' in found) console.error(`lda bench: scikit-learn skipped: ${found.missing} (pip install scikit-learn==1.9.1)`);
  else {
    note(`scikit-learn ${found.version}, n_jobs=${threads}`);
    const { train, test } = corpusOf(shape);
    sklearn = runSklearn({ settings: { ...SETTINGS, nJobs: threads }, train, test });
    rows.push({ name: `scikit-learn ${sklearn.sklearn} LatentDirichletAllocation, batch, n_jobs=${threads}`, fitSeconds: sklearn.fitSeconds, trainPerplexity: sklearn.trainPerplexity, testPerplexity: sklearn.testPerplexity, peakMiB: sklearn.peakMiB });
  }
  const c = ours.corpus;
  const ratio = (r) => (sklearn ? `${(r.fitSeconds / sklearn.fitSeconds).toFixed(2)}×` : '–');
  const perplexityRatio = (r) => (sklearn ? (r.testPerplexity / sklearn.testPerplexity).toFixed(4) : '–');
  const table = [
    `Corpus: ${fmt(c.docs)} documents × ${fmt(c.words)} words, ${fmt(c.nonZeros)} non-zeros, ${fmt(c.tokens)} words counted (largest count ${fmt(c.maxCount)}), and ${fmt(Math.round(c.docs * HELD_OUT))} held-out documents. K = ${SETTINGS.nTopics}, α = ${SETTINGS.alpha}, β = ${SETTINGS.beta}, ${SETTINGS.iterations} iterations, max_doc_update_iter ${SETTINGS.maxDocUpdateIter}, mean_change_tol ${SETTINGS.meanChangeTol}.`,
    '',
    '| fit | time (fit, with the final E-step and bound) | ratio to scikit-learn | training perplexity | held-out perplexity | held-out ratio to scikit-learn | peak memory |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.name} | ${r.fitSeconds.toFixed(1)} s | ${ratio(r)} | ${r.trainPerplexity.toFixed(2)} | ${r.testPerplexity.toFixed(2)} | ${perplexityRatio(r)} | ${r.peakMiB.toFixed(0)} MiB${r.name.startsWith('scikit') && threads > 1 ? ' (main process; joblib workers not counted)' : ''} |`),
  ].join('\n');
  console.log(table);
  return table;
}

export async function benchLda(o = {}) {
  const threads = o.threads ?? availableParallelism();
  const shape = { docs: o.docs ?? 50_000, words: o.words ?? 20_000, tokens: o.tokens ?? 60 };
  const note = (s) => console.error(`lda bench: ${s} (load average ${loadavg()[0].toFixed(1)})`);

  let compare = '';
  if (o.compare !== false) compare = compareWithSklearn(shape, threads, o, note);

  let scale = '';
  if (o.scale !== false) {
    const big = { docs: o.scaleDocs ?? 1_000_000, words: o.scaleWords ?? 100_000, tokens: o.scaleTokens ?? 40 };
    const iterations = o.scaleIterations ?? 2;
    note(`scale run, ${fmt(big.docs)} documents × ${fmt(big.words)} words, ${iterations} iterations`);
    const s = inChild({ corpus: big, options: { threads, iterations }, heldOut: false });
    const perIteration = s.iterationSeconds.reduce((a, b) => a + b, 0) / iterations;
    scale = [
      `At scale: ${fmt(s.corpus.docs)} documents × ${fmt(s.corpus.words)} words, ${fmt(s.corpus.nonZeros)} non-zeros (${fmt(s.corpus.tokens)} words counted), K = ${SETTINGS.nTopics}, ${threads} threads, ${iterations} iterations measured.`,
      '',
      '| corpus generation | EM iterations | final E-step and bound | 20 iterations, extrapolated | corpus arrays | resident before the fit | resident during the fit, peak | process peak, generator included |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|',
      `| ${s.generateSeconds.toFixed(0)} s | ${s.iterationSeconds.map((x) => `${x.toFixed(0)} s`).join(', ')} | ${s.finalSeconds.toFixed(0)} s | ${((perIteration * 20 + s.finalSeconds) / 60).toFixed(0)} min | ${fmt(Math.round(s.corpusMiB))} MiB | ${fmt(Math.round(s.rssBeforeFitMiB))} MiB | ${fmt(Math.round(s.fitPeakMiB))} MiB | ${fmt(Math.round(s.peakMiB))} MiB |`,
    ].join('\n');
    console.log(`\n${scale}`);
  }
  const body = [compare, scale].filter(Boolean).join('\n\n');
  if (readFileSync(`${root}/docs/benchmarks.md`, 'utf8').includes('<!-- bench:lda:start -->')) updateSection('lda', body);
  else console.error('lda bench: docs/benchmarks.md has no bench:lda section; results printed only');
}

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const num = (name) => (arg(name) === undefined ? undefined : Number(arg(name)));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (arg('--child')) await child(JSON.parse(arg('--child')));
  else
    await benchLda({
      docs: num('--docs'),
      words: num('--words'),
      tokens: num('--tokens'),
      threads: num('--threads'),
      onlinePasses: num('--online-passes') ?? 2,
      compare: !process.argv.includes('--no-compare'),
      scale: !process.argv.includes('--no-scale'),
      scaleDocs: num('--scale-docs'),
      scaleWords: num('--scale-words'),
      scaleTokens: num('--scale-tokens'),
      scaleIterations: num('--scale-iterations'),
    });
}
