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
import { runOa, type OaRequest, type OaSummary } from './run.js';

export { oaConfig, type OaConfig } from './config.js';
export { DETECTORS, detectorsConfig } from './heuristics/index.js';
export { oaTablePath, oaTableView, writeOaTable } from './output.js';
export { runOa, type OaRequest, type OaSummary } from './run.js';

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
}

/** The top of a day's threat list, as written by the last run. */
export async function topThreats(engine: EngineSession & { lakePath: string }, day: string, limit: number): Promise<ThreatLine[]> {
  const view = await oaTableView(engine, 'threats', { lakePath: engine.lakePath, day }, 'oa_top_threats');
  return engine.query<ThreatLine & Record<string, unknown>>(`SELECT rank, entity, entity_kind, severity, threat_score, explanation FROM ${view} ORDER BY rank LIMIT ${Math.floor(limit)}`);
}
