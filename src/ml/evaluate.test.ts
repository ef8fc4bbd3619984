import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withEngine } from '../../test/helpers/engine.js';
import { columnDecls, type ColumnDecl, type SqlValue } from '../engine/index.js';
import { dns, flow, proxy } from '../schema/index.js';
import { parseLabelsCsv } from '../generate/index.js';
import { evaluateResults, precisionAt, recallAt } from './evaluate.js';

const LABELS = parseLabelsCsv(
  [
    'id,category,attack,src,dst,dports,proto,start,end,description,hosts',
    'scan,attack,horizontal-scan,10.0.0.5,10.1.0.0/24,445,TCP,2026-11-24T10:00:00.000Z,2026-11-24T10:10:00.000Z,scan,',
    'beacon,attack,beaconing,10.0.0.7,203.0.113.9,443,TCP,2026-11-24T00:00:00.000Z,2026-11-24T23:59:59.999Z,beacon,',
    'backup,benign-rare,backup-job,10.0.0.50,10.0.0.60,10000,TCP,2026-11-24T01:00:00.000Z,2026-11-24T02:00:00.000Z,backup,',
    'tunnel,attack,dns-tunnelling,10.0.0.66,10.20.0.10,53,UDP,2026-11-24T00:00:00.000Z,2026-11-24T01:00:00.000Z,tunnel,',
    'c2,attack,http-beaconing,10.0.0.23,203.0.113.80,80,TCP,2026-11-24T06:00:00.400Z,2026-11-24T07:00:00.000Z,c2,cdn.jquery-static.example',
  ].join('\n') + '\n',
);

const at = (hhmm: string) => new Date(`2026-11-24T${hhmm}:00.000Z`);

describe('evaluateResults', () => {
  it('counts each label\'s flows in the day and in the top k (the answer direction too), and precision of attack flows', async () => {
    await withEngine(async (engine) => {
      const columns: ColumnDecl[] = [
        ...columnDecls(flow, ['tstart', 'sip', 'dip', 'sport', 'dport', 'proto']),
        { name: 'id', type: 'int' },
      ];
      const flows: SqlValue[][] = [
        [at('10:01'), '10.0.0.5', '10.1.0.3', 50000, 445, 'TCP', 1], // scan
        [at('10:02'), '10.0.0.5', '10.1.0.4', 50001, 445, 'TCP', 2], // scan
        [at('11:00'), '10.0.0.5', '10.1.0.4', 50002, 445, 'TCP', 3], // after the scan's window
        [at('10:02'), '10.1.0.4', '10.0.0.5', 445, 50001, 'TCP', 4], // the scan's answer
        [at('03:00'), '10.0.0.7', '203.0.113.9', 50003, 443, 'TCP', 5], // beacon
        [at('03:00'), '10.0.0.7', '203.0.113.9', 50003, 443, 'UDP', 6], // not the beacon's protocol
        [at('01:30'), '10.0.0.50', '10.0.0.60', 50004, 10000, 'TCP', 7], // backup (benign)
        [at('05:00'), '10.0.0.9', '8.8.8.8', 50005, 53, 'UDP', 8],
        [at('03:00'), '10.0.0.7', '203.0.113.9', 50006, 80, 'TCP', 9], // not the beacon's port
      ];
      await engine.registerTable('events', columns, flows);
      const ranks = [8, 1, 7, 5, 3]; // ids, most suspicious first
      await engine.run(`CREATE TEMP TABLE results AS SELECT e.*, r.rank FROM events AS e JOIN (VALUES ${ranks.map((id, i) => `(${id}, ${i + 1})`).join(', ')}) AS r(id, rank) ON r.id = e.id`);

      const e = await evaluateResults(engine, { type: 'flow', events: 'events', results: 'results', labels: LABELS, ks: [1, 2, 4, 10] });
      expect(e).toMatchObject({ type: 'flow', events: 9, results: 5, attackEvents: 4, attackHits: [0, 1, 2, 2] });
      expect(e.ks.map((_, i) => precisionAt(e, i))).toEqual([0, 0.5, 0.5, 0.4]);
      expect(e.ks.map((_, i) => recallAt(e, i))).toEqual([0, 0.25, 0.5, 0.5]);
      expect(e.labels.map(({ id, events, found, firstRank }) => ({ id, events, found, firstRank }))).toEqual([
        { id: 'scan', events: 3, found: [0, 1, 1, 1], firstRank: 2 },
        { id: 'beacon', events: 1, found: [0, 0, 1, 1], firstRank: 4 },
        { id: 'backup', events: 1, found: [0, 0, 1, 1], firstRank: 3 },
        { id: 'tunnel', events: 0, found: [0, 0, 0, 0], firstRank: null },
        { id: 'c2', events: 0, found: [0, 0, 0, 0], firstRank: null },
      ]);
    });
  });

  it('sees a DNS response as the packet from the server back to the client', async () => {
    await withEngine(async (engine) => {
      const columns: ColumnDecl[] = [
        ...columnDecls(dns, ['frame_time', 'ip_src', 'ip_dst', 'sport', 'dport', 'transport']),
        { name: 'rank', type: 'int' },
      ];
      await engine.registerTable('responses', columns, [
        [at('00:10'), '10.20.0.10', '10.0.0.66', 53, 40000, 'udp', 1], // the tunneller's answer
        [at('00:10'), '10.20.0.10', '10.0.0.67', 53, 40000, 'udp', 2], // another client
        [at('00:11'), '10.20.0.10', '10.0.0.66', 53, 40001, 'tcp', 3], // over TCP: not the label's
        [at('02:00'), '10.20.0.10', '10.0.0.66', 53, 40002, 'udp', 4], // after the window
      ]);
      const e = await evaluateResults(engine, { type: 'dns', events: 'responses', results: 'responses', labels: LABELS, ks: [1, 4] });
      expect(e).toMatchObject({ events: 4, results: 4, attackEvents: 1, attackHits: [1, 1] });
      expect(e.labels.find((l) => l.id === 'tunnel')).toMatchObject({ events: 1, found: [1, 1], firstRank: 1 });
    });
  });

  it('matches a proxy request by its client, host and time (from the second of the first packet, as Blue Coat logs)', async () => {
    await withEngine(async (engine) => {
      const columns: ColumnDecl[] = [
        ...columnDecls(proxy, ['ts', 'clientip', 'host']),
        { name: 'rank', type: 'int' },
      ];
      await engine.registerTable('requests', columns, [
        [new Date('2026-11-24T06:00:00.000Z'), '10.0.0.23', 'CDN.jquery-static.example', 1], // logged in the first packet's second
        [at('06:30'), '10.0.0.24', 'cdn.jquery-static.example', 2], // another client
        [at('06:31'), '10.0.0.23', 'code.jquery.com', 3], // another host
        [at('07:01'), '10.0.0.23', 'cdn.jquery-static.example', 4], // after the window
        [at('06:32'), '10.0.0.23', 'cdn.jquery-static.example', 5],
      ]);
      const e = await evaluateResults(engine, { type: 'proxy', events: 'requests', results: 'requests', labels: LABELS, ks: [2, 5] });
      expect(e).toMatchObject({ events: 5, results: 5, attackEvents: 2, attackHits: [1, 2] });
      expect(e.labels.find((l) => l.id === 'c2')).toMatchObject({ events: 2, found: [1, 2], firstRank: 1 });
    });
  });
});
