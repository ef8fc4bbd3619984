import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { openEngine } from '../../src/engine/index.js';
import { resultsPath } from '../../src/ml/index.js';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** A day's flow results: a backup job (10.0.0.5 → 10.0.9.9:22) three times, a scanner, and two others. */
async function writeResults(lake: string): Promise<void> {
  const engine = await openEngine(loadConfig({ env: {}, overrides: { 'lake.path': lake } }));
  try {
    const path = resultsPath(lake, 'flow', '2026-03-02');
    mkdirSync(dirname(path), { recursive: true });
    await engine.export(
      `SELECT CAST(t AS TIMESTAMP) AS tstart, sip, dip, sport, dport, 'TCP' AS proto, CAST(10 AS BIGINT) AS ipkt, CAST(1000 AS BIGINT) AS ibyt, score, rank FROM (VALUES
        ('2026-03-02 01:00:00', '10.0.0.5', '10.0.9.9', 40001, 22, 1e-9, 1),
        ('2026-03-02 01:00:05', '192.0.2.66', '10.0.0.7', 55000, 445, 2e-9, 2),
        ('2026-03-02 02:00:00', '10.0.0.5', '10.0.9.9', 40002, 22, 3e-9, 3),
        ('2026-03-02 03:00:00', '10.0.0.5', '10.0.9.8', 40003, 22, 4e-9, 4),
        ('2026-03-02 03:30:00', '10.0.0.5', '10.0.9.9', 40004, 22, 5e-9, 5),
        ('2026-03-02 04:00:00', '10.0.0.8', '203.0.113.5', 50000, 443, 6e-9, 6)) AS v(t, sip, dip, sport, dport, score, rank)`,
      { format: 'parquet', path },
    );
  } finally {
    await engine.close();
  }
}

