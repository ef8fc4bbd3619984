import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/tmp.js';
import { loadConfig } from '../config/index.js';
import { openEngine, type Engine } from '../engine/index.js';
import { Feedback } from './feedback.js';
import { FeedbackStore } from './store.js';
import { suppressionWith } from './suppress.js';
import type { RatingRow, RuleRow } from './tables.js';

let engine: Engine;
const lakeDir = mkdtempSync(join(tmpdir(), 'spothreat-suppress-'));
beforeAll(async () => {
  engine = await openEngine(loadConfig({ env: {}, overrides: { 'lake.path': join(lakeDir, 'lake') } }));
  await engine.run(`CREATE TEMP VIEW flows AS SELECT * FROM (VALUES
    (1, '10.0.0.5', '10.0.9.9', 40001, 22, 'TCP'),
    (2, '10.0.0.5', '10.0.9.9', 40002, 2222, 'TCP'),
    (3, '10.0.0.5', '198.51.100.7', 40003, 22, 'TCP'),
    (4, '10.0.0.6', '10.0.9.9', 40004, 22, 'TCP'),
    (5, '2001:db8::5', '2001:db8:1::1', 5353, 443, 'UDP'),
    (6, '::ffff:192.0.2.1', '203.0.113.1', 1234, 80, 'TCP')) AS t(id, srcip, dstip, sport, dport, proto)`);
  await engine.run(`CREATE TEMP VIEW names AS SELECT * FROM (VALUES
    (1, '10.1.1.1', '10.0.0.53', 'example.com'),
    (2, '10.1.1.1', '10.0.0.53', 'www.example.com'),
    (3, '10.1.1.2', '10.0.0.53', 'a.b.example.com'),
    (4, '10.1.1.1', '10.0.0.53', 'notexample.com'),
    (5, '10.1.1.1', '10.0.0.53', NULL)) AS t(id, ip_dst, ip_src, dns_qry_name)`);
});
afterAll(async () => {
  await engine?.close();
  rmSync(lakeDir, { recursive: true, force: true });
});

let nextId = 1;
const rule = (fields: Partial<RuleRow>): RuleRow => ({
  id: nextId++, name: `r${nextId - 1}`, type: null, cidr: null, src_cidr: null, dst_cidr: null, domain: null, ports: null, src_ports: null, proto: null,
  uri_prefix: null, useragent: null, detector: null, owner: 'sec', comment: null, created_at: new Date(0), expires_at: null, from_rating: null, ...fields,
});
const rating = (id: number, value: 1 | 2 | 3, spec: Partial<RatingRow>, type = 'flow'): RatingRow => ({
  id, type, day: '2026-03-02', rating: value, sip: null, dip: null, sport: null, dport: null, proto: null, client: null, query: null, domain: null,
  host: null, uri_prefix: null, analyst: 'ann', comment: null, created_at: new Date(0), ...spec,
});

/** id → suppressed_by (and the rating) of every row. */
async function apply(relation: string, kind: 'flow_scores' | 'dns', rules: RuleRow[], ratings: RatingRow[] = []) {
  const { sql } = await suppressionWith(engine, { relation, kind, rules, ratings });
  const rows = await engine.query<{ id: number; suppressed_by: string | null; analyst_rating: number | null }>(`SELECT id, suppressed_by, analyst_rating FROM (${sql}) AS s ORDER BY id`);
  return Object.fromEntries(rows.map((r) => [r.id, r.analyst_rating === null ? r.suppressed_by : `${r.suppressed_by} [${r.analyst_rating}]`]));
}

