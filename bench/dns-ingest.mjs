// DNS ingest: a generated capture of at least 5 million packets into the lake with the native
// decoder, against tshark printing Spot's fields of the same capture.
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { cli, fmt, lakeRows, measure, root, run, updateSection, work } from './lib.mjs';

/** Spot's tshark command (spot-ingest's dns process_opt), with the filter as a display filter. */
const SPOT_FIELDS = ['frame.time', 'frame.time_epoch', 'frame.len', 'ip.src', 'ip.dst', 'dns.resp.name', 'dns.resp.type', 'dns.resp.class', 'dns.flags.rcode', 'dns.a'];

function capture() {
  const file = join(work, 'dns-5m.pcap');
  if (existsSync(file)) return file;
  const gen = join(work, 'dns-generated');
  if (!existsSync(join(gen, 'dns'))) {
    console.error(`generating a synthetic day with ≥ 5 million DNS packets into ${gen} (several minutes)`);
    run('node', [cli, 'generate', '--workstations', '1050', '--scale', '10', '--seed', '7', '--date', '2026-11-24', '--out', gen], { stdio: ['ignore', 'inherit', 'inherit'] });
  }
  const parts = readdirSync(join(gen, 'dns')).filter((f) => f.endsWith('.pcap')).sort().map((f) => join(gen, 'dns', f));
  run('mergecap', ['-F', 'pcap', '-w', file, ...parts]);
  return file;
}

function packetsIn(file) {
  return Number(/Number of packets:\s*([\d.]+\s*[kM]?)/.exec(run('capinfos', ['-c', '-M', file]).stdout)[1].trim());
}

export function benchDnsIngest() {
  const file = capture();
  const packets = packetsIn(file);
  const tshark = run('tshark', ['-v']).stdout.split('\n')[0];
  // The machine may be shared: the 1-minute load average before and after says how much.
  const load = [loadavg()[0]];
  const ref = measure('tshark', ['-r', file, '-T', 'fields', ...SPOT_FIELDS.flatMap((f) => ['-e', f]), '-E', 'separator=,', '-E', 'header=y', '-E', 'occurrence=f', '-Y', 'dns.flags.response == 1']);
  const lake = join(work, 'dns-lake');
  rmSync(lake, { recursive: true, force: true });
  const ours = measure('node', [cli, 'ingest', 'dns', file, '--lake', lake, '--quiet']);
  load.push(loadavg()[0]);
  const rows = lakeRows(lake, 'dns');
  const floor = parquetFloor(lake);
  rmSync(lake, { recursive: true, force: true });
  console.error(`${fmt(packets)} packets: tshark ${ref.seconds}s, spothreat ingest ${ours.seconds}s (${fmt(rows)} messages)`);
  const table = [
    '| packets | DNS messages | `tshark -T fields` (Spot\'s fields, responses) | `spothreat ingest dns` (pcap → Parquet lake) | speed-up (tshark / ours) | tshark rate | ingest rate | peak memory, tshark | peak memory, ingest |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${fmt(packets)} | ${fmt(rows)} | ${ref.seconds.toFixed(1)} s | ${ours.seconds.toFixed(1)} s | **${(ref.seconds / ours.seconds).toFixed(1)}×** | ${fmt(Math.round(packets / ref.seconds))} packets/s | ${fmt(Math.round(packets / ours.seconds))} packets/s | ${ref.peakMiB.toFixed(0)} MiB | ${ours.peakMiB.toFixed(0)} MiB |`,
  ].join('\n');
  // 30× tshark leaves the ingest 2 × tshark / 30 core-seconds; writing Parquet alone takes floor.coreSeconds of them.
  const budget = (2 * ref.seconds) / 30;
  const left = budget - floor.coreSeconds;
  const floorNote =
    `Floor: DuckDB alone writing the same ${fmt(rows)} rows, already in memory, as zstd Parquet partitioned by hour ` +
    `(as the ingest does): ${floor.wallSeconds.toFixed(1)} s on both cores, ${floor.coreSeconds.toFixed(1)} s on one. ` +
    `30× tshark means ${(ref.seconds / 30).toFixed(1)} s, ${budget.toFixed(1)} core-seconds on this machine's 2 cores; writing the ` +
    `Parquet takes ${floor.coreSeconds.toFixed(1)} of them, which leaves ` +
    (left > 0 ? `${left.toFixed(1)} core-seconds (${Math.round((left * 1e9) / packets)} ns per packet)` : 'nothing') +
    ` for reading the capture, decoding every packet and handing each message to DuckDB.`;
  console.log(table);
  console.log(floorNote);
  updateSection('dns-ingest', `Reference: ${tshark}. Capture: ${fmt(packets)} packets, generated (\`spothreat generate --workstations 1050 --scale 10\`), merged with mergecap. 1-minute load average ${load.map((l) => l.toFixed(1)).join(' before, ')} after (2 cores; above 2, other processes shared them).\n\n${table}\n\n${floorNote}`);
}

/**
 * What DuckDB takes to write a lake's dns rows, loaded into memory first, as zstd Parquet
 * partitioned by hour: on every core (wall seconds) and on one (its CPU cost): writing the lake
 * with decoding left out.
 */
export function parquetFloor(lake) {
  const seconds = (threads) => {
    const script = join(work, 'dns-parquet-floor.mjs');
    const out = join(work, 'dns-parquet-floor');
    writeFileSync(
      script,
      `import { DuckDBInstance } from ${JSON.stringify(join(root, 'node_modules', '@duckdb', 'node-api', 'lib', 'index.js'))};
const c = await (await DuckDBInstance.create(':memory:', { threads: '${threads}' })).connect();
await c.run(\`CREATE TABLE t AS SELECT * EXCLUDE (y, m, d, h) FROM read_parquet('${join(lake, 'dns', '**', '*.parquet')}', hive_partitioning = true)\`);
const started = performance.now();
await c.run(\`COPY (SELECT *, year(frame_time) AS y, month(frame_time) AS m, day(frame_time) AS d, hour(frame_time) AS h FROM t) TO '${out}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (y, m, d, h), OVERWRITE_OR_IGNORE)\`);
console.log((performance.now() - started) / 1000);
`,
    );
    const s = Number(run('node', [script]).stdout.trim());
    rmSync(out, { recursive: true, force: true });
    return s;
  };
  return { wallSeconds: seconds(cpus().length), coreSeconds: seconds(1) };
}