describe('spothreat feedback and eval', () => {
  it('rate, show, rule from a rating, training rows, eval, export, a rejected import and undo', async () => {
    const dir = tempDir();
    const lake = join(dir, 'lake');
    await writeResults(lake);
    const run = (...args: string[]) => cli(['--lake', lake, ...args], { env: { SPOTHREAT_ANALYST: 'ann' } });

    expect(run('feedback', 'rate', 'flow', '--date', '2026-03-02', '--rating', '3', '--sip', '10.0.0.5', '--dip', '10.0.9.9', '--dport', '22').stderr).toBe('rating 1 saved (change 1)\n');
    expect(run('feedback', 'rate', 'flow', '--date', '2026-03-02', '--rating', '1', '--sip', '192.0.2.66').code).toBe(0);
    expect(run('feedback', 'rate', 'flow', '--date', '2026-03-02', '--rating', '2', '--client', '10.0.0.8').stderr).toBe(
      'spothreat: a flow rating matches on sip, dip, sport, dport, proto; not on client\n',
    );

    // The backup rows the rating's whole spec matches are hidden; 10.0.0.5 → 10.0.9.8 stays (Spot hid it too).
    const hidden = run('feedback', 'show', 'flow', '--date', '2026-03-02', '--rows', 'all', '--format', 'csv');
    expect(hidden.code).toBe(0);
    const rows = hidden.stdout.trim().split('\n').map((l) => l.split(','));
    const col = (name: string) => rows[0]!.indexOf(name);
    expect(rows.slice(1).map((r) => [r[col('rank')], r[col('suppressed_by')], r[col('analyst_rating')]])).toEqual([
      ['1', 'rating 1', '3'],
      ['2', '', '1'],
      ['3', 'rating 1', '3'],
      ['4', '', ''],
      ['5', 'rating 1', '3'],
      ['6', '', ''],
    ]);

    const training = join(dir, 'training.csv');
    expect(run('feedback', 'training', 'flow', '--date', '2026-03-03', '--file', training, '--source', 'results').stderr).toBe(
      `3 events of 1 of 1 low-risk ratings → ${training} (each counts ml.dupfactor times)\n`,
    );
    expect(readFileSync(training, 'utf8')).toBe(
      'tstart,sip,dip,sport,dport,proto,ipkt,ibyt,rating\n' +
        '2026-03-02 01:00:00,10.0.0.5,10.0.9.9,40001,22,TCP,10,1000,3\n' +
        '2026-03-02 02:00:00,10.0.0.5,10.0.9.9,40002,22,TCP,10,1000,3\n' +
        '2026-03-02 03:30:00,10.0.0.5,10.0.9.9,40004,22,TCP,10,1000,3\n',
    );

    const evalRaw = run('eval', 'flow', '--date', '2026-03-02', '--k', '2,6', '--format', 'csv');
    expect(evalRaw.stdout).toBe('day,type,k,results,threats,benign,precision,judgedPrecision\n2026-03-02,flow,2,6,1,1,0.5,0.5\n2026-03-02,flow,6,6,1,3,0.16666666666666666,0.25\n');
    const evalSeen = run('eval', 'flow', '--date', '2026-03-02', '--k', '2', '--suppress', '--format', 'csv');
    expect(evalSeen.stdout).toBe('day,type,k,results,threats,benign,precision,judgedPrecision\n2026-03-02,flow,2,3,1,0,0.5,1\n');

    expect(run('feedback', 'rule', 'from-rating', '1', '--name', 'backup', '--expires-at', '2099-01-01').stderr).toBe('rule 1 "backup" added from rating 1 (change 3)\n');
    expect(run('feedback', 'reset', 'flow', '--date', '2026-03-02').stderr).toBe('2 ratings of flow 2026-03-02 removed (change 4)\n');
    // The rule now hides the backup rows on every day, named.
    const byRule = run('feedback', 'show', 'flow', '--date', '2026-03-02', '--rows', 'hidden', '--format', 'json');
    expect(byRule.stdout.trim().split('\n').map((l) => JSON.parse(l) as { rank: number; suppressed_by: string }).map((r) => [r.rank, r.suppressed_by])).toEqual([
      [1, 'rule 1: backup'],
      [3, 'rule 1: backup'],
      [5, 'rule 1: backup'],
    ]);

    const exported = run('feedback', 'export', 'rules', '--as', 'csv');
    expect(exported.stdout).toBe(
      'id,name,type,cidr,src_cidr,dst_cidr,domain,ports,src_ports,proto,uri_prefix,useragent,detector,owner,comment,expires_at\n' +
        '1,backup,flow,,10.0.0.5/32,10.0.9.9/32,,22,,,,,,ann,made from low-risk rating 1 of 2026-03-02,2099-01-01T00:00:00.000Z\n',
    );
    expect(run('feedback', 'export', 'rules', '--as', 'csv', '--out', join(dir, 'exported')).code).toBe(0);
    expect(readFileSync(join(dir, 'exported', 'rules.csv'), 'utf8')).toBe(exported.stdout);
    writeFileSync(join(dir, 'bad.yaml'), 'rules:\n  - name: scanner\n    owner: sec\n    cidr: 192.0.2.66\n  - name: cdn\n    owner: sec\n    domain: "*.exa mple.com"\n');
    const bad = run('feedback', 'import', join(dir, 'bad.yaml'), '--replace');
    expect([bad.code, bad.stderr]).toEqual([3, `spothreat: ${join(dir, 'bad.yaml')}:7: rule "cdn": domain: "*.exa mple.com" is not a domain name or a wildcard such as *.example.com\n`]);
    expect(run('feedback', 'export', 'rules', '--as', 'csv').stdout).toBe(exported.stdout);

    expect(run('feedback', 'undo').stderr).toBe('change 4 undone (2 rows restored; change 5)\n');
    expect(run('feedback', 'list', '--format', 'csv').stdout.split('\n').map((l) => l.split(',').slice(0, 5).join(','))).toEqual([
      'id,type,day,rating,sip',
      '1,flow,2026-03-02,3,10.0.0.5',
      '2,flow,2026-03-02,1,192.0.2.66',
      '',
    ]);
    const audit = run('feedback', 'export', 'changes').stdout.split('\n').map((l) => l.split(',').slice(3, 5).join(','));
    expect(audit).toEqual([
      'action,summary',
      'undo,undo change 4 (reset: reset flow 2026-03-02: 2 ratings removed)',
      'reset,reset flow 2026-03-02: 2 ratings removed',
      'rule-add,"add rule 1 ""backup"" from rating 1"',
      'rate,rate flow 2026-03-02 sip=192.0.2.66 as 1',
      'rate,rate flow 2026-03-02 sip=10.0.0.5 dip=10.0.9.9 dport=22 as 3',
      '',
    ]);
  });
});
