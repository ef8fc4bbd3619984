import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/tmp.js';
import { loadConfig } from '../config/index.js';
import { openEngine, type ColumnDecl } from '../engine/index.js';
import { CONTEXT_TABLES as T } from '../oa/context-tables.js';
import { rankDay } from '../oa/index.js';
import { rankConfig } from '../oa/rank-config.js';
import { OA_TABLES, type TableDef } from '../schema/index.js';
import { Feedback } from './feedback.js';
import { feedbackRankFilter } from './rank-filter.js';

const decl = (table: TableDef): ColumnDecl[] => table.columnNames.map((c) => ({ name: c, type: table.columns[c]!.kind as ColumnDecl['type'] }));
const at = (day: string, hh: number) => new Date(`${day}T${String(hh).padStart(2, '0')}:00:00Z`);
const DAY = '2026-11-25';

describe('the threat ranking with the noise filter', () => {
  it('hides what the day\'s ratings and rules match, damps what earlier low-risk ratings match, and keeps a high rating whole', async () => {
    const dir = tempDir();
    const engine = await openEngine(loadConfig({ env: {}, overrides: { 'lake.path': join(dir, 'lake') } }));
    const feedback = Feedback.forLake(join(dir, 'lake'));
    try {
      // One day's evidence: a scanner's sweep, a beacon, and a backup server seen by lateral-movement.
      const ev = (detector: string, entity: string, peer: string, peerKind: string, score: number) =>
        [detector, 'flow', entity, peer, peerKind, at(DAY, 1), at(DAY, 2), 10, score, '{}', `${detector} by ${entity}`];
      await engine.registerTable('ev', decl(OA_TABLES.evidence as TableDef), [
        ev('scan-horizontal', '10.20.0.100', '22', 'port', 0.8),
        ev('beacon', '10.10.0.7', '203.0.113.9', 'ip', 0.9),
        ev('lateral-movement', '10.20.0.50', '10.20.0.60', 'ip', 0.6),
        ev('lateral-movement', '10.10.0.8', '10.20.0.60', 'ip', 0.6),
      ]);
      await engine.registerTable(T.addresses, [
        { name: 'ip', type: 'text' }, { name: 'internal', type: 'bool' }, { name: 'context', type: 'text' }, { name: 'country', type: 'text' },
        { name: 'asn', type: 'bigint' }, { name: 'as_org', type: 'text' }, { name: 'rep_level', type: 'int' },
      ], ['10.20.0.100', '10.10.0.7', '10.20.0.50', '10.20.0.60', '10.10.0.8'].map((ip) => [ip, true, null, null, null, null, null]));
      await engine.run(`CREATE OR REPLACE TEMP VIEW ${T.hosts} AS SELECT ip, internal, context FROM ${T.addresses}`);
      await engine.registerTable(T.names, [{ name: 'name', type: 'text' }, { name: 'registered', type: 'text' }, { name: 'rep_level', type: 'int' }], []);

      // Yesterday the analyst rated the scanner and the backup low risk; today a rule hides the beacon's host and
      // the backup is rated high: today's rating outweighs yesterday's.
      const rate = (day: string, rating: 1 | 2 | 3, sip: string) => feedback.rate({ type: 'flow', day, rating, spec: { sip }, analyst: 'ann' });
      await rate('2026-11-24', 3, '10.20.0.100');
      await rate('2026-11-24', 3, '10.20.0.50');
      await rate(DAY, 1, '10.20.0.50');
      await feedback.addRule({ name: 'lab host', cidr: '10.10.0.7/32', owner: 'ann' }, 'ann');

      const config = rankConfig.parse({});
      const rank = async (withFilter: boolean) => {
        const filter = withFilter ? { filter: feedbackRankFilter(engine, feedback.store, { day: DAY }) } : {};
        await rankDay(engine, config, { evidence: 'ev', scores: {}, views: {}, history: null, scoresLimit: 100, ...filter }, 'ranked');
        return engine.query<{ rank: number; entity: string; threat_score: number; explanation: string }>('SELECT rank, entity, threat_score, explanation FROM ranked ORDER BY rank');
      };
      expect((await rank(false)).map((t) => [t.rank, t.entity, t.threat_score])).toEqual([
        [1, '10.10.0.7', 0.72],
        [2, '203.0.113.9', 0.576],
        [3, '10.20.0.100', 0.56],
        [4, '10.10.0.8', 0.48],
        [5, '10.20.0.50', 0.48],
      ]);
      // The rule hides the beacon and with it the destination it named.
      const filtered = await rank(true);
      expect(filtered.map((t) => [t.rank, t.entity, t.threat_score])).toEqual([
        [1, '10.10.0.8', 0.48],
        [2, '10.20.0.50', 0.48],
        [3, '10.20.0.100', 0.056],
      ]);
      expect(filtered[2]!.explanation).toBe('scan-horizontal 0.8 (weight 0.7): (damped ×0.1: like rating 1, low risk) scan-horizontal by 10.20.0.100');
    } finally {
      await engine.close();
    }
  });
});
