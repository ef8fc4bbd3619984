import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasTool, missingShared, sharedFile } from '../../test/helpers/shared-data.js';
import { tempDir } from '../../test/helpers/tmp.js';
import { Ingestor } from './run.js';
import { lakeQuery, nfdumpCount, testConfig } from './testing.js';
import type { Config } from '../config/index.js';

const NFCAPD = 'flows/nfcapd';
const LARGE = 'flows/nfcapd/chrispassas-nfdump/nfcapd-large-bz2';
const SAMPLE = 'flows/nfcapd/chrispassas-nfdump/nfcapd.sample';
const nfdump = hasTool('nfdump');

async function ingest(config: Config, paths: string[], force = false) {
  const ingestor = await Ingestor.open(config);
  try {
    return await ingestor.ingest({ type: 'flow', paths, force });
  } finally {
    await ingestor.close();
  }
}

const lakeFiles = (config: Config) =>
  readdirSync(join(config.lake.path, 'flow'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.parquet'))
    .map((e) => join(e.parentPath, e.name))
    .sort();

describe.skipIf(!nfdump || missingShared(NFCAPD))('Ingestor on real nfcapd files', () => {
  it('ingests a folder: row counts equal nfdump’s, a corrupt file fails with its reason, an empty one gives no rows', async () => {
    const dir = tempDir();
    const config = testConfig(dir, { 'ingest.chunkRows': 20_000 });
    const folder = sharedFile(NFCAPD)!;
    const summary = await ingest(config, [folder]);
    const byName = Object.fromEntries(summary.files.map((f) => [f.path.slice(folder.length + 1), [f.status, f.rows]]));
    expect(byName).toEqual({
      'chrispassas-nfdump/nfcapd-corrupt': ['failed', 0],
      'chrispassas-nfdump/nfcapd-empty': ['ingested', 0],
      'chrispassas-nfdump/nfcapd-large-bz2': ['ingested', 100000],
      'chrispassas-nfdump/nfcapd-small-lzo': ['ingested', 10],
      'chrispassas-nfdump/nfcapd.sample': ['ingested', 3018],
      'stratosphere-slips/test1-malicious.nfdump': ['ingested', 4593],
    });
    for (const f of summary.files) if (f.status === 'ingested') expect(f.rows, f.path).toBe(nfdumpCount(f.path));
    const corrupt = summary.files.find((f) => f.path.endsWith('nfcapd-corrupt'))!;
    expect(corrupt.message).toMatch(/^decoder-error: Corrupt data file\. Inconsistent block size/);
    expect(corrupt.quarantined).toBe(1);
    const [total] = await lakeQuery<{ n: number }>(config, (v) => `SELECT count(*) AS n FROM ${v}`);
    expect(total!.n).toBe(107621);
  });

  it('is idempotent: a second run changes nothing; --force replaces a file’s rows without duplicating them', async () => {
    const dir = tempDir();
    const config = testConfig(dir, { 'ingest.chunkRows': 30_000 });
    const large = sharedFile(LARGE)!;
    const sample = sharedFile(SAMPLE)!;
    expect((await ingest(config, [large, sample])).rows).toBe(103018);
    const files = lakeFiles(config);
    const counts = await lakeQuery(config, (v) => `SELECT y, m, d, h, count(*) AS n, sum(ibyt) AS b FROM ${v} GROUP BY ALL ORDER BY ALL`);

    const again = await ingest(config, [large, sample]);
    expect(again.files.map((f) => f.status)).toEqual(['unchanged', 'unchanged']);
    expect(again.rows).toBe(0);
    expect(lakeFiles(config)).toEqual(files);

    const forced = await ingest(config, [large], true);
    expect(forced.files.map((f) => [f.status, f.rows])).toEqual([['ingested', 100000]]);
    expect(await lakeQuery(config, (v) => `SELECT y, m, d, h, count(*) AS n, sum(ibyt) AS b FROM ${v} GROUP BY ALL ORDER BY ALL`)).toEqual(counts);

    // With smaller chunks the same source makes more files; the old ones must all go.
    const finer = { ...config, ingest: { ...config.ingest, chunkRows: 7_000 } };
    await ingest(finer, [large], true);
    expect(await lakeQuery(config, (v) => `SELECT y, m, d, h, count(*) AS n, sum(ibyt) AS b FROM ${v} GROUP BY ALL ORDER BY ALL`)).toEqual(counts);
    expect(lakeFiles(config).length).toBeGreaterThan(files.length);
  });

  it('recognises the same content under another name and ingests it once', async () => {
    const dir = tempDir();
    const config = testConfig(dir);
    mkdirSync(join(dir, 'in'));
    copyFileSync(sharedFile(SAMPLE)!, join(dir, 'in', 'nfcapd.202301251835'));
    copyFileSync(sharedFile(SAMPLE)!, join(dir, 'in', 'nfcapd.202301251835.copy'));
    const summary = await ingest(config, [join(dir, 'in')]);
    expect(summary.files.map((f) => [f.status, f.rows])).toEqual([
      ['ingested', 3018],
      ['duplicate', 0],
    ]);
    expect(summary.files[1]!.message).toBe(`same content as ${join(dir, 'in', 'nfcapd.202301251835')}, already ingested`);
  });

  it('keeps the good rows of a truncated file and quarantines the truncation', async () => {
    const dir = tempDir();
    const config = testConfig(dir);
    const truncated = join(dir, 'nfcapd.truncated');
    writeFileSync(truncated, readFileSync(sharedFile(LARGE)!).subarray(0, 1_500_000));
    const expected = nfdumpCount(truncated);
    expect(expected).toBeGreaterThan(10_000);
    const [outcome] = (await ingest(config, [truncated])).files;
    expect(outcome).toMatchObject({ status: 'partial', rows: expected, quarantined: 1 });
    expect(outcome!.message).toMatch(/^truncated: read\(\) error: Short read/);
    const engine = await (await import('../engine/index.js')).openEngine(config);
    const q = await engine.quarantineView('flow');
    expect(await engine.query(`SELECT source, decoder, reason FROM ${q}`)).toEqual([{ source: truncated, decoder: 'nfcapd', reason: 'truncated' }]);
    await engine.close();
  });

  it('tells an empty file and a file of another format apart from a failure', async () => {
    const dir = tempDir();
    const config = testConfig(dir);
    writeFileSync(join(dir, 'empty'), '');
    writeFileSync(join(dir, 'notes.txt'), 'meeting notes\n');
    const summary = await ingest(config, [join(dir, 'empty'), join(dir, 'notes.txt')]);
    expect(summary.files.map((f) => [f.status, f.message])).toEqual([
      ['unrecognised', 'empty file: nothing to ingest'],
      ['unrecognised', expect.stringMatching(/^not a flow format Spothreat reads \(nfcapd/)],
    ]);
  });
});

describe('Ingestor with row decoders (worker threads)', () => {
  it('keeps the good records of a Zeek log and quarantines the bad ones with line and reason', async () => {
    const dir = tempDir();
    const config = testConfig(dir);
    const header = [
      '#separator \\x09',
      '#set_separator\t,',
      '#empty_field\t(empty)',
      '#unset_field\t-',
      '#path\tconn',
      '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents',
      '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]',
    ];
    const rec = (ts: string, orig: string, port: string) => [ts, 'CAbc1', orig, port, '10.0.0.9', '443', 'tcp', 'ssl', '1.5', '100', '200', 'SF', 'T', 'T', '0', 'ShADadFf', '5', '360', '4', '420', '-'].join('\t');
    writeFileSync(
      join(dir, 'conn.log'),
      [...header, rec('1764201600.000001', '10.0.0.1', '50000'), rec('1764201601.5', '10.0.0.300', '50001'), rec('1764201602', '10.0.0.2', '70000'), rec('1764201603', '10.0.0.3', '50003'), '#close\t2025-11-27-00-00-10'].join('\n') + '\n',
    );
    const [outcome] = (await ingest(config, [join(dir, 'conn.log')])).files;
    expect(outcome).toMatchObject({ status: 'ingested', decoder: 'zeek-conn', rows: 2, quarantined: 2 });
    const engine = await (await import('../engine/index.js')).openEngine(config);
    const q = await engine.quarantineView('flow');
    expect(await engine.query(`SELECT line, reason, detail, decoder FROM ${q} ORDER BY line`)).toEqual([
      { line: 9, reason: 'bad-field', detail: 'id.orig_h "10.0.0.300" is not an IP address', decoder: 'zeek-conn' },
      { line: 10, reason: 'out-of-range', detail: 'id.orig_p "70000" is outside 0-65535', decoder: 'zeek-conn' },
    ]);
    const v = await engine.lakeView('flow');
    expect(await engine.query(`SELECT sip, sport, tstart, tend, tdur, treceived, flag, state, ibyt, obyt FROM ${v} ORDER BY sport`)).toEqual([
      { sip: '10.0.0.1', sport: 50000, tstart: new Date(Date.UTC(2025, 10, 27, 0, 0, 0)), tend: new Date(Date.UTC(2025, 10, 27, 0, 0, 1, 500)), tdur: 1.5, treceived: new Date(Date.UTC(2025, 10, 27, 0, 0, 1, 500)), flag: '...AP.SF', state: 'SF', ibyt: 360, obyt: 420 },
      { sip: '10.0.0.3', sport: 50003, tstart: new Date(Date.UTC(2025, 10, 27, 0, 0, 3)), tend: new Date(Date.UTC(2025, 10, 27, 0, 0, 4, 500)), tdur: 1.5, treceived: new Date(Date.UTC(2025, 10, 27, 0, 0, 4, 500)), flag: '...AP.SF', state: 'SF', ibyt: 360, obyt: 420 },
    ]);
    await engine.close();
  });
});
