#!/usr/bin/env node
// ML pipeline on a generated day of ~10 million flows: Spot's suspicious-connects (words, counts,
// LDA fit, scoring), each stage timed, then scikit-learn's LatentDirichletAllocation fitted on the
// very same document-word matrix, with the same priors, iterations and E-step limits.
// Usage: node bench/ml-flow.mjs [--workstations 5500] [--threads N] [--lake DIR] [--no-sklearn]
// The pipeline runs in a child process of its own, so its peak memory is its own.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSchema } from '../dist/config/index.js';
import { openEngine } from '../dist/engine/index.js';
import { runSuspiciousConnects } from '../dist/ml/index.js';
import { variationalPriors } from '../dist/ml/config.js';
import { fitLda, totalCount } from '../dist/ml/lda/index.js';
import { runSklearn, sklearnVersion } from '../dist/ml/lda/sklearn-reference.js';
import { cli, fmt, lakeRows, run, updateSection, work } from './lib.mjs';

const DATE = '2026-11-27';
const STAGES = ['events', 'words', 'counts', 'lda', 'score', 'results'];
const SEEDS = [42, 1, 2];

/** A lake holding one generated day: about 1,850 flow records per workstation (5,500 give ~10 million). */
function input(workstations) {
  const gen = join(work, `ml-generated-${workstations}`);
  if (!existsSync(join(gen, 'labels.csv'))) {
    console.error(`generating a synthetic day of ${fmt(workstations)} workstations into ${gen}`);
    run('node', [cli, 'generate', '--date', DATE, '--workstations', String(workstations), '--scale', '1', '--seed', '7', '--no-dns', '--out', gen], { stdio: ['ignore', 'inherit', 'inherit'] });
  }
  const lake = join(work, `ml-lake-${workstations}`);
  if (!existsSync(join(lake, 'flow'))) {
    console.error(`ingesting it into ${lake}`);
    run('node', [cli, 'ingest', 'flow', join(gen, 'nfcapd'), '--lake', lake, '--quiet']);
  }
  return lake;
}

/** In a child process: the pipeline, then scikit-learn on its matrix; prints one JSON line. */
async function child({ lake, threads, sklearn }) {
  const config = configSchema.parse({ lake: { path: lake }, ml: { threads } });
  const engine = await openEngine(config);
  const from = Date.parse(`${DATE}T00:00:00Z`);
  const started = performance.now();
  let corpus = null;
  const summary = await runSuspiciousConnects(engine, config.ml, {
    onCorpus: (c) => (corpus = c),
    type: 'flow',
    range: { from, to: from + 86_400_000 },
    label: DATE,
    onStage: (stage, seconds, detail) => console.error(`  ${stage.padEnd(7)} ${seconds.toFixed(2).padStart(7)} s${detail ? `  ${detail}` : ''}`),
  });
  const totalSeconds = (performance.now() - started) / 1000;
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  const out = { ...summary, totalSeconds, peakMiB };
  if (sklearn) {
    // The very matrix the run's fit used.
    out.tokens = totalCount(corpus);
    // Perplexity after 20 iterations depends on the seed by a few per cent: both fits, on several seeds.
    const settings = { nTopics: config.ml.topics, ...variationalPriors(config.ml), iterations: config.ml.iterations, maxDocUpdateIter: 100, meanChangeTol: 1e-3 };
    out.fits = [];
    for (const seed of SEEDS) {
      let ours = { seconds: summary.stages.lda, perplexity: summary.perplexity };
      if (seed !== config.ml.seed) {
        const begin = performance.now();
        const fit = await fitLda(corpus, { ...settings, seed, threads, freshStarts: config.ml.freshStarts });
        ours = { seconds: (performance.now() - begin) / 1000, perplexity: fit.perplexity };
      }
      console.error(`  seed ${seed}: ours ${ours.seconds.toFixed(1)} s, perplexity ${ours.perplexity.toFixed(2)}; scikit-learn, n_jobs=${threads} (load average ${loadavg()[0].toFixed(1)})`);
      const sk = runSklearn({ settings: { ...settings, seed, nJobs: threads }, train: corpus });
      out.sklearn = sk.sklearn;
      out.fits.push({ seed, ours, sklearn: { seconds: sk.fitSeconds, perplexity: sk.trainPerplexity } });
    }
  }
  await engine.close();
  console.log(JSON.stringify(out));
}

