import type { EngineSession } from '../engine/index.js';
import { CONTEXT_TABLES as T } from './context-tables.js';

/**
 * Every piece of evidence about an entity as one row (entity, role, source, strength 0-1, peer, times, detail, factor): the
 * detectors' findings on the accused entity and on the destination they name, and the ML results of each type.
 */
export interface ContributionInputs {
  /** The day's evidence rows (src/schema/evidence.ts). */
  readonly evidence: string;
  /** The day's <type>_scores, when ML ran for the type. */
  readonly scores: Readonly<Partial<Record<'flow' | 'dns' | 'proxy', string>>>;
  /** Results kept per type (the rank that maps to strength 0). */
  readonly scoresLimit: number;
  /** A destination named by a finding gets its score times this (oa.rank.peerFactor). */
  readonly peerFactor: number;
  /**
   * The evidence and score relations carry `fb_factor` (the row's `factor`, which multiplies its effect on the
   * threat score) and `fb_note` (prefixes the detail): what the noise filter learned from earlier low-risk ratings
   * (src/oa/rank-day.ts). Without it every factor is 1.
   */
  readonly learned?: boolean;
}

export async function buildContributions(engine: EngineSession, inputs: ContributionInputs, table: string): Promise<void> {
  const d = engine.dialect;
  const factor = (a: string) => (inputs.learned ? `${a}.fb_factor` : '1.0');
  const note = (a: string, detail: string) => (inputs.learned ? `${a}.fb_note || ${detail}` : detail);
  const rank = (r: string) => `(1.0 - (CAST(${r} AS DOUBLE) - 1) / ${inputs.scoresLimit})`;
  const mlDetail = (type: string, r: string, score: string, what: string) =>
    note('s', `'${type} ML rank ' || CAST(${r} AS VARCHAR) || ' (score ' || CAST(${score} AS VARCHAR) || '): ' || ${what}`);
  const parts = [
    `SELECT e.entity, 'accused' AS role, e.detector AS source, e.score AS strength, e.peer, e.window_start AS first_seen, e.window_end AS last_seen, e.events, ${note('e', 'e.explanation')} AS detail, ${factor('e')} AS factor FROM ${inputs.evidence} AS e`,
    // The destination a detector names is a threat of its own, unless it is one of ours.
    `SELECT e.peer, 'peer', e.detector, e.score * ${Number(inputs.peerFactor)}, e.entity, e.window_start, e.window_end, e.events, ${note('e', 'e.explanation')}, ${factor('e')} FROM ${inputs.evidence} AS e ` +
      `LEFT JOIN ${T.hosts} AS h ON h.ip = e.peer WHERE e.peer_kind IN ('ip', 'domain', 'fqdn') AND e.peer IS NOT NULL AND e.peer <> '' AND NOT coalesce(h.internal, false)`,
  ];
  const { flow, dns, proxy } = inputs.scores;
  if (flow) {
    const what = `s.proto || ' ' || s.srcip || ':' || CAST(s.sport AS VARCHAR) || ' → ' || s.dstip || ':' || CAST(s.dport AS VARCHAR)`;
    for (const [me, other] of [['srcip', 'dstip'], ['dstip', 'srcip']] as const) {
      parts.push(
        `SELECT s.${me}, 'accused', 'ml-flow', ${rank('s.rank')}, s.${other}, s.tstart, s.tstart, 1, ${mlDetail('flow', 's.rank', 's.ml_score', what)}, ${factor('s')} FROM ${flow} AS s`,
      );
    }
  }
  if (dns) {
    parts.push(
      `SELECT s.ip_dst, 'accused', 'ml-dns', ${rank('s.rank')}, s.dns_qry_name, s.frame_time, s.frame_time, 1, ` +
        `${mlDetail('dns', 's.rank', 's.ml_score', `'query ' || s.dns_qry_name || ' ' || coalesce(s.dns_qry_type_name, '') || ' ' || coalesce(s.dns_qry_rcode_name, '')`)}, ${factor('s')} FROM ${dns} AS s`,
    );
  }
  if (proxy) {
    parts.push(
      `SELECT s.clientip, 'accused', 'ml-proxy', ${rank('s.rank')}, s.host, s.ts, s.ts, 1, ` +
        `${mlDetail('proxy', 's.rank', 's.ml_score', `coalesce(s.reqmethod, '') || ' ' || coalesce(s.fulluri, '') || ' → ' || coalesce(CAST(s.respcode AS VARCHAR), '')`)}, ${factor('s')} FROM ${proxy} AS s`,
    );
  }
  await engine.run(`CREATE OR REPLACE TEMP TABLE ${d.ident(table)} AS ${parts.join(' UNION ALL ')}`);
}
