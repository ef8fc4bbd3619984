#!/usr/bin/env node
// Operational analytics on one generated day: ~10 million flows (the day of bench/ml-flow.mjs: 5,500 workstations,
// seed 7) and the DNS capture and proxy logs of the same hosts at twice the background, for 5 million or more of each
// (at one scale the generator gives ~0.26 DNS messages and ~0.4 proxy requests per flow). Ingests what is missing,
// scores the three types with ML (timed apart), then times `spothreat oa all`, each stage and each detector.
// Usage: node bench/oa.mjs [--reuse-ml]   (or npm run bench -- --only oa --reuse-ml)
//   --reuse-ml  keep the ML results already in the lake for the day (all three types), timing only OA.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { cli, fmt, lakeRows, root, run, updateSection, work } from './lib.mjs';

const DATE = '2026-11-27';
const GENERATE = { date: DATE, workstations: 5500, scale: 1, seed: 7 };
/** DNS and proxy of the same hosts at twice the background, for at least 5 million of each. */
const WEB = { ...GENERATE, scale: 2 };

/** The lake: the flows of bench/ml-flow.mjs's day, and the proxy logs and DNS capture of the same hosts at scale 2. */
function input() {
  const gen = join(work, `ml-generated-${GENERATE.workstations}`);
  if (!existsSync(join(gen, 'labels.csv'))) {
    run('node', [cli, 'generate', '--date', DATE, '--workstations', String(GENERATE.workstations), '--scale', '1', '--seed', String(GENERATE.seed), '--no-dns', '--out', gen], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  }
  const dns = join(work, `oa-dns-${WEB.workstations}x${WEB.scale}`);
  const proxy = join(work, `oa-proxy-${WEB.workstations}x${WEB.scale}`);
  if (!existsSync(join(proxy, 'done'))) {
    console.error(`writing the proxy logs of the same hosts into ${proxy}`);
    mkdirSync(proxy, { recursive: true });
    const script = `
      import { generateConfig, writeProxyLogs } from ${JSON.stringify(join(root, 'dist', 'generate', 'index.js'))};
      console.log(JSON.stringify(writeProxyLogs(generateConfig.parse(${JSON.stringify(WEB)}), ${JSON.stringify(proxy)})));`;
    run('node', ['--input-type=module', '-e', script], { stdio: ['ignore', 'inherit', 'inherit'] });
    writeFileSync(join(proxy, 'done'), '');
  }
  if (!existsSync(join(dns, 'done'))) {
    console.error(`writing the DNS capture of the same day into ${dns}`);
    mkdirSync(dns, { recursive: true });
    const script = `
      import { generateConfig, DnsCaptureWriter } from ${JSON.stringify(join(root, 'dist', 'generate', 'index.js'))};
      import { buildScenario } from ${JSON.stringify(join(root, 'dist', 'generate', 'scenario.js'))};
      import { streamSessions } from ${JSON.stringify(join(root, 'dist', 'generate', 'timeline.js'))};
      const config = generateConfig.parse(${JSON.stringify(WEB)});
      const scenario = buildScenario(config.seed, config.workstations);
      const writer = new DnsCaptureWriter(scenario.network, { dir: ${JSON.stringify(dns)}, gzip: false });
      for (const batch of streamSessions(scenario, [config.date], config.scale)) writer.add(batch);
      console.log(JSON.stringify(writer.close()));`;
    run('node', ['--input-type=module', '-e', script], { stdio: ['ignore', 'inherit', 'inherit'] });
    writeFileSync(join(dns, 'done'), '');
  }
  const lake = join(work, `oa-lake-${GENERATE.workstations}-web${WEB.scale}`);
  if (!existsSync(join(lake, 'done'))) {
    const flows = join(work, `ml-lake-${GENERATE.workstations}`);
    if (existsSync(join(flows, 'flow'))) cpSync(flows, lake, { recursive: true });
    else run('node', [cli, 'ingest', 'flow', join(gen, 'nfcapd'), '--lake', lake, '--quiet']);
    console.error('ingesting the DNS capture and the proxy logs');
    run('node', [cli, 'ingest', 'dns', dns, '--lake', lake, '--quiet']);
    // One decoding worker: with two, this ingest crashes in native code (a known bug, see docs/benchmarks.md).
    run('node', [cli, 'ingest', 'proxy', proxy, '--lake', lake, '--quiet'], { env: { ...process.env, SPOTHREAT_INGEST_WORKERS: '1' } });
    writeFileSync(join(lake, 'done'), '');
  }
  return lake;
}

/** Runs a CLI command under /usr/bin/time: wall seconds, peak MiB and its stderr (the stage lines). */
function timed(args) {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M', 'node', cli, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`spothreat ${args.join(' ')} failed: ${r.stderr.slice(-2000)}`);
  const [secs, kb] = r.stderr.trim().split('\n').at(-1).replace('TIME ', '').split(' ').map(Number);
  return { seconds: secs, peakMiB: kb / 1024, log: r.stderr };
}

export function benchOa() {
  const lake = input();
  const rows = Object.fromEntries(['flow', 'dns', 'proxy'].map((t) => [t, lakeRows(lake, t)]));
  const out = join(work, 'oa-out');
  const [y, m, d] = DATE.split('-').map(Number);
  const scored = ['flow', 'dns', 'proxy'].every((t) => existsSync(join(lake, 'scores', t, `y=${y}`, `m=${m}`, `d=${d}`, `${t}_results.parquet`)));
  const reuse = process.argv.includes('--reuse-ml') && scored;
  const ml = reuse ? null : Object.fromEntries(['flow', 'dns', 'proxy'].map((t) => [t, timed(['ml', t, '--date', DATE, '--lake', lake, '--out', out]).seconds]));
  const load = loadavg()[0].toFixed(1);
  const oa = timed(['oa', 'all', '--date', DATE, '--lake', lake, '--out', out]);
  writeFileSync(join(work, 'oa.log'), oa.log);
  const stages = [...oa.log.matchAll(/^ {2}oa (\s*\S.*?)\s+([\d.]+) s(?: {2}(.*))?$/gm)].map((m) => ({ stage: m[1].startsWith(' ') ? `— ${m[1].trim()}` : m[1], seconds: Number(m[2]), detail: m[3] ?? '' }));
  const table = [
    '| stage | seconds | detail |',
    '|---|---:|---|',
    ...stages.map((s) => `| ${s.stage} | ${s.seconds.toFixed(2)} | ${s.detail} |`),
  ].join('\n');
  const body =
    `Load average ${load} at the start: the ${availableParallelism()} cores are shared with other work.\n\n` +
    `Input: one generated day (\`spothreat generate --workstations ${GENERATE.workstations} --seed ${GENERATE.seed}\`, ${DATE}; DNS and proxy of the same hosts at scale ${WEB.scale}): ` +
    `${fmt(rows.flow)} flows, ${fmt(rows.dns)} DNS messages (queries and responses) and ${fmt(rows.proxy)} proxy requests in the lake. ` +
    (ml
      ? `ML before it (not part of the target): flow ${ml.flow.toFixed(1)} s, dns ${ml.dns.toFixed(1)} s, proxy ${ml.proxy.toFixed(1)} s.\n\n`
      : `ML: the results of an earlier run in the lake were reused (\`--reuse-ml\`; not part of the target).\n\n`) +
    `**\`spothreat oa all\`: ${oa.seconds.toFixed(1)} s wall, peak ${fmt(Math.round(oa.peakMiB))} MiB** (target: at most 120 s on 2 cores).\n\n${table}`;
  console.log(body);
  updateSection('oa', body);
}

if (import.meta.url === `file://${process.argv[1]}`) benchOa();
