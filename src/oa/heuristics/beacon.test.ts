import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingShared, sharedFile } from '../../../test/helpers/shared-data.js';
import { tempDir } from '../../../test/helpers/tmp.js';
import { configSchema } from '../../config/index.js';
import { openEngine } from '../../engine/index.js';
import { Ingestor } from '../../ingest/index.js';
import { beaconDetector, beaconOptions } from './beacon.js';
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
      // From strobeConnections on, a pair is a strobe (strobe detector), not a beacon.
      expect(await detect(e, beaconDetector, beaconOptions.parse({ strobeConnections: 288 }), { flow: view })).toEqual([]);
      expect((await detect(e, beaconDetector, beaconOptions.parse({ strobeConnections: 289 }), { flow: view })).length).toBe(1);
    }));

  it('scores a client → name pair over every address the client was given for the name', () =>
    withEngine(async (e) => {
      // c2.example.net answers with two addresses in turn; the client calls one or the other every 5 minutes.
      const c2 = ['203.0.113.10', '203.0.113.11'];
      const rows = [
        ...Array.from({ length: 288 }, (_, i) => flow('10.0.0.5', c2[(i * i) % 7 < 3 ? 0 : 1]!, at(0, i * 5), 640)),
        // Another client calls the same addresses without having resolved the name: not a name pair.
        ...Array.from({ length: 288 }, (_, i) => flow('10.0.0.9', c2[0]!, at(0, i * 5 + 1), 640)),
      ];
      const answers = [
        { frame_time: at(0), ip_dst: '10.0.0.5', ip_src: '10.0.0.53', dns_qr: true, dns_qry_name: 'C2.example.net', dns_a: c2.join(' ') },
        // A query (not an answer) and an answer to someone else change nothing.
        { frame_time: at(0), ip_dst: '10.0.0.53', ip_src: '10.0.0.9', dns_qr: false, dns_qry_name: 'c2.example.net', dns_a: null },
        { frame_time: at(1), ip_dst: '10.0.0.7', ip_src: '10.0.0.53', dns_qr: true, dns_qry_name: 'c2.example.net', dns_a: c2[0]! },
      ];
      const view = await telemetry(e, 'flow', rows);
      // The fixture has no list columns: dns_answers is built from the space-separated addresses in dns_a.
      const dns = await telemetry(e, 'dns', answers, 't_dns_rows');
      await e.run(`CREATE TEMP VIEW t_dns AS SELECT *, string_split(dns_a, ' ') AS dns_answers FROM ${dns}`);
      await hosts(e, [...rows.flatMap((r) => [r.sip, r.dip]), '10.0.0.53', '10.0.0.7']);
      const found = await detect(e, beaconDetector, beaconOptions.parse({}), { flow: view, dns: 't_dns' });
      const byName = found.filter((f) => f.peer_kind === 'fqdn');
      expect(byName.map((f) => [f.type, f.entity, f.peer, f.events, f.score])).toEqual([['flow', '10.0.0.5', 'c2.example.net', 288, 1]]);
      expect(byName[0]!.measures).toMatchObject({ connections: 288, ts_score: 1, ds_score: 1, interval_mode_s: 300 });
      // Each address on its own is less regular: one of them is called only every third time.
      const byAddress = found.filter((f) => f.peer_kind === 'ip' && f.entity === '10.0.0.5');
      console.log(JSON.stringify(byAddress.map((f) => [f.peer, f.events, f.score, f.measures])));
      expect(found.filter((f) => f.entity === '10.0.0.9').map((f) => [f.peer, f.peer_kind, f.events])).toEqual([[c2[0], 'ip', 288]]);
    }));

  it('scores a client looking a name up every 10 minutes, not the resolver that forwards it', () =>
    withEngine(async (e) => {
      const answer = (t: Date, client: string, server: string, name: string) => ({ frame_time: t, frame_len: 120, ip_dst: client, ip_src: server, dns_qr: true, dns_qry_name: name });
      const rows = Array.from({ length: 144 }, (_, i) => [
        // DNS 0x20: the case of the name varies; it is one pair.
        answer(at(0, i * 10, 2), '10.0.0.5', '10.0.0.53', i % 2 ? 'Beacon.Example.org' : 'beacon.example.org'),
        answer(at(0, i * 10, 1), '10.0.0.53', '8.8.8.8', 'beacon.example.org'),
      ]).flat();
      const dns = await telemetry(e, 'dns', rows);
      await hosts(e, ['10.0.0.5', '10.0.0.53', '8.8.8.8']);
      const found = await detect(e, beaconDetector, beaconOptions.parse({}), { dns });
      expect(found.map((f) => [f.type, f.entity, f.peer, f.peer_kind, f.events, f.score])).toEqual([['dns', '10.0.0.5', 'beacon.example.org', 'fqdn', 144, 1]]);
      expect(found[0]!.explanation).toBe('10.0.0.5 → beacon.example.org: 144 lookups over 23.8 h, most often every 600 s, in 24 of 24 hourly bins (timestamps 1, sizes 1, histogram 1, duration 1)');
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
      // RITA scores the 24 hours up to the hour of its dataset's last record (here from 2023-01-04 18:00 UTC): the
      // same window the runner's views would give.
      const from = `TIMESTAMPTZ '2023-01-04 18:00:00+00'`;
      await engine.run(`CREATE TEMP VIEW rita_proxy AS SELECT * FROM ${proxy} WHERE ts >= ${from}`);
      await engine.run(`CREATE TEMP VIEW rita_flow AS SELECT * FROM ${flows} WHERE tstart >= ${from}`);
      await engine.run(`CREATE TEMP TABLE ${T.hosts} AS SELECT DISTINCT sip AS ip, true AS internal, CAST(NULL AS VARCHAR) AS context FROM ${flows}`);
      const found = await detect(engine, beaconDetector, beaconOptions.parse({ minScore: 0 }), { proxy: 'rita_proxy', flow: 'rita_flow' });
      const scores = (peer: string) => {
        const f = found.find((f) => f.entity === '10.136.0.18' && f.peer === peer)!;
        return { connections: f.events, score: f.score, ts: f.measures.ts_score, ds: f.measures.ds_score, dur: f.measures.dur_score, hist: f.measures.hist_score };
      };
      // RITA's integration test (TestProxyBeacons): counts exact, the score and its four parts within 0.05.
      const rita = [
        { connections: 357, score: 0.979, ts: 0.921, ds: 0.995, dur: 1, hist: 1 },
        { connections: 6, score: 0.586, ts: 0.48, ds: 0.865, dur: 1, hist: 0 },
      ];
      const ours = [scores('www.honestimnotevil.com'), scores('www.google.com')];
      ours.forEach((o, i) => {
        expect(o.connections).toBe(rita[i]!.connections);
        for (const k of ['score', 'ts', 'ds', 'dur', 'hist'] as const) expect(Math.abs(Number(o[k]) - rita[i]![k])).toBeLessThanOrEqual(0.05);
      });
      // Ours, exactly, so that a change shows.
      expect(ours).toEqual([
        { connections: 357, score: 0.98, ts: 0.92, ds: 1, dur: 1, hist: 1 },
        { connections: 6, score: 0.581, ts: 0.48, ds: 0.865, dur: 0.978, hist: 0 },
      ]);
    } finally {
      await engine.close();
    }
  });
});