export function benchMlFlow(o = {}) {
  const threads = o.threads ?? availableParallelism();
  const lake = o.lake ?? input(o.workstations ?? 5500);
  const flows = lakeRows(lake, 'flow');
  const found = sklearnVersion();
  const sklearn = o.sklearn !== false && !('missing' in found);
  if ('missing' in found) console.error(`ml bench: scikit-learn skipped: ${found.missing} (pip install scikit-learn==1.9.1)`);
  console.error(`ml bench: ${fmt(flows)} flows, ${threads} threads`);
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', JSON.stringify({ lake, threads, sklearn })], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`ml bench child failed (${r.status ?? r.signal})`);
  const s = JSON.parse(r.stdout.trim().split('\n').at(-1));
  const stageCells = STAGES.map((k) => `${(s.stages[k] ?? 0).toFixed(1)} s`);
  const lines = [
    `A generated day (\`spothreat generate --workstations ${o.workstations ?? 5500} --scale 1 --seed 7\`): ${fmt(s.events)} flows → ${fmt(s.documents)} documents (IP addresses) × ${fmt(s.words)} words, ${fmt(s.nonZeros)} non-zero counts. K = 20, Spot's α = 1.02 and β = 1.001 (variational priors 0.02 and 0.001, see docs/ml.md), 20 iterations, ${threads} threads.`,
    '',
    `| ${STAGES.join(' | ')} | whole pipeline | peak memory | results (score ≤ 1e-6, at most 3,000) |`,
    `|${STAGES.map(() => '---:').join('|')}|---:|---:|---:|`,
    `| ${stageCells.join(' | ')} | **${s.totalSeconds.toFixed(1)} s** | ${fmt(Math.round(s.peakMiB))} MiB | ${fmt(s.suspicious)} |`,
  ];
  if (s.fits) {
    const mean = (f) => s.fits.reduce((a, x) => a + f(x), 0) / s.fits.length;
    const row = (name, x) => `| ${name} | ${x.ours.seconds.toFixed(1)} s | ${x.ours.perplexity.toFixed(2)} | ${x.sklearn.seconds.toFixed(1)} s | ${x.sklearn.perplexity.toFixed(2)} | **${(x.ours.seconds / x.sklearn.seconds).toFixed(2)}×** | ${(x.ours.perplexity / x.sklearn.perplexity).toFixed(3)} |`;
    const avg = { ours: { seconds: mean((x) => x.ours.seconds), perplexity: mean((x) => x.ours.perplexity) }, sklearn: { seconds: mean((x) => x.sklearn.seconds), perplexity: mean((x) => x.sklearn.perplexity) } };
    lines.push(
      '',
      `The LDA fit against scikit-learn ${s.sklearn} (\`LatentDirichletAllocation\`, batch, n_jobs=${threads}) on the same matrix, same priors, 20 iterations, max_doc_update_iter 100, mean_change_tol 1e-3; ours with \`ml.freshStarts\` 5 (docs/ml.md). Times include the final E-step and bound; perplexity is the training corpus's, as scikit-learn's \`bound_\`.`,
      '',
      '| seed | Spothreat fitLda | perplexity | scikit-learn | perplexity | time ratio | perplexity ratio |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...s.fits.map((x) => row(String(x.seed), x)),
      row('mean', avg),
    );
  }
  const body = lines.join('\n');
  console.log(body);
  updateSection('ml-flow', body);
}

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (arg('--child')) await child(JSON.parse(arg('--child')));
  else
    benchMlFlow({
      workstations: arg('--workstations') === undefined ? undefined : Number(arg('--workstations')),
      threads: arg('--threads') === undefined ? undefined : Number(arg('--threads')),
      lake: arg('--lake'),
      sklearn: !process.argv.includes('--no-sklearn'),
    });
}