describe('suppression', () => {
  it('matches a CIDR on either side, or on the side it names', async () => {
    const either = rule({ id: 1, name: 'lab', cidr: '10.0.9.0/24' });
    expect(await apply('flows', 'flow_scores', [either])).toEqual({ 1: 'rule 1: lab', 2: 'rule 1: lab', 3: null, 4: 'rule 1: lab', 5: null, 6: null });
    const src = rule({ id: 1, name: 'src', src_cidr: '10.0.9.0/24' });
    expect(await apply('flows', 'flow_scores', [src])).toEqual({ 1: null, 2: null, 3: null, 4: null, 5: null, 6: null });
  });

  it('handles /0, /128 and IPv4-mapped addresses', async () => {
    expect(await apply('flows', 'flow_scores', [rule({ id: 1, name: 'v4', src_cidr: '0.0.0.0/0' })])).toEqual({ 1: 'rule 1: v4', 2: 'rule 1: v4', 3: 'rule 1: v4', 4: 'rule 1: v4', 5: null, 6: 'rule 1: v4' });
    expect(await apply('flows', 'flow_scores', [rule({ id: 1, name: 'all', src_cidr: '::/0' })])).toEqual({ 1: 'rule 1: all', 2: 'rule 1: all', 3: 'rule 1: all', 4: 'rule 1: all', 5: 'rule 1: all', 6: 'rule 1: all' });
    expect(await apply('flows', 'flow_scores', [rule({ id: 1, name: 'h', dst_cidr: '2001:db8:1::1/128' })])).toEqual({ 1: null, 2: null, 3: null, 4: null, 5: 'rule 1: h', 6: null });
    expect(await apply('flows', 'flow_scores', [rule({ id: 1, name: 'm', src_cidr: '192.0.2.0/24' })])).toEqual({ 1: null, 2: null, 3: null, 4: null, 5: null, 6: 'rule 1: m' });
  });

  it('needs every condition of a rule: network, ports and protocol together', async () => {
    const ssh = rule({ id: 1, name: 'backup', src_cidr: '10.0.0.5/32', ports: '22', proto: 'tcp' });
    expect(await apply('flows', 'flow_scores', [ssh])).toEqual({ 1: 'rule 1: backup', 2: null, 3: 'rule 1: backup', 4: null, 5: null, 6: null });
    expect(await apply('flows', 'flow_scores', [rule({ id: 1, name: 'udp', type: 'dns', proto: 'UDP' })])).toEqual({ 1: null, 2: null, 3: null, 4: null, 5: null, 6: null });
  });

  it('names the most specific rule, then the oldest, when rules conflict', async () => {
    const broad = rule({ id: 1, name: 'broad', cidr: '10.0.0.0/8' });
    const narrow = rule({ id: 2, name: 'narrow', cidr: '10.0.0.0/8', ports: '22' });
    const twin = rule({ id: 3, name: 'twin', dst_cidr: '10.0.9.9/32' });
    expect(await apply('flows', 'flow_scores', [twin, broad, narrow])).toEqual({ 1: 'rule 2: narrow', 2: 'rule 1: broad', 3: 'rule 2: narrow', 4: 'rule 2: narrow', 5: null, 6: null });
  });

  it('hides with a rating only the rows its whole spec matches (not every row sharing an address, as Spot did)', async () => {
    const low = rating(7, 3, { sip: '10.0.0.5', dip: '10.0.9.9', dport: 22 });
    expect(await apply('flows', 'flow_scores', [], [low])).toEqual({ 1: 'rating 7 [3]', 2: null, 3: null, 4: null, 5: null, 6: null });
  });

  it('keeps a row rated high or medium visible, even against a rule; the more specific rating wins', async () => {
    const lab = rule({ id: 1, name: 'lab', cidr: '10.0.9.0/24' });
    const high = rating(8, 1, { sip: '10.0.0.5', dip: '10.0.9.9', dport: 22 });
    const low = rating(9, 3, { dip: '10.0.9.9' });
    expect(await apply('flows', 'flow_scores', [lab], [high, low])).toEqual({ 1: 'null [1]', 2: 'rule 1: lab [3]', 3: null, 4: 'rule 1: lab [3]', 5: null, 6: null });
    expect(await apply('flows', 'flow_scores', [], [high, low])).toEqual({ 1: 'null [1]', 2: 'rating 9 [3]', 3: null, 4: 'rating 9 [3]', 5: null, 6: null });
  });

  it('matches a wildcard domain with its apex, an exact name alone, and ignores NULL names', async () => {
    expect(await apply('names', 'dns', [rule({ id: 1, name: 'w', domain: '*.example.com' })])).toEqual({ 1: 'rule 1: w', 2: 'rule 1: w', 3: 'rule 1: w', 4: null, 5: null });
    expect(await apply('names', 'dns', [rule({ id: 1, name: 'x', domain: 'www.example.com' })])).toEqual({ 1: null, 2: 'rule 1: x', 3: null, 4: null, 5: null });
    const byDomain = rating(3, 3, { client: '10.1.1.1', domain: 'example.com' }, 'dns');
    expect(await apply('names', 'dns', [], [byDomain])).toEqual({ 1: 'rating 3 [3]', 2: 'rating 3 [3]', 3: null, 4: null, 5: null });
  });

  it('applies the store: expired rules do not apply, the day\'s ratings do', async () => {
    const f = new Feedback(new FeedbackStore(join(tempDir(), 'feedback.duckdb')));
    await f.addRule({ name: 'old', cidr: '10.0.9.9', owner: 'sec', expires_at: '2026-03-01T12:00Z' }, 'ann');
    await f.rate({ type: 'flow', day: '2026-03-02', rating: 3, spec: { sip: '10.0.0.6' }, analyst: 'ann' });
    const at = async (now: string, day?: string) => {
      const { sql, rules, ratings } = await f.suppression(engine, { relation: 'flows', kind: 'flow_scores', now: new Date(now), ...(day ? { day } : {}) });
      const rows = await engine.query<{ id: number }>(`SELECT id FROM (${sql}) AS s WHERE suppressed_by IS NULL ORDER BY id`);
      return { visible: rows.map((r) => r.id), rules, ratings };
    };
    expect(await at('2026-03-01T11:59:59Z')).toEqual({ visible: [3, 5, 6], rules: 1, ratings: 0 });
    expect(await at('2026-03-01T12:00:00Z')).toEqual({ visible: [1, 2, 3, 4, 5, 6], rules: 0, ratings: 0 });
    expect(await at('2026-03-01T12:00:00Z', '2026-03-02')).toEqual({ visible: [1, 2, 3, 5, 6], rules: 0, ratings: 1 });
    expect(await at('2026-03-01T12:00:00Z', '2026-03-03')).toEqual({ visible: [1, 2, 3, 4, 5, 6], rules: 0, ratings: 0 });
  });

  it('reads evidence and threats: detector rules, entities and peers', async () => {
    await engine.run(`CREATE OR REPLACE TEMP VIEW ev AS SELECT * FROM (VALUES
      (1, 'beacon', 'flow', '10.0.0.5', '198.51.100.7', 'ip'),
      (2, 'rare-useragent', 'proxy', '10.0.0.5', 'cdn.example.com', 'fqdn'),
      (3, 'scan-vertical', 'flow', '10.0.0.6', '22', 'port')) AS t(id, detector, type, entity, peer, peer_kind)`);
    await engine.run(`CREATE OR REPLACE TEMP VIEW th AS SELECT * FROM (VALUES
      (1, '10.0.0.5', 'host', ['beacon', 'rare-useragent']),
      (2, '10.0.0.6', 'host', ['rare-useragent']),
      (3, 'cdn.example.com', 'destination-domain', ['beacon'])) AS t(id, entity, entity_kind, detectors)`);
    const q = async (relation: string, kind: 'evidence' | 'threats', rules: RuleRow[]) => {
      const { sql } = await suppressionWith(engine, { relation, kind, rules, ratings: [] });
      return (await engine.query<{ id: number; suppressed_by: string | null }>(`SELECT id, suppressed_by FROM (${sql}) AS s ORDER BY id`)).map((r) => r.suppressed_by);
    };
    const ua = rule({ id: 1, name: 'ua', detector: 'rare-useragent' });
    const cdn = rule({ id: 2, name: 'cdn', domain: '*.example.com' });
    const port = rule({ id: 3, name: 'ssh', ports: '22', type: 'flow' });
    expect(await q('ev', 'evidence', [ua, cdn, port])).toEqual([null, 'rule 1: ua', 'rule 3: ssh']);
    // A threat is covered by a detector rule only when that is its only detector; type-bound rules skip threats.
    expect(await q('th', 'threats', [ua, cdn, port])).toEqual([null, 'rule 1: ua', 'rule 2: cdn']);
  });
});
