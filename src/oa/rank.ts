import type { EngineSession } from '../engine/index.js';
import { CONTEXT_TABLES as T } from './context-tables.js';
import { weightOf, type RankConfig } from './rank-config.js';

/*
 * The cross-type threat list. Evidence accumulates per entity as independent signals, as Slips does:
 *   threat_score = 1 − Π_s (1 − w_s · strength_s)
 * over the entity's sources s (each detector, each type's ML, threat intel, a rare or new destination), where
 * strength_s is the source's strongest finding on the entity (0-1) and w_s its configured weight. One certain
 * finding of weight 0.9 alone gives 0.9; two independent ones of 0.5 give 0.75. A rare or new destination counts
 * only where a detector or threat intel already names it. Sources of one family (config.families: the two scan
 * detectors by default) describe one behaviour, so only the family's strongest counts.
 */

export interface RankInputs {
  /**
   * Rows (entity, role, source, strength, peer, first_seen, last_seen, events, detail, factor): src/oa/contributions.ts.
   * `factor` (0-1) multiplies a row's effect: the noise filter's damping of what an analyst rated low risk before.
   */
  readonly contributions: string;
  /** Per peer: (peer, prevalence, new_peer); prevalence NULL when unknown, new_peer NULL without history. */
  readonly peerStats: string;
  /** Results kept per type: ML strength (1 − (rank − 1)/limit) maps back to the rank. */
  readonly scoresLimit: number;
}

