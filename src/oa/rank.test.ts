import { describe, expect, it } from 'vitest';
import { withEngine } from '../../test/helpers/engine.js';
import type { ColumnDecl, Engine, SqlValue } from '../engine/index.js';
import { CONTEXT_TABLES as T } from './context-tables.js';
import { buildThreats } from './rank.js';
import { rankConfig } from './rank-config.js';

const decl = (spec: string): ColumnDecl[] => spec.split(' ').map((p) => ({ name: p.split(':')[0]!, type: p.split(':')[1] as ColumnDecl['type'] }));
const at = (hh: number) => new Date(Date.UTC(2026, 10, 27, hh));

async function rank(e: Engine, contributions: SqlValue[][], peers: SqlValue[][]) {
  const withFactor = contributions.map((row) => (row.length === 9 ? [...row, 1.0] : row));
  await e.registerTable('c', decl('entity:text role:text source:text strength:double peer:text first_seen:timestamp last_seen:timestamp events:bigint detail:text factor:double'), withFactor);
  await e.registerTable('p', decl('peer:text prevalence:double new_peer:bool'), peers);
  await e.registerTable(T.addresses, decl('ip:text internal:bool context:text country:text city:text lat:double lon:double asn:bigint as_org:text rep:text rep_level:int'), [
    ['10.0.0.5', true, 'Finance', null, null, null, null, null, null, null, null],
    ['10.0.0.9', true, null, null, null, null, null, null, null, null, null],
    ['10.0.0.8', false, null, null, null, null, null, null, null, null, null],
    ['203.0.113.7', false, null, 'NL', 'Amsterdam', 52.37, 4.9, 64500, 'Example AS', 'list:high:3', 3],
  ]);
  await e.registerTable(T.names, decl('name:text registered:text subdomain:text rep:text rep_level:int'), []);
  await buildThreats(e, { contributions: 'c', peerStats: 'p', scoresLimit: 100 }, rankConfig.parse({ weights: { beacon: 0.9 } }), 'threats');
  return e.query<Record<string, unknown>>('SELECT * FROM threats ORDER BY rank');
}

