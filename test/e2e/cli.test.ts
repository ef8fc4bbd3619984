import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliStart } from '../helpers/cli.js';
import { hasTool, missingShared, REPO_ROOT, sharedFile } from '../helpers/shared-data.js';
import { tempDir } from '../helpers/tmp.js';

const SAMPLE = 'flows/nfcapd/chrispassas-nfdump/nfcapd.sample';
const nfdump = hasTool('nfdump');

describe('spothreat CLI', () => {
  it('rejects a bad configuration with the key and exit code 2', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.yaml'), 'lake:\n  pth: x\n');
    const r = cli(['--config', join(dir, 'c.yaml'), 'config', 'check']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`spothreat: ${join(dir, 'c.yaml')}: lake.pth: unknown key`);
    expect(cli(['config', 'check']).code).toBe(0);
  });

  it('prints the effective configuration with environment overrides', () => {
    const r = cli(['config', 'dump'], { env: { SPOTHREAT_LAKE_PATH: '/data/lake' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('lake:\n  path: /data/lake\n');
  });

  it('refuses an unknown telemetry type with exit code 2', () => {
    const r = cli(['ingest', 'netflow', '/tmp']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown telemetry type "netflow"; choose one of: flow, dns, proxy');
    const decoder = cli(['ingest', 'dns', '/tmp', '--decoder', 'nfcapd', '--lake', join(tempDir(), 'lake')]);
    expect(decoder.code).toBe(2);
    expect(decoder.stderr).toContain('unknown dns decoder nfcapd; choose one of: pcap-dns, zeek-dns, tshark');
  });

  it.skipIf(!nfdump || missingShared(SAMPLE))('ingests, summarises per hour and exports a day as CSV', () => {
    const dir = tempDir();
    const lake = join(dir, 'lake');
    const r = cli(['ingest', 'flow', sharedFile(SAMPLE)!, '--lake', lake]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/flow: 1 files \(1 ingested\), 3,018 rows, 0 quarantined/);

    const summary = cli(['lake', 'summary', '--lake', lake, '--format', 'csv']);
    expect(summary.stdout).toBe('type,hour,rows,files\nflow,2023-01-25 18:00,3018,1\n');
    const table = cli(['lake', 'summary', '--lake', lake]);
    expect(table.stdout).toMatch(/flow\s+2023-01-25 18:00\s+3,018\s+1/);
    expect(table.stdout).toContain('(nothing quarantined)');

    const out = join(dir, 'out');
    const ex = cli(['lake', 'export', 'flow', '--date', '2023-01-25', '--lake', lake, '--out', out]);
    expect(ex.code, ex.stderr).toBe(0);
    const csv = readFileSync(join(out, 'flow-2023-01-25.csv'), 'utf8').trimEnd().split('\n');
    expect(csv[0]).toBe(
      'treceived,unix_tstamp,tryear,trmonth,trday,trhour,trminute,trsec,tdur,sip,dip,sport,dport,proto,flag,fwd,stos,ipkt,ibyt,opkt,obyt,input,output,sas,das,dtos,dir,rip,tstart,tend,sensor,state,uid,label',
    );
    expect(csv.length).toBe(3019);
    expect(csv[1]).toBe('2023-01-25 18:36:00.039,1674671760,2023,1,25,18,36,0,-10.63,52.5.7.161,170.80.156.33,443,57358,TCP,...AP...,0,0,9,930,0,0,9,10,0,0,0,0,170.80.156.33,2023-01-25 18:35:43.884,2023-01-25 18:35:33.254,RB-QG-MW-SOLUCOES,,,');
  });

  it.skipIf(!nfdump || missingShared(SAMPLE))('survives kill -9 in the middle of an ingest: the rerun has every row once and no partial file', async () => {
    const dir = tempDir();
    // ~360k flows: 120 copies of the sample merged by nfdump into one file.
    const copies = join(dir, 'copies');
    mkdirSync(copies);
    for (let i = 0; i < 120; i++) copyFileSync(sharedFile(SAMPLE)!, join(copies, `part.${String(i).padStart(3, '0')}`));
    const big = join(dir, 'in', 'nfcapd.202301251835');
    mkdirSync(join(dir, 'in'));
    const merge = (await import('node:child_process')).spawnSync('nfdump', ['-R', copies, '-w', big]);
    expect(merge.status).toBe(0);
    const small = join(dir, 'in', 'nfcapd.202301251840');
    copyFileSync(sharedFile(SAMPLE)!, small);
    const expected = 120 * 3018 + 3018;
    const args = (lake: string) => ['ingest', 'flow', join(dir, 'in'), '--lake', lake, '--quiet'];
    const env = { SPOTHREAT_INGEST_CHUNKROWS: '40000' };

    const started = Date.now();
    expect(cli(args(join(dir, 'reference')), { env }).code).toBe(0);
    const full = Date.now() - started;

    for (const fraction of [0.3, 0.6, 0.85]) {
      const lake = join(dir, `lake-${fraction}`);
      const child = cliStart(args(lake), { env: { ...process.env, ...env } });
      // Listen from the start: a run faster than the reference may end before the kill, and its exit would be missed.
      const exited = new Promise((r) => child.once('exit', r));
      await new Promise((r) => setTimeout(r, full * fraction));
      child.kill('SIGKILL');
      await exited;
      // Whatever is visible now must be whole Parquet files.
      for (const f of parquetFiles(join(lake, 'flow'))) {
        expect(readFileSync(f).subarray(-4).toString(), f).toBe('PAR1');
      }
      const rerun = cli(args(lake), { env });
      expect(rerun.code, rerun.stderr).toBe(0);
      const summary = cli(['lake', 'summary', '--lake', lake, '--format', 'json']);
      const rows = summary.stdout.trim().split('\n').map((l) => JSON.parse(l) as { rows: number }).reduce((n, r) => n + r.rows, 0);
      expect(rows, `killed at ${fraction} of ${full} ms`).toBe(expected);
      // A rerun with nothing left to do never recreates the staging folder the open cleared.
      const staging = join(lake, '_staging');
      expect(existsSync(staging) ? readdirSync(staging) : []).toEqual([]);
    }
  });

  it.skipIf(!nfdump || missingShared(SAMPLE))('watches a folder and ingests files as a collector rotates them in', async () => {
    const dir = tempDir();
    const lake = join(dir, 'lake');
    const watched = join(dir, 'collector');
    mkdirSync(watched);
    const child = cliStart(['ingest', 'flow', watched, '--watch', '--lake', lake], {
      env: { ...process.env, SPOTHREAT_INGEST_WATCH_INTERVALSECONDS: '0.2', SPOTHREAT_INGEST_WATCH_SETTLESECONDS: '0.1' },
    });
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    // nfcapd writes nfcapd.current.<pid> and renames it when it rotates.
    copyFileSync(sharedFile(SAMPLE)!, join(watched, 'nfcapd.current.4242'));
    await new Promise((r) => setTimeout(r, 600));
    expect(stderr).not.toContain('ingested');
    renameSync(join(watched, 'nfcapd.current.4242'), join(watched, 'nfcapd.202301251835'));
    const deadline = Date.now() + 20_000;
    while (!stderr.includes('3,018 rows') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    const code = await new Promise((r) => child.once('exit', r));
    expect(stderr).toContain(`ingested     ${join(watched, 'nfcapd.202301251835')} — 3,018 rows, 0 quarantined`);
    expect(code).toBe(0);
  });

  it.skipIf(!nfdump || missingShared(SAMPLE))('reports a folder it may not read, and ingests the rest', (ctx) => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    copyFileSync(sharedFile(SAMPLE)!, join(locked, 'nfcapd.202301251835'));
    const open = join(dir, 'open');
    mkdirSync(open);
    copyFileSync(sharedFile(SAMPLE)!, join(open, 'nfcapd.202301251840'));
    chmodSync(locked, 0o000);
    const lake = join(dir, 'lake');
    mkdirSync(lake, { mode: 0o777 });
    chmodSync(lake, 0o777);
    // root reads everything: run as nobody when we are root, if nobody can reach the build.
    const asNobody = process.getuid?.() === 0;
    if (asNobody && !readableByOthers(REPO_ROOT)) return ctx.skip('running as root and the checkout is not readable by nobody, who cannot bypass permissions');
    const r = cli(['ingest', 'flow', locked, open, '--lake', lake], asNobody ? { uid: 65534, gid: 65534, env: { HOME: dir } } : {});
    chmodSync(locked, 0o755);
    expect(r.stderr).toContain(`error        ${locked} — permission denied`);
    expect(r.stderr).toMatch(/flow: 1 files \(1 ingested\), 3,018 rows/);
    expect(r.code).toBe(3);
  });
});

function parquetFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.parquet'))
      .map((e) => join(e.parentPath, e.name));
  } catch {
    return [];
  }
}

/** Every folder from / to the checkout lets others in (nobody must reach dist/ and node_modules/). */
function readableByOthers(path: string): boolean {
  for (let p = path; ; p = join(p, '..')) {
    if ((statSync(p).mode & 0o005) !== 0o005) return false;
    if (p === '/') return true;
  }
}
