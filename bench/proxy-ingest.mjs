// Proxy ingest: a generated Blue Coat ELFF log of at least 5 million lines into the lake, against
// DuckDB's own read_csv copying the same file to Parquet (the near-limit reference for reading the text).
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { cli, fmt, lakeRows, measure, root, run, updateSection, work } from './lib.mjs';

const TARGET = 5_000_000;
const GENERATE = { workstations: 1050, scale: 10, seed: 7, date: '2026-11-24' };

/** Only the proxy logs of a synthetic day (no NetFlow, no nfcapd), through the generator's own writer. */
function generateLogs(dir) {
  const script = `
    import { generateConfig, writeProxyLogs } from ${JSON.stringify(join(root, 'dist', 'generate', 'index.js'))};
    const s = writeProxyLogs(generateConfig.parse(${JSON.stringify(GENERATE)}), ${JSON.stringify(dir)});
    console.error(\`\${s.lines} lines in \${s.files.length} files\`);`;
  run('node', ['--input-type=module', '-e', script], { stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Concatenates the head office's hourly files (headers included, as a log shipper would) into one file of at least `target` lines. */
function input(target) {
  const file = join(work, `proxy-${target}.log`);
  if (existsSync(file)) return file;
  const gen = join(work, 'proxy-generated');
  if (!existsSync(gen)) {
    console.error(`generating a synthetic day of proxy logs into ${gen} (several minutes)`);
    run('mkdir', ['-p', gen]);
    generateLogs(gen);
  }
  const parts = readdirSync(gen).filter((f) => f.startsWith('bluecoat-hq-')).sort().map((f) => join(gen, f));
  const take = [];
  let lines = 0;
  while (lines < target) {
    for (const part of parts) {
      if (lines >= target) break;
      take.push(part);
      lines += countLines(part);
    }
  }
  run('sh', ['-c', 'cat "$@" > "$0"', file, ...take]);
  return file;
}

/** Log lines of a file, headers left out. */
function countLines(file) {
  return Number(run('sh', ['-c', 'grep -vc "^#" "$0"', file]).stdout);
}

/** DuckDB reading the file with read_csv: every field as text, copied to zstd Parquet. */
function referenceScript(file, parquet) {
  const script = join(work, 'proxy-read-csv.mjs');
  const columns = Object.fromEntries(Array.from({ length: 28 }, (_, i) => [`f${i}`, 'VARCHAR']));
  writeFileSync(
    script,
    `import { DuckDBInstance } from ${JSON.stringify(join(root, 'node_modules', '@duckdb', 'node-api', 'lib', 'index.js'))};
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
const csv = "read_csv('${file.replaceAll("'", "''")}', delim=' ', quote='\\"', escape='\\\\', header=false, comment='#', auto_detect=false, columns=${JSON.stringify(columns).replaceAll('"', "'")})";
await c.run(\`COPY (SELECT * FROM \${csv}) TO '${parquet}' (FORMAT parquet, COMPRESSION zstd)\`);
const r = await c.runAndReadAll(\`SELECT count(*) FROM read_parquet('${parquet}')\`);
console.error(\`read_csv: \${r.getRows()[0][0]} rows\`);
`,
  );
  return script;
}

function version() {
  return JSON.parse(run('node', ['-p', `JSON.stringify(require(${JSON.stringify(join(root, 'node_modules', '@duckdb', 'node-api', 'package.json'))}).version)`]).stdout);
}

export async function benchProxyIngest() {
  const rows = [];
  // The machine may be shared: the 1-minute load average before and after says how much.
  const load = [loadavg()[0]];
  for (const target of [TARGET / 2, TARGET, TARGET * 2]) {
    const file = input(target);
    const n = countLines(file);
    const parquet = join(work, 'proxy-read-csv.parquet');
    const ref = measure('node', [referenceScript(file, parquet)]);
    rmSync(parquet, { force: true });
    const lake = join(work, 'proxy-lake');
    rmSync(lake, { recursive: true, force: true });
    const ours = measure('node', [cli, 'ingest', 'proxy', file, '--lake', lake, '--quiet']);
    const stored = lakeRows(lake, 'proxy');
    rmSync(lake, { recursive: true, force: true });
    console.error(`${fmt(n)} lines: read_csv ${ref.seconds}s, spothreat ingest ${ours.seconds}s (${fmt(stored)} rows)`);
    if (stored !== n) throw new Error(`the lake holds ${stored} rows of ${n} lines`);
    rows.push(
      `| ${fmt(n)} | ${ref.seconds.toFixed(1)} s | ${ours.seconds.toFixed(1)} s | **${(ref.seconds / ours.seconds).toFixed(2)}×** | ${fmt(Math.round(n / ref.seconds))} lines/s | ${fmt(Math.round(n / ours.seconds))} lines/s | ${ref.peakMiB.toFixed(0)} MiB | ${ours.peakMiB.toFixed(0)} MiB |`,
    );
  }
  load.push(loadavg()[0]);
  const table = [
    "| lines | DuckDB `read_csv` → Parquet | `spothreat ingest proxy` (ELFF → Parquet lake) | ingest rate / reference rate | reference rate | ingest rate | peak memory, reference | peak memory, ingest |",
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
  console.log(table);
  updateSection(
    'proxy-ingest',
    `Reference: DuckDB ${version()} (@duckdb/node-api), \`read_csv(delim=' ', quote='"', comment='#')\` with the 28 fields as text, COPY to zstd Parquet. ` +
      `Input: the head office's Blue Coat logs of a generated day (\`writeProxyLogs\`, ${GENERATE.workstations} workstations, scale ${GENERATE.scale}, seed ${GENERATE.seed}), hourly files concatenated with their headers (the largest input: the day twice). 1-minute load average ${load.map((l) => l.toFixed(1)).join(' before, ')} after (2 cores; above 2, other processes shared them).\n\n${table}`,
  );
}
