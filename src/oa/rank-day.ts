import type { EngineSession } from '../engine/index.js';
import { OA_TABLES, type TelemetryType } from '../schema/index.js';
import { buildContributions } from './contributions.js';
import { buildPeerStats } from './peer-stats.js';
import { buildThreats } from './rank.js';
import type { RankConfig } from './rank-config.js';

type Views = Partial<Record<TelemetryType, string>>;
export type FilteredList = 'flow_scores' | 'dns_scores' | 'proxy_scores' | 'evidence' | 'threats';

/**
 * What the analysts' noise filter does to the rows a threat list is ranked from. src/feedback implements it; OA only
 * reads the two columns, so the ranking does not depend on how ratings and rules are kept.
 */
export interface RankFilter {
  /**
   * Every row of the relation with `suppressed_by` (the rule or low-risk rating of the day that hides it, NULL when
   * visible), `analyst_rating` (the day's rating of the row, 1-3, or NULL) and `learned_from` (a low-risk rating of
   * an earlier day that matches it, NULL otherwise), as a SELECT.
   */
  apply(relation: string, list: FilteredList): Promise<string>;
}

export interface RankDayInputs {
  /** The day's evidence (src/schema/evidence.ts). */
  readonly evidence: string;
  /** The day's <type>_scores. */
  readonly scores: Views;
  /** The day's events, per type: prevalence of peers. */
  readonly views: Views;
  /** Earlier days, when peers' novelty counts. */
  readonly history: Views | null;
  readonly scoresLimit: number;
  readonly filter?: RankFilter;
  /**
   * Peer statistics already built for this day (by a ranking of the same day without the filter): they cover every
   * peer the filtered contributions can name, and reading the day's events for them again is the costly part.
   */
  readonly peerStats?: string;
}

/**
 * The threat list of a day from its evidence and ML scores, with the noise filter applied when given: hidden rows
 * do not count, findings like an earlier low-risk rating count `learnedFactor` of their strength, and threats a rule
 * names (a detector rule, say) leave the list. Ranks are consecutive over what remains. Needs the day's context
 * tables (src/oa/day-context.ts).
 */
export async function rankDay(engine: EngineSession, config: RankConfig, inputs: RankDayInputs, table: string): Promise<void> {
  const d = engine.dialect;
  const { filter } = inputs;
  const visible = async (relation: string, list: FilteredList) => (filter ? `(SELECT * FROM (${await filter.apply(relation, list)}) AS f WHERE f.suppressed_by IS NULL)` : relation);

  // What an analyst rated low risk on an earlier day counts learnedFactor of its effect, and says so.
  const damped = Number(config.learnedFactor);
  // A high or medium rating of the day outweighs an earlier low one.
  const kept = 'v.learned_from IS NULL OR v.analyst_rating IN (1, 2)';
  const learned = async (relation: string, list: FilteredList) =>
    filter
      ? `(SELECT v.*, CASE WHEN ${kept} THEN 1.0 ELSE ${damped} END AS fb_factor, ` +
        `CASE WHEN ${kept} THEN '' ELSE '(damped ×' || CAST(${damped} AS VARCHAR) || ': like ' || v.learned_from || ', low risk) ' END AS fb_note ` +
        `FROM ${await visible(relation, list)} AS v)`
      : relation;
  const evidence = await learned(inputs.evidence, 'evidence');
  const scores: Views = {};
  for (const [type, relation] of Object.entries(inputs.scores) as [TelemetryType, string][]) scores[type] = await learned(relation, `${type}_scores`);

  await buildContributions(engine, { evidence, scores, scoresLimit: inputs.scoresLimit, peerFactor: config.peerFactor, learned: filter !== undefined }, 'oa_contrib');
  const peerStats = inputs.peerStats ?? 'oa_peer_stats';
  if (!inputs.peerStats) await buildPeerStats(engine, 'oa_contrib', inputs.views, inputs.history, peerStats);
  const rank = { contributions: 'oa_contrib', peerStats, scoresLimit: inputs.scoresLimit };
  if (!filter) return buildThreats(engine, rank, config, table);

  await buildThreats(engine, rank, config, 'oa_threats_ranked');
  const cols = OA_TABLES.threats.columnNames.filter((c) => c !== 'rank').map((c) => `t.${d.ident(c)}`).join(', ');
  await engine.run(
    `CREATE OR REPLACE TEMP TABLE ${d.ident(table)} AS SELECT CAST(row_number() OVER (ORDER BY t.${d.ident('rank')}) AS INTEGER) AS ${d.ident('rank')}, ${cols} ` +
      `FROM (${await filter.apply('oa_threats_ranked', 'threats')}) AS t WHERE t.suppressed_by IS NULL ORDER BY 1`,
  );
}
