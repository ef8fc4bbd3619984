import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingShared, sharedFile } from '../../../test/helpers/shared-data.js';
import { tempDir } from '../../../test/helpers/tmp.js';
import { configSchema } from '../../config/index.js';
import { openEngine } from '../../engine/index.js';
import { Ingestor } from '../../ingest/index.js';
import { beaconDetector, beaconOptions } from './beacon.js';
import { longConnectionDetector, longConnectionOptions } from './long-connection.js';
import { strobeDetector, strobeOptions } from './strobe.js';
import { CONTEXT_TABLES as T } from '../context-tables.js';
import { at, detect, hosts, telemetry, withEngine } from './sql-fixtures.js';

const flow = (sip: string, dip: string, t: Date, ibyt: number, more: Record<string, unknown> = {}) => ({
  sip, dip, sport: 50000, dport: 443, proto: 'TCP', ipkt: 5, ibyt, tstart: t, tend: new Date(t.getTime() + 1000), ...more,
});

describe('beacon', () => {
  it('scores an internal host checking in with an external address every 5 minutes all day, and nothing internal', () =>
    withEngine(async (e) => {
      const rows = [
        ...Array.from({ length: 288 }, (_, i) => flow('10.0.0.5', '203.0.113.9', at(0, i * 5), 640)),
        // The same rhythm between two internal hosts: RITA leaves internal traffic out.
        ...Array.from({ length: 288 }, (_, i) => flow('10.0.0.6', '10.0.0.7', at(0, i * 5), 640)),
        // Browsing: irregular.
        ...[1, 7, 8, 60, 61, 300, 900, 901].map((m, i) => flow('10.0.0.8', '198.51.100.3', at(9, m), 1000 + i * 977)),
      ];
      const view = await telemetry(e, 'flow', rows);
      await hosts(e, rows.flatMap((r) => [r.sip, r.dip]));
      const found = await detect(e, beaconDetector, beaconOptions.parse({}), { flow: view });
      expect(found.map((f) => [f.entity, f.peer, f.score])).toEqual([['10.0.0.5', '203.0.113.9', 1]]);
      expect(found[0]!.measures).toMatchObject({ connections: 288, ts_score: 1, ds_score: 1, hist_score: 1, dur_score: 1, interval_mode_s: 300, busy_hours: 24 });
      expect(found[0]!.explanation).toBe('10.0.0.5 → 203.0.113.9: 288 connections over 23.9 h, most often every 300 s, in 24 of 24 hourly bins (timestamps 1, sizes 1, histogram 1, duration 1)');
      await expect(detect(e, beaconDetector, beaconOptions.parse({ tsWeight: 0.5 }), { flow: view })).rejects.toThrow(/must be 1/);
    }));

  const conn = 'flows/zeek-conn/rita/proxy/conn.log';
  const http = 'proxy/zeek-http/rita/proxy/http.log';
  const missing = missingShared(conn) ?? missingShared(http);
  it.skipIf(missing)(`matches RITA's own scores on its proxy test data${missing ? ` (skipped: ${missing})` : ''}`, async () => {
    const dir = tempDir();
    const config = configSchema.parse({ lake: { path: join(dir, 'lake') } });
    const ingestor = await Ingestor.open(config);
    await ingestor.ingest({ type: 'proxy', paths: [sharedFile(http)!] });
    await ingestor.ingest({ type: 'flow', paths: [sharedFile(conn)!] });
    await ingestor.close();
    const engine = await openEngine(config);
    try {
      const proxy = await engine.lakeView('proxy');
      const flows = await engine.lakeView('flow');
      await engine.run(`CREATE TEMP TABLE ${T.hosts} AS SELECT DISTINCT sip AS ip, true AS internal, CAST(NULL AS VARCHAR) AS context FROM ${flows}`);
      const found = await detect(engine, beaconDetector, beaconOptions.parse({ minScore: 0 }), { proxy, flow: flows });
      const score = (peer: string) => found.find((f) => f.entity === '10.136.0.18' && f.peer === peer);
      // RITA's integration test (TestProxyBeacons): 0.979 over 357 connections, and 0.586 over 6.
      expect(Math.abs(score('www.honestimnotevil.com')!.score - 0.979)).toBeLessThanOrEqual(0.05);
      expect(Math.abs(score('www.google.com')!.score - 0.586)).toBeLessThanOrEqual(0.05);
    } finally {
      await engine.close();
    }
  });
});

describe('long-connection', () => {
  it('joins the records an exporter cut a session into and scores the time it stayed open', () =>
    withEngine(async (e) => {
      // A reverse shell held 5 h, exported every 30 minutes; overlapping records count once.
      const shell = Array.from({ length: 10 }, (_, i) => flow('10.0.0.5', '203.0.113.178', at(10, i * 30), 2000, { dport: 4444, tend: at(10, i * 30 + 30) }));
      const overlap = flow('10.0.0.5', '203.0.113.178', at(10, 10), 100, { dport: 4444, tend: at(10, 20) });
      // Two short sessions an hour apart: 20 minutes open in all.
      const short = [flow('10.0.0.6', '198.51.100.1', at(9), 10, { tend: at(9, 10) }), flow('10.0.0.6', '198.51.100.1', at(10), 10, { tend: at(10, 10) })];
      const rows = [...shell, overlap, ...short];
      const view = await telemetry(e, 'flow', rows);
      await hosts(e, rows.flatMap((r) => [r.sip, r.dip]));
      const found = await detect(e, longConnectionDetector, longConnectionOptions.parse({}), { flow: view });
      expect(found.map((f) => [f.entity, f.peer, f.score, f.events])).toEqual([['10.0.0.5', '203.0.113.178', Math.round((Math.log(5) / Math.log(8)) * 1000) / 1000, 11]]);
      expect(found[0]!.measures).toMatchObject({ open_s: 18000, longest_s: 18000, dport: 4444 });
      expect(found[0]!.explanation).toBe('10.0.0.5 kept TCP/4444 to 203.0.113.178 open for 5.0 h in 11 flow records (longest stretch 5.0 h)');
      expect(await detect(e, longConnectionDetector, longConnectionOptions.parse({ ignorePorts: [4444] }), { flow: view })).toEqual([]);
    }));
});

describe('strobe', () => {
  it('reports pairs with a connection a second or more, scaled to the window', () =>
    withEngine(async (e) => {
      const rows = Array.from({ length: 400 }, (_, i) => flow('10.0.0.5', '203.0.113.1', at(3, 0, i), 60));
      const view = await telemetry(e, 'flow', rows);
      await hosts(e, ['10.0.0.5', '203.0.113.1']);
      // 360 a day, the window is a day: 400 connections score 0.5 + 0.5·log10(400/360).
      const found = await detect(e, strobeDetector, strobeOptions.parse({ perDay: 360 }), { flow: view });
      expect(found.map((f) => [f.entity, f.peer, f.score, f.events])).toEqual([['10.0.0.5', '203.0.113.1', Math.round((0.5 + 0.5 * Math.log10(400 / 360)) * 1000) / 1000, 400]]);
      expect(await detect(e, strobeDetector, strobeOptions.parse({}), { flow: view })).toEqual([]);
    }));
});
