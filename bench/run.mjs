#!/usr/bin/env node
// Benchmarks against the reference tools, run on the same input in the same run.
// Usage: npm run bench [-- --sizes 1000000,10000000]
// Prints a table and rewrites the results section of docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import { cpus, totalmem, release } from 'node:os';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const cli = join(root, 'dist', 'cli', 'main.js');
const work = resolve(process.env.SPOTHREAT_BENCH_DIR ?? '/tmp/spothreat-bench');
const sizesArg = process.argv.indexOf('--sizes');
const sizes = (sizesArg > 0 ? process.argv[sizesArg + 1] : '1000000,10000000').split(',').map(Number);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r;
}

/** Wall seconds and peak RSS (MiB) of a command, with GNU time; stdout discarded. */
function measure(cmd, args, env = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', 'sh', '-c', `exec "$0" "$@" > /dev/null`, cmd, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr.slice(-2000)}`);
  const [secs, kb] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { seconds: secs, peakMiB: kb / 1024 };
}

function flowsIn(file) {
  const out = run('nfdump', ['-I', '-r', file]).stdout;
  return Number(/^Flows:\s*(\d+)/m.exec(out)[1]);
}

/** An nfcapd file of at least `target` flows: generated NetFlow collected by nfcapd, merged by nfdump. */
function input(target) {
  const file = join(work, `flows-${target}.nfcapd`);
  if (existsSync(file)) return file;
  const gen = join(work, 'generated');
  if (!existsSync(join(gen, 'nfcapd'))) {
    console.error(`generating a synthetic day into ${gen}`);
    run('node', [cli, 'generate', '--workstations', '400', '--scale', '2', '--seed', '7', '--out', gen], { stdio: ['ignore', 'inherit', 'inherit'] });
  }
  const day = readdirSync(join(gen, 'nfcapd')).filter((f) => f.startsWith('nfcapd.')).map((f) => join(gen, 'nfcapd', f));
  const perCopy = day.reduce((n, f) => n + flowsIn(f), 0);
  const copies = Math.ceil(target / perCopy);
  const parts = join(work, `parts-${target}`);
  rmSync(parts, { recursive: true, force: true });
  mkdirSync(parts, { recursive: true });
  let i = 0;
  for (let c = 0; c < copies; c++) for (const f of day) copyFileSync(f, join(parts, `nfcapd.${String(i++).padStart(6, '0')}`));
  run('nfdump', ['-R', parts, '-w', file]);
  rmSync(parts, { recursive: true, force: true });
  return file;
}

function machine() {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const os = existsSync('/etc/debian_version') ? `Debian ${readFileSync('/etc/debian_version', 'utf8').trim()}` : 'Linux';
  const nfdump = run('nfdump', ['-V']).stdout.trim();
  return `${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os} (kernel ${release()}), Node ${process.version}, ${nfdump}`;
}

mkdirSync(work, { recursive: true });
const results = [];
for (const size of sizes) {
  const file = input(size);
  const flows = flowsIn(file);
  const ref = measure('nfdump', ['-r', file, '-o', 'csv']);
  const lake = join(work, `lake-${size}`);
  rmSync(lake, { recursive: true, force: true });
  const ours = measure('node', [cli, 'ingest', 'flow', file, '--lake', lake, '--quiet']);
  const stored = run('node', [cli, 'lake', 'summary', '--lake', lake, '--format', 'csv']).stdout.trim().split('\n').slice(1).reduce((n, l) => n + Number(l.split(',')[2]), 0);
  if (stored !== flows) throw new Error(`lake holds ${stored} rows for ${flows} flows`);
  results.push({ flows, ref, ours });
  console.error(`${flows} flows: nfdump -o csv ${ref.seconds}s, spothreat ingest ${ours.seconds}s`);
}

const fmt = (n) => n.toLocaleString('en-US');
const table = [
  '| flows | `nfdump -r F -o csv > /dev/null` | `spothreat ingest flow F` (nfcapd → Parquet lake) | ratio (ours / nfdump) | ingest rate | peak memory, nfdump | peak memory, ingest |',
  '|---:|---:|---:|---:|---:|---:|---:|',
  ...results.map(
    (r) =>
      `| ${fmt(r.flows)} | ${r.ref.seconds.toFixed(2)} s | ${r.ours.seconds.toFixed(2)} s | **${(r.ours.seconds / r.ref.seconds).toFixed(2)}×** | ${fmt(Math.round(r.flows / r.ours.seconds))} flows/s | ${r.ref.peakMiB.toFixed(0)} MiB | ${r.ours.peakMiB.toFixed(0)} MiB |`,
  ),
].join('\n');
console.log(table);

const doc = join(root, 'docs', 'benchmarks.md');
const section = `<!-- bench:flow-ingest:start -->\nMeasured ${new Date().toISOString().slice(0, 10)} on ${machine()}.\n\n${table}\n<!-- bench:flow-ingest:end -->`;
const text = readFileSync(doc, 'utf8');
writeFileSync(doc, text.replace(/<!-- bench:flow-ingest:start -->[\s\S]*<!-- bench:flow-ingest:end -->/, section));
console.error(`updated ${doc}`);
