// Flow ingest, nfcapd → lake, against nfdump decoding the same file to CSV.
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cli, fmt, lakeRows, measure, run, updateSection, work } from './lib.mjs';

function flowsIn(file) {
  return Number(/^Flows:\s*(\d+)/m.exec(run('nfdump', ['-I', '-r', file]).stdout)[1]);
}

/** An nfcapd file of at least `target` flows: generated NetFlow collected by nfcapd, merged by nfdump. */
function input(target) {
  const file = join(work, `flows-${target}.nfcapd`);
  if (existsSync(file)) return file;
  const gen = join(work, 'flow-generated');
  if (!existsSync(join(gen, 'nfcapd'))) {
    console.error(`generating a synthetic day into ${gen}`);
    run('node', [cli, 'generate', '--workstations', '400', '--scale', '2', '--seed', '7', '--out', gen], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, SPOTHREAT_GENERATE_DNS: 'false' } });
  }
  const day = readdirSync(join(gen, 'nfcapd')).filter((f) => f.startsWith('nfcapd.')).map((f) => join(gen, 'nfcapd', f));
  const perCopy = day.reduce((n, f) => n + flowsIn(f), 0);
  const parts = join(work, `parts-${target}`);
  rmSync(parts, { recursive: true, force: true });
  mkdirSync(parts, { recursive: true });
  let i = 0;
  for (let c = 0; c < Math.ceil(target / perCopy); c++) for (const f of day) copyFileSync(f, join(parts, `nfcapd.${String(i++).padStart(6, '0')}`));
  run('nfdump', ['-R', parts, '-w', file]);
  rmSync(parts, { recursive: true, force: true });
  return file;
}

export function benchFlowIngest(sizes) {
  const nfdump = run('nfdump', ['-V']).stdout.trim();
  const results = [];
  for (const size of sizes) {
    const file = input(size);
    const flows = flowsIn(file);
    const ref = measure('nfdump', ['-r', file, '-o', 'csv']);
    const lake = join(work, `flow-lake-${size}`);
    rmSync(lake, { recursive: true, force: true });
    const ours = measure('node', [cli, 'ingest', 'flow', file, '--lake', lake, '--quiet']);
    const stored = lakeRows(lake, 'flow');
    if (stored !== flows) throw new Error(`lake holds ${stored} rows for ${flows} flows`);
    rmSync(lake, { recursive: true, force: true });
    results.push({ flows, ref, ours });
    console.error(`${fmt(flows)} flows: nfdump -o csv ${ref.seconds}s, spothreat ingest ${ours.seconds}s`);
  }
  const table = [
    '| flows | `nfdump -r F -o csv > /dev/null` | `spothreat ingest flow F` (nfcapd → Parquet lake) | ratio (ours / nfdump) | ingest rate | peak memory, nfdump | peak memory, ingest |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${fmt(r.flows)} | ${r.ref.seconds.toFixed(2)} s | ${r.ours.seconds.toFixed(2)} s | **${(r.ours.seconds / r.ref.seconds).toFixed(2)}×** | ${fmt(Math.round(r.flows / r.ours.seconds))} flows/s | ${r.ref.peakMiB.toFixed(0)} MiB | ${r.ours.peakMiB.toFixed(0)} MiB |`,
    ),
  ].join('\n');
  console.log(table);
  updateSection('flow-ingest', `Reference: ${nfdump}.\n\n${table}`);
}
