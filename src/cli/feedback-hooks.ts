import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/index.js';
import type { EngineSession } from '../engine/index.js';
import { feedbackRankFilter, FeedbackStore, writeTrainingFeedback } from '../feedback/index.js';
import type { RankFilter } from '../oa/index.js';
import type { TelemetryType } from '../schema/index.js';

/** The lake's feedback store, when analysts have written one (commands that only read never create it). */
function existingStore(config: Config): FeedbackStore | null {
  const store = FeedbackStore.forLake(config.lake.path);
  return existsSync(store.path) ? store : null;
}

/** The noise filter OA's analyst-facing lists apply for a day, or none without a store. */
export function oaFilter(engine: EngineSession, config: Config, day: string): RankFilter | undefined {
  const store = existingStore(config);
  return store ? feedbackRankFilter(engine, store, { day, lookbackDays: config.ml.feedbackDays }) : undefined;
}

/**
 * Spot's noise filter without a hand-made file: the events the store's low-risk ratings match (the day and
 * ml.feedbackDays before), written to <out>/<type>_feedback.csv for ML to count dupfactor times. Null when
 * there is nothing to learn.
 */
export async function storedTrainingFile(
  engine: EngineSession & { lakePath: string },
  config: Config,
  type: TelemetryType,
  day: string,
  outDir: string,
): Promise<{ path: string; rows: number; ratings: number } | null> {
  const store = existingStore(config);
  if (!store || config.ml.feedbackDays === 0) return null;
  const path = join(outDir, `${type}_feedback.csv`);
  const s = await writeTrainingFeedback(engine, store, { type, day, path, lookbackDays: config.ml.feedbackDays });
  return s.rows > 0 ? { path, rows: s.rows, ratings: s.ratings } : null;
}
