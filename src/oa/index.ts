/**
 * Operational analytics: context for every address and name of a day, attack heuristics writing evidence, Spot's
 * <type>_scores, one ranked and explained threat list across types, and the storyboard data, all set-based through
 * the engine. `analyseDay` is the entry point.
 * @module
 */
import type { Config } from '../config/index.js';
import type { EngineSession } from '../engine/index.js';
import { Enricher } from './enrich/index.js';
import { enabledDetectors, type DetectorsConfig } from './heuristics/index.js';
import { oaTableView } from './output.js';
import { runOa, VISIBLE_THREATS, type OaRequest, type OaSummary } from './run.js';
import { buildDayContext, dayViews, historyViews, type Views } from './day-context.js';
import { rankDay, type RankFilter } from './rank-day.js';
import type { TimeRange } from '../engine/index.js';
import type { TelemetryType } from '../schema/index.js';

export { oaConfig, type OaConfig } from './config.js';
export { DETECTORS, detectorsConfig } from './heuristics/index.js';
export { oaTablePath, oaTableView, writeOaTable } from './output.js';
export { runOa, VISIBLE_THREATS, type OaRequest, type OaSummary } from './run.js';
export { rankDay, type FilteredList, type RankFilter } from './rank-day.js';

/** One day's OA with the configured enrichment and detectors. */
export async function analyseDay(engine: EngineSession & { lakePath: string }, config: Config, request: Omit<OaRequest, 'mlMaxResults'>): Promise<OaSummary> {
  const enricher = await Enricher.open(config.oa.enrich, { internal: config.network.internal, lakePath: engine.lakePath });
  try {
    const detectors = enabledDetectors(config.oa.detectors as DetectorsConfig);
    return await runOa(engine, config.oa, enricher, detectors, { ...request, mlMaxResults: config.ml.maxResults });
  } finally {
    await enricher.close();
  }
}

export interface ThreatLine {
  readonly rank: number;
  readonly entity: string;
  readonly entity_kind: string;
  readonly severity: string;
  readonly threat_score: number;
  readonly explanation: string;
  /** JSON: the contributions, strongest first ({source, strength, weight, value, detail}). */
  readonly contributions: string;
}

/** The top of a threat list: the day's as the last run wrote it, or a relation (VISIBLE_THREATS after a run, rankStoredDay's table). */
export async function topThreats(engine: EngineSession & { lakePath: string }, from: { day: string } | { relation: string }, limit: number): Promise<ThreatLine[]> {
  const relation = 'relation' in from ? from.relation : await oaTableView(engine, 'threats', { lakePath: engine.lakePath, day: from.day }, 'oa_top_threats');
  return engine.query<ThreatLine & Record<string, unknown>>(`SELECT rank, entity, entity_kind, severity, threat_score, explanation, contributions FROM ${relation} ORDER BY rank LIMIT ${Math.floor(limit)}`);
}

/**
 * A stored day's threat list ranked again from its evidence and <type>_scores, with the noise filter: rules and
 * ratings apply retroactively, with no re-import, re-scoring or detector run. Writes the temporary `table`.
 */
export async function rankStoredDay(
  engine: EngineSession & { lakePath: string },
  config: Config,
  request: { day: string; range: Required<TimeRange>; types: readonly TelemetryType[]; filter?: RankFilter },
  table: string,
): Promise<void> {
  const day = { lakePath: engine.lakePath, day: request.day };
  const enricher = await Enricher.open(config.oa.enrich, { internal: config.network.internal, lakePath: engine.lakePath });
  try {
    const views = await dayViews(engine, request.types, request.range, []);
    const present = Object.keys(views) as TelemetryType[];
    await buildDayContext(engine, views, enricher, { uris: false });
    const scores: Views = {};
    for (const type of present) scores[type] = await oaTableView(engine, `${type}_scores`, day, `oa_stored_${type}_scores`);
    const evidence = await oaTableView(engine, 'evidence', day, 'oa_stored_evidence');
    const rank = config.oa.rank;
    const history = rank.historyDays > 0 ? await historyViews(engine, present, request.range.from, rank.historyDays) : null;
    const limit = config.oa.scoresLimit || config.ml.maxResults;
    await rankDay(engine, rank, { evidence, scores, views, history, scoresLimit: limit, ...(request.filter ? { filter: request.filter } : {}) }, table);
  } finally {
    await enricher.close();
  }
}