export async function buildThreats(engine: EngineSession, inputs: RankInputs, config: RankConfig, table: string): Promise<void> {
  const d = engine.dialect;
  const sources = await engine.query<{ source: string }>(`SELECT DISTINCT source FROM ${inputs.contributions}`);
  const known = new Set([...sources.map((s) => s.source), 'rare-destination', 'new-destination']);
  const weights = [...known].map((s) => `SELECT ${d.string(s)} AS source, CAST(${weightOf(config, s)} AS DOUBLE) AS weight`).join(' UNION ALL ');
  const rare = Number(config.rarePrevalence);
  // Rarity and novelty strengthen a detector's or threat intel's finding; an ML score alone already means "rare", and
  // the targets of a sweep are rare by construction.
  const onDetectorPeer = `c.role = 'accused' AND c.source NOT LIKE 'ml-%' AND c.swept = 0`;
  const pct = (e: string) => `CAST(round(100 * ${e}, 1) AS VARCHAR) || '%'`;

  // A broad sweep (many ports on many hosts) is what authorised vulnerability scanners do and targeted attackers avoid:
  // its scan and admin-port findings are damped, and say so.
  const sw = config.sweep;
  const damped = sw.sources.map((x) => d.string(x)).join(', ') || 'NULL';
  await engine.run(
    `CREATE OR REPLACE TEMP TABLE oa_sweepers AS SELECT entity, count(DISTINCT CASE WHEN source = 'scan-horizontal' THEN peer END) AS ports, ` +
      `count(DISTINCT CASE WHEN source = 'scan-vertical' THEN peer END) AS hosts FROM ${inputs.contributions} WHERE role = 'accused' GROUP BY entity ` +
      `HAVING count(DISTINCT CASE WHEN source = 'scan-horizontal' THEN peer END) >= ${sw.minPorts} AND count(DISTINCT CASE WHEN source = 'scan-vertical' THEN peer END) >= ${sw.minHosts}`,
  );
  const isSwept = `w.entity IS NOT NULL AND c.role = 'accused' AND c.source IN (${damped})`;
  await engine.run(
    `CREATE OR REPLACE TEMP TABLE oa_contrib_swept AS SELECT c.entity, c.role, c.source, CASE WHEN ${isSwept} THEN c.strength * ${Number(sw.factor)} ELSE c.strength END AS strength, ` +
      `c.peer, c.first_seen, c.last_seen, c.events, c.factor, CASE WHEN ${isSwept} THEN '(damped ×' || CAST(${Number(sw.factor)} AS VARCHAR) || ': a sweep of ' || CAST(w.ports AS VARCHAR) || ' ports over ' || ` +
      `CAST(w.hosts AS VARCHAR) || ' hosts, as a vulnerability scanner does) ' || c.detail ELSE c.detail END AS detail, CASE WHEN ${isSwept} THEN 1 ELSE 0 END AS swept ` +
      `FROM ${inputs.contributions} AS c LEFT JOIN oa_sweepers AS w ON w.entity = c.entity`,
  );
  await engine.run(
    `CREATE OR REPLACE TEMP TABLE oa_rank_rows AS ` +
      `SELECT entity, role, source, strength, peer, first_seen, last_seen, events, detail, factor FROM oa_contrib_swept ` +
      // A rare or never-seen destination strengthens what an accused entity does with it.
      `UNION ALL SELECT c.entity, 'accused', 'rare-destination', 1.0 - p.prevalence / ${rare}, c.peer, min(c.first_seen), max(c.last_seen), count(*), ` +
      `c.peer || ' is talked to by ' || ${pct('p.prevalence')} || ' of internal hosts', max(c.factor) ` +
      `FROM oa_contrib_swept AS c JOIN ${inputs.peerStats} AS p ON p.peer = c.peer WHERE ${onDetectorPeer} AND p.prevalence <= ${rare} GROUP BY c.entity, c.peer, p.prevalence ` +
      `UNION ALL SELECT c.entity, 'accused', 'new-destination', 1.0, c.peer, min(c.first_seen), max(c.last_seen), count(*), ` +
      `c.peer || ' was never seen in the lake before', max(c.factor) ` +
      `FROM oa_contrib_swept AS c JOIN ${inputs.peerStats} AS p ON p.peer = c.peer WHERE ${onDetectorPeer} AND p.new_peer GROUP BY c.entity, c.peer`,
  );
  // Sources of one family see the same behaviour (a sweep is both horizontal and vertical): only the strongest counts.
  const familyOf = Object.entries(config.families).flatMap(([family, members]) => members.map((m) => `WHEN ${d.string(m)} THEN ${d.string(family)}`));
  const family = familyOf.length ? `CASE r.source ${familyOf.join(' ')} ELSE r.source END` : 'r.source';
  // Each source's strongest row per entity; the others still count as events and peers.
  await engine.run(
    `CREATE OR REPLACE TEMP TABLE oa_rank_family AS SELECT r.entity, r.source, w.weight, r.strength, r.peer, r.detail, ${family} AS family, ` +
      `least(w.weight * r.strength * r.factor, 0.999) AS effect, s.rows_n, s.events_n, s.first_seen, s.last_seen, s.accused ` +
      `FROM (SELECT *, row_number() OVER (PARTITION BY entity, source ORDER BY strength * factor DESC, first_seen, peer) AS pick FROM oa_rank_rows) AS r ` +
      `JOIN (${weights}) AS w ON w.source = r.source ` +
      `JOIN (SELECT entity, source, count(*) AS rows_n, sum(events) AS events_n, min(first_seen) AS first_seen, max(last_seen) AS last_seen, ` +
      // Accused by a detector or threat intel: an ML score alone accuses both ends of a flow.
      `max(CASE WHEN role = 'accused' AND source NOT LIKE 'ml-%' THEN 1 ELSE 0 END) AS accused FROM oa_rank_rows GROUP BY entity, source) AS s ON s.entity = r.entity AND s.source = r.source ` +
      `WHERE r.pick = 1 AND r.strength > 0`,
  );
  await engine.run(
    `CREATE OR REPLACE TEMP TABLE oa_rank_sources AS SELECT f.*, CASE WHEN row_number() OVER (PARTITION BY f.entity, f.family ORDER BY f.effect DESC, f.source) = 1 ` +
      `THEN f.effect ELSE 0.0 END AS counted FROM oa_rank_family AS f`,
  );
  const sev = config.severity;
  const detail = `s.source || ' ' || CAST(round(s.strength, 3) AS VARCHAR) || ' (weight ' || CAST(s.weight AS VARCHAR) || '): ' || s.detail`;
  const contribution = d.jsonObject({ source: 's.source', strength: 'round(s.strength, 3)', weight: 's.weight', value: 'round(s.counted, 3)', detail: 's.detail' });
  const isIp = `(a.ip IS NOT NULL OR ${d.regexMatches('e.entity', '^[0-9.]+$|:')})`;
  await engine.run(
    `CREATE OR REPLACE TEMP TABLE ${d.ident(table)} AS ` +
      `SELECT CAST(row_number() OVER (ORDER BY e.threat_score DESC, e.entity) AS INTEGER) AS rank, e.entity, ` +
      `CASE WHEN e.accused = 1 OR a.internal THEN 'host' WHEN ${isIp} THEN 'destination-ip' ELSE 'destination-domain' END AS entity_kind, ` +
      `CASE WHEN e.threat_score >= ${sev.critical} THEN 'critical' WHEN e.threat_score >= ${sev.high} THEN 'high' WHEN e.threat_score >= ${sev.medium} THEN 'medium' ELSE 'low' END AS severity, ` +
      `e.threat_score, e.first_seen, e.last_seen, a.internal, coalesce(a.context, n.registered) AS context, a.country, a.asn, a.as_org, ` +
      `e.detectors, e.peers, e.evidence_rows, e.ml_events, e.ml_best_rank, greatest(a.rep_level, n.rep_level, e.ti_level) AS ti_level, ` +
      `e.prevalence, e.new_peer, e.contributions, e.explanation ` +
      `FROM (SELECT s.entity, round(1.0 - exp(sum(ln(1.0 - s.counted))), 6) AS threat_score, min(s.first_seen) AS first_seen, max(s.last_seen) AS last_seen, max(s.accused) AS accused, ` +
      `${d.listByDesc("CASE WHEN s.source NOT LIKE 'ml-%' AND s.source NOT IN ('rare-destination', 'new-destination') THEN s.source END", 's.effect')} AS detectors, ` +
      `max(pe.peers) AS peers, ` +
      `sum(CASE WHEN s.source NOT LIKE 'ml-%' AND s.source NOT IN ('rare-destination', 'new-destination') THEN s.rows_n ELSE 0 END) AS evidence_rows, ` +
      `sum(CASE WHEN s.source LIKE 'ml-%' THEN s.rows_n ELSE 0 END) AS ml_events, ` +
      `CAST(min(CASE WHEN s.source LIKE 'ml-%' THEN round((1.0 - s.strength) * ${inputs.scoresLimit}) + 1 END) AS INTEGER) AS ml_best_rank, ` +
      `max(CASE WHEN s.source = 'threat-intel' THEN CAST(round(s.strength * 3) AS INTEGER) END) AS ti_level, ` +
      `min(p.prevalence) AS prevalence, bool_or(coalesce(p.new_peer, false)) AS new_peer, ` +
      `'[' || ${d.joinList(d.listByDesc(contribution, 's.effect'), ',')} || ']' AS contributions, ` +
      `${d.joinList(d.listByDesc(detail, 's.effect'), '; ')} AS explanation ` +
      `FROM oa_rank_sources AS s LEFT JOIN ${inputs.peerStats} AS p ON p.peer = s.peer ` +
      `LEFT JOIN (SELECT entity, ${d.listByDesc('peer', 'effect', 10)} AS peers FROM (SELECT r.entity, r.peer, max(w.weight * r.strength * r.factor) AS effect FROM oa_rank_rows AS r ` +
      `JOIN (${weights}) AS w ON w.source = r.source WHERE r.peer IS NOT NULL AND r.peer <> '' GROUP BY r.entity, r.peer) AS x GROUP BY entity) AS pe ON pe.entity = s.entity ` +
      `GROUP BY s.entity) AS e ` +
      `LEFT JOIN ${T.addresses} AS a ON a.ip = e.entity LEFT JOIN ${T.names} AS n ON n.name = e.entity ` +
      `ORDER BY rank LIMIT ${config.maxThreats}`,
  );
}
