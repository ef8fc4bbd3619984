import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Corpus } from './corpus.js';
import type { LdaSettings } from './session.js';

/*
 * scikit-learn's LatentDirichletAllocation as the reference our LDA is checked and benchmarked
 * against: the corpus goes to files, testdata/sklearn-lda.py fits or infers, JSON comes back.
 * For the tests and bench/lda.mjs only. It runs $SPOTHREAT_PYTHON, else the project's .venv (where
 * scripts/run.sh test installs scikit-learn), else the `python3` on the PATH.
 */

export interface SklearnSettings extends LdaSettings {
  readonly iterations: number;
  readonly seed: number;
  readonly learningMethod?: 'batch' | 'online';
  readonly batchSize?: number;
  readonly learningDecay?: number;
  readonly learningOffset?: number;
  /** joblib processes of scikit-learn's E-step. */
  readonly nJobs?: number;
}

export interface SklearnJob {
  readonly settings: SklearnSettings;
  /** Fit on this corpus, unless `lambda` is given. */
  readonly train?: Corpus;
  /** Topics to infer with (K × nWords, topic-major) instead of fitting. */
  readonly lambda?: Float64Array;
  /** Held-out corpus: its perplexity, and θ when `theta` is set. */
  readonly test?: Corpus;
  readonly theta?: boolean;
}

export interface SklearnResult {
  readonly fitSeconds?: number;
  readonly trainPerplexity?: number;
  readonly testPerplexity?: number;
  readonly theta?: Float64Array;
  /** Peak resident memory of the Python process (joblib's workers not counted). */
  readonly peakMiB: number;
  readonly sklearn: string;
}

const SCRIPT = import.meta.url.endsWith('.ts')
  ? fileURLToPath(new URL('./testdata/sklearn-lda.py', import.meta.url))
  : fileURLToPath(new URL('../../../src/ml/lda/testdata/sklearn-lda.py', import.meta.url));

const VENV_PYTHON = fileURLToPath(new URL('../../../.venv/bin/python3', import.meta.url));
const PYTHON = process.env.SPOTHREAT_PYTHON || (existsSync(VENV_PYTHON) ? VENV_PYTHON : 'python3');

/** The scikit-learn version python3 imports, or why it cannot. */
export function sklearnVersion(): { version: string } | { missing: string } {
  const r = spawnSync(PYTHON, ['-c', 'import sklearn, scipy; print(sklearn.__version__)'], { encoding: 'utf8' });
  if (r.error) return { missing: `${PYTHON} cannot be run (${r.error.message})` };
  if (r.status !== 0) return { missing: `${PYTHON} cannot import scikit-learn: ${r.stderr.trim().split('\n').at(-1)}` };
  return { version: r.stdout.trim() };
}

export function runSklearn(job: SklearnJob): SklearnResult {
  const dir = mkdtempSync(join(tmpdir(), 'spothreat-sklearn-lda-'));
  try {
    const spec = {
      settings: job.settings,
      train: job.train ? writeCorpus(dir, 'train', job.train) : null,
      test: job.test ? writeCorpus(dir, 'test', job.test) : null,
      lambda: job.lambda ? writeArray(join(dir, 'lambda.f64'), job.lambda) : null,
      thetaOut: job.theta ? join(dir, 'theta.f64') : null,
    };
    writeFileSync(join(dir, 'job.json'), JSON.stringify(spec));
    const r = spawnSync(PYTHON, [SCRIPT, join(dir, 'job.json')], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`scikit-learn reference failed (${r.status ?? r.signal}): ${r.error?.message ?? r.stderr.slice(-2000)}`);
    const out = JSON.parse(r.stdout) as Omit<SklearnResult, 'theta'>;
    if (!spec.thetaOut) return out;
    const bytes = readFileSync(spec.thetaOut);
    return { ...out, theta: new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function writeCorpus(dir: string, name: string, c: Corpus) {
  return {
    nDocs: c.nDocs,
    nWords: c.nWords,
    docStart: writeArray(join(dir, `${name}.doc-start.f64`), Float64Array.from(c.docStart)),
    wordIds: writeArray(join(dir, `${name}.word-ids.u32`), c.wordIds),
    counts: writeArray(join(dir, `${name}.counts.f64`), Float64Array.from(c.counts)),
  };
}

/** Typed arrays in the machine's byte order: little-endian on every platform Node runs on here. */
function writeArray(path: string, a: Float64Array | Uint32Array): string {
  writeFileSync(path, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return path;
}
