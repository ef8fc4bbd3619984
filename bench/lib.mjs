// Shared helpers of the benchmark scripts: run commands, measure them, describe the machine,
// rewrite a results section of docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import { cpus, release, totalmem } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const root = resolve(new URL('..', import.meta.url).pathname);
export const cli = join(root, 'dist', 'cli', 'main.js');
export const work = resolve(process.env.SPOTHREAT_BENCH_DIR ?? '/tmp/spothreat-bench');

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r;
}

/** Wall seconds and peak RSS (MiB, the largest process of the command's tree) with GNU time; stdout discarded. */
export function measure(cmd, args, env = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', 'sh', '-c', 'exec "$0" "$@" > /dev/null', cmd, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr.slice(-2000)}`);
  const [secs, kb] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { seconds: secs, peakMiB: kb / 1024 };
}

export function machine() {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const os = existsSync('/etc/debian_version') ? `Debian ${readFileSync('/etc/debian_version', 'utf8').trim()}` : 'Linux';
  return `${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os} (kernel ${release()}), Node ${process.version}`;
}

/** Total rows of a type in a lake, from `spothreat lake summary`. */
export function lakeRows(lake, type) {
  return run('node', [cli, 'lake', 'summary', '--lake', lake, '--type', type, '--format', 'csv'])
    .stdout.trim()
    .split('\n')
    .slice(1)
    .reduce((n, l) => n + Number(l.split(',')[2]), 0);
}

export const fmt = (n) => n.toLocaleString('en-US');

/** Replace the text between <!-- bench:NAME:start --> and <!-- bench:NAME:end --> in docs/benchmarks.md. */
export function updateSection(name, body) {
  const doc = join(root, 'docs', 'benchmarks.md');
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const text = readFileSync(doc, 'utf8');
  if (!text.includes(start)) throw new Error(`${doc} has no ${start} section`);
  writeFileSync(doc, text.replace(new RegExp(`${start}[\\s\\S]*${end}`), `${start}\nMeasured ${new Date().toISOString().slice(0, 10)} on ${machine()}.\n\n${body}\n${end}`));
  console.error(`updated ${doc} (${name})`);
}
