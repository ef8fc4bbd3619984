import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/tmp.js';
import { loadConfig } from '../../config/index.js';
import { openEngine, type ColumnDecl, type Engine } from '../../engine/index.js';
import { CONTEXT_TABLES as T } from '../context-tables.js';
import { flowChordsSql, flowEdgeSql } from './edges.js';
import { impactSql, peerSummarySql, timelineSql } from './investigation.js';

const decl = (spec: string): ColumnDecl[] => spec.split(' ').map((p) => ({ name: p.split(':')[0]!, type: p.split(':')[1] as ColumnDecl['type'] }));
const t = (hms: string) => new Date(`2026-11-27T${hms}Z`);
const A = '10.0.0.1';
const B = '198.51.100.2';
const C = '10.0.0.3';

async function withFlows(fn: (e: Engine) => Promise<void>): Promise<void> {
  const e = await openEngine(loadConfig({ env: {}, overrides: { 'lake.path': join(tempDir(), 'lake') } }));
  try {
    const flow = (start: string, sip: string, dip: string, sport: number, dport: number, ibyt: number) => [t(start), t(start), sip, dip, sport, dport, 'TCP', '...AP.S.', 0, ibyt, 2, 0, 0, '192.0.2.1', 0, 0];
    await e.registerTable('f', decl('tstart:timestamp tend:timestamp sip:text dip:text sport:int dport:int proto:text flag:text stos:int ibyt:bigint ipkt:bigint input:int output:int rip:text obyt:bigint opkt:bigint'), [
      flow('10:00:05', A, B, 5000, 443, 100),
      flow('10:00:40', B, A, 443, 5000, 900),
      flow('10:01:10', A, B, 5001, 443, 50),
      flow('10:00:30', A, C, 5002, 445, 7000),
      flow('11:00:00', C, A, 445, 5002, 10),
    ]);
    await e.registerTable('s', decl('rank:int tstart:timestamp srcip:text dstip:text'), [
      [1, t('10:00:10'), A, B],
      [2, t('10:00:30'), A, C],
    ]);
    await fn(e);
  } finally {
    await e.close();
  }
}

describe('storyboard data', () => {
  it("edges: the pair's flows in both directions in the same minute", () =>
    withFlows(async (e) => {
      const rows = await e.query(`SELECT score_rank, tstart, srcip, ibyt, hh, mn FROM (${flowEdgeSql('f', 's', 250, e.dialect)}) AS x ORDER BY score_rank, tstart`);
      expect(rows).toEqual([
        { score_rank: 1, tstart: t('10:00:05'), srcip: A, ibyt: 100, hh: 10, mn: 0 },
        { score_rank: 1, tstart: t('10:00:40'), srcip: B, ibyt: 900, hh: 10, mn: 0 },
        { score_rank: 2, tstart: t('10:00:30'), srcip: A, ibyt: 7000, hh: 10, mn: 0 },
      ]);
      const capped = await e.query(`SELECT count(*) AS n FROM (${flowEdgeSql('f', 's', 1, e.dialect)}) AS x WHERE score_rank = 1`);
      expect(capped).toEqual([{ n: 1 }]);
    }));

  it('chords: an address seen twice with two peers, and all its traffic with them over the day', () =>
    withFlows(async (e) => {
      const rows = await e.query(`SELECT ip_threat, srcip, dstip, ibyt, flows FROM (${flowChordsSql('f', 's')}) AS x ORDER BY srcip, dstip`);
      expect(rows).toEqual([
        { ip_threat: A, srcip: A, dstip: C, ibyt: 7000, flows: 1 },
        { ip_threat: A, srcip: A, dstip: B, ibyt: 150, flows: 2 },
        { ip_threat: A, srcip: C, dstip: A, ibyt: 10, flows: 1 },
        { ip_threat: A, srcip: B, dstip: A, ibyt: 900, flows: 1 },
      ]);
    }));

  it('investigation: peers by direction, impact by context, timeline grouped by 5-tuple', () =>
    withFlows(async (e) => {
      await e.registerTable('anchors', decl('anchor:text is_ip:bool'), [[A, true]]);
      await e.registerTable(T.names, decl('name:text registered:text'), []);
      await e.run(`CREATE TABLE peers AS SELECT p.*, CAST(NULL AS VARCHAR) AS context, p.peer LIKE '10.%' AS internal FROM (${peerSummarySql({ flow: 'f' }, 'anchors', 100)}) AS p`);
      expect(await e.query('SELECT peer, direction, connections, max_bytes, avg_bytes, first_seen FROM peers ORDER BY peer')).toEqual([
        { peer: C, direction: 'two-way', connections: 2, max_bytes: 7000, avg_bytes: 3505, first_seen: t('10:00:30') },
        { peer: B, direction: 'two-way', connections: 3, max_bytes: 900, avg_bytes: 350, first_seen: t('10:00:05') },
      ]);
      expect(await e.query(`SELECT direction, context, peers, connections, bytes FROM (${impactSql('peers')}) AS x ORDER BY context`)).toEqual([
        { direction: 'two-way', context: 'external', peers: 1, connections: 3, bytes: 1050 },
        { direction: 'two-way', context: 'internal', peers: 1, connections: 2, bytes: 7010 },
      ]);
      const timeline = await e.query(`SELECT srcip, dstip, sport, dport, events, ibyt FROM (${timelineSql({ flow: 'f' }, 'anchors', 'peers', 1, 1000)}) AS x ORDER BY srcip, sport`);
      // Only the strongest peer (by events): B, one row per 5-tuple.
      expect(timeline).toEqual([
        { srcip: A, dstip: B, sport: 5000, dport: 443, events: 1, ibyt: 100 },
        { srcip: A, dstip: B, sport: 5001, dport: 443, events: 1, ibyt: 50 },
        { srcip: B, dstip: A, sport: 443, dport: 5000, events: 1, ibyt: 900 },
      ]);
    }));
});