describe('the threat list', () => {
  it('accumulates independent evidence as 1 − Π(1 − w·s), with rarity and novelty only on detector peers', () =>
    withEngine(async (e) => {
      const rows = await rank(
        e,
        [
          ['10.0.0.5', 'accused', 'beacon', 0.9, '203.0.113.7', at(1), at(5), 10, 'beacon to 203.0.113.7'],
          ['10.0.0.5', 'accused', 'beacon', 0.5, '198.51.100.1', at(2), at(3), 4, 'weaker beacon'],
          ['10.0.0.5', 'accused', 'ml-flow', 1.0, '203.0.113.7', at(1), at(1), 1, 'flow ML rank 1'],
          ['203.0.113.7', 'peer', 'beacon', 0.9, '10.0.0.5', at(1), at(5), 10, 'beacon to 203.0.113.7'],
          ['10.0.0.9', 'accused', 'ml-dns', 0.5, 'x.example', at(7), at(7), 1, 'dns ML rank 51'],
          // An external end of a suspicious flow, accused by nothing else, is a destination.
          ['10.0.0.8', 'accused', 'ml-flow', 0.2, '10.0.0.5', at(7), at(7), 1, 'flow ML rank 81'],
        ],
        [
          ['203.0.113.7', 0.01, true],
          ['198.51.100.1', 0.5, false],
          ['x.example', 0.001, true],
        ],
      );
      expect(rows.map((r) => [r.rank, r.entity, r.entity_kind, r.severity])).toEqual([
        [1, '10.0.0.5', 'host', 'critical'],
        [2, '203.0.113.7', 'destination-ip', 'high'],
        [3, '10.0.0.9', 'host', 'low'],
        [4, '10.0.0.8', 'destination-ip', 'low'],
      ]);
      // beacon 0.9·0.9, ml-flow 0.3·1, rare 0.3·(1 − 0.01/0.05), new 0.2·1
      expect(rows[0]!.threat_score).toBeCloseTo(1 - (1 - 0.81) * (1 - 0.3) * (1 - 0.24) * (1 - 0.2), 6);
      expect(rows[0]!.detectors).toEqual(['beacon']);
      expect(rows[0]!.peers).toEqual(['203.0.113.7', '198.51.100.1']);
      expect(rows[0]!).toMatchObject({ internal: true, context: 'Finance', evidence_rows: 2, ml_events: 1, ml_best_rank: 1, prevalence: 0.01, new_peer: true });
      expect(String(rows[0]!.explanation).split('; ').map((s) => s.split(' ')[0])).toEqual(['beacon', 'ml-flow', 'rare-destination', 'new-destination']);
      expect(JSON.parse(String(rows[0]!.contributions))[0]).toEqual({ source: 'beacon', strength: 0.9, weight: 0.9, value: 0.81, detail: 'beacon to 203.0.113.7' });
      expect(rows[1]!).toMatchObject({ threat_score: 0.81, country: 'NL', asn: 64500, ti_level: 3 });
      // An ML score alone never gets the rarity bonus: 0.3 · 0.5.
      expect(rows[2]!).toMatchObject({ threat_score: 0.15, ml_best_rank: 51, detectors: [], new_peer: true });
    }));

  it('counts one family of detectors once: a sweep is both a horizontal and a vertical scan', () =>
    withEngine(async (e) => {
      const rows = await rank(
        e,
        [
          ['10.0.0.5', 'accused', 'scan-horizontal', 1, '445', at(1), at(1), 50, 'horizontal'],
          ['10.0.0.5', 'accused', 'scan-vertical', 0.5, '10.0.0.6', at(1), at(1), 900, 'vertical'],
          ['10.0.0.5', 'accused', 'dga', 0.5, null, at(2), at(2), 30, 'dga'],
        ],
        [],
      );
      expect(rows[0]!.threat_score).toBeCloseTo(1 - (1 - 0.7) * (1 - 0.4), 6);
      expect(rows[0]!.detectors).toEqual(['scan-horizontal', 'dga', 'scan-vertical']);
      expect(JSON.parse(String(rows[0]!.contributions)).map((c: { source: string; value: number }) => [c.source, c.value])).toEqual([
        ['scan-horizontal', 0.7],
        ['dga', 0.4],
        ['scan-vertical', 0],
      ]);
    }));

  it('damps a sweep of many ports over many hosts, as a vulnerability scanner makes, and says so', () =>
    withEngine(async (e) => {
      const sweep = [
        ...[21, 22, 23, 80, 443].map((p) => ['10.0.0.5', 'accused', 'scan-horizontal', 0.6, String(p), at(1), at(1), 20, `horizontal ${p}`]),
        ...['10.0.0.6', '10.0.0.7', '10.0.0.8'].map((h) => ['10.0.0.5', 'accused', 'scan-vertical', 0.5, h, at(1), at(1), 900, `vertical ${h}`]),
        ['10.0.0.5', 'accused', 'lateral-movement', 0.9, '10.0.0.6', at(1), at(1), 5, 'admin ports'],
        // Four ports only: not a sweep.
        ...[21, 22, 23, 80].map((p) => ['10.0.0.9', 'accused', 'scan-horizontal', 0.6, String(p), at(1), at(1), 20, `horizontal ${p}`]),
        ...['10.0.0.6', '10.0.0.7', '10.0.0.8'].map((h) => ['10.0.0.9', 'accused', 'scan-vertical', 0.5, h, at(1), at(1), 900, `vertical ${h}`]),
      ];
      const rows = await rank(e, sweep, []);
      const byEntity = Object.fromEntries(rows.map((r) => [r.entity, r]));
      expect(byEntity['10.0.0.5']!.threat_score).toBeCloseTo(1 - (1 - 0.8 * 0.45) * (1 - 0.7 * 0.3), 6);
      expect(String(byEntity['10.0.0.5']!.explanation)).toMatch(/^lateral-movement 0\.45 \(weight 0\.8\): \(damped ×0\.5: a sweep of 5 ports over 3 hosts, as a vulnerability scanner does\) admin ports/);
      expect(byEntity['10.0.0.9']!.threat_score).toBeCloseTo(0.7 * 0.6, 6);
    }));

  it('reads severity bands and weights from the configuration, and multiplies each effect by its factor', () =>
    withEngine(async (e) => {
      await e.registerTable('c', decl('entity:text role:text source:text strength:double peer:text first_seen:timestamp last_seen:timestamp events:bigint detail:text factor:double'), [
        ['10.0.0.5', 'accused', 'scan-vertical', 1, '10.0.0.6', at(1), at(2), 900, 'vertical scan', 1],
        // Rated low risk before: a tenth of its effect, the strongest row of the source by effect, not by strength.
        ['10.0.0.7', 'accused', 'scan-vertical', 1, '10.0.0.6', at(1), at(2), 900, 'like rating 3', 0.1],
        ['10.0.0.7', 'accused', 'scan-vertical', 0.4, '10.0.0.8', at(1), at(2), 900, 'another scan', 1],
      ]);
      await e.registerTable('p', decl('peer:text prevalence:double new_peer:bool'), []);
      await e.registerTable(T.addresses, decl('ip:text internal:bool context:text country:text city:text lat:double lon:double asn:bigint as_org:text rep:text rep_level:int'), []);
      await e.registerTable(T.names, decl('name:text registered:text subdomain:text rep:text rep_level:int'), []);
      const config = rankConfig.parse({ weights: { 'scan-vertical': 0.5 }, severity: { critical: 0.95, high: 0.6, medium: 0.5 } });
      await buildThreats(e, { contributions: 'c', peerStats: 'p', scoresLimit: 100 }, config, 'threats');
      expect(await e.query('SELECT entity, threat_score, severity FROM threats ORDER BY rank')).toEqual([
        { entity: '10.0.0.5', threat_score: 0.5, severity: 'medium' },
        { entity: '10.0.0.7', threat_score: 0.2, severity: 'low' },
      ]);
    }));
});
