import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { EngineSession } from '../engine/index.js';
import { shiftUtcDate, utcDayRange } from '../shared/time.js';
import { resultsPath, resultsTable, WORDS } from '../ml/index.js';
import { tableFor, type TelemetryType } from '../schema/index.js';
import { checkDay, listRatings } from './ratings.js';
import type { FeedbackStore } from './store.js';
import { suppressionWith } from './suppress.js';
import type { RatingRow } from './tables.js';

export interface TrainingRequest {
  readonly type: TelemetryType;
  /** The day ML is about to fit (YYYY-MM-DD). */
  readonly day: string;
  /** Ratings of this many days before `day`, and of `day` itself, count. Default 30. */
  readonly lookbackDays?: number;
  /**
   * Which events the low-risk ratings select: `day`, the events of the day being fitted that a rating of the
   * lookback matches (the behaviour the analyst called benign, as it shows today: the default); `results`, each
   * rating's own day's <type>_results (the rows the analyst saw, as Spot did); `lake`, every event of each
   * rating's own day that it matches.
   */
  readonly source?: TrainingSource;
  /** At most this many events per rating (the earliest): a broad rating must not flood training. Default 100,000. */
  readonly maxPerRating?: number;
  /** The CSV to write, in the format of `spothreat ml --feedback` (docs/ml.md). */
  readonly path: string;
}

export interface TrainingSummary {
  readonly path: string;
  /** Events written (each counts ml.dupfactor times in training). */
  readonly rows: number;
  /** Low-risk ratings that matched at least one event. */
  readonly ratings: number;
  /** Low-risk ratings read from the store. */
  readonly lowRisk: number;
}

export const TRAINING_SOURCES = ['day', 'results', 'lake'] as const;
export type TrainingSource = (typeof TRAINING_SOURCES)[number];

/**
 * The learning hook: the events the analyst's low-risk ratings match, written as ML's feedback CSV, so that
 * `runSuspiciousConnects({ feedbackFile })` counts each ml.dupfactor times (Spot's noise filter) — no change to ML.
 * A rating matches with its full spec; among the ratings matching one event the most specific (then the newest)
 * decides, so a more specific high rating overrides a broader low one. High and medium ratings are not training rows: they stay
 * labels, for `spothreat eval`.
 */
export async function writeTrainingFeedback(engine: EngineSession & { lakePath: string }, store: FeedbackStore, request: TrainingRequest): Promise<TrainingSummary> {
  const { type } = request;
  const d = engine.dialect;
  const lookback = request.lookbackDays ?? 30;
  const to = checkDay(request.day);
  const from = shiftUtcDate(to, -lookback);
  const ratings = await store.transaction((tx) => listRatings(tx, { type, from, to }));
  const source = request.source ?? 'day';
  // Which ratings select events from which day: each day's own, or all of them on the fitted day.
  const byDay = new Map<string, RatingRow[]>();
  for (const r of ratings) {
    const day = source === 'day' ? to : r.day;
    const list = byDay.get(day);
    if (list) list.push(r);
    else byDay.set(day, [r]);
  }

  const inputs = WORDS[type].inputs;
  const cols = inputs.map((c) => d.ident(c)).join(', ');
  const time = d.ident(tableFor(type).partitionBy);
  const cap = Math.max(1, Math.floor(request.maxPerRating ?? 100_000));
  const parts: string[] = [];
  let i = 0;
  for (const [day, dayRatings] of byDay) {
    if (!dayRatings.some((r) => r.rating === 3)) continue;
    const view = `fb_train_${i++}`;
    const relation =
      source !== 'results'
        ? await engine.lakeView(type, utcDayRange(day), view)
        : await engine.parquetView(view, [resultsPath(engine.lakePath, type, day)], resultsTable(type));
    const { sql } = await suppressionWith(engine, { relation, kind: type, rules: [], ratings: dayRatings });
    parts.push(
      `SELECT ${cols}, 3 AS rating, rating_id FROM (` +
        `SELECT *, row_number() OVER (PARTITION BY rating_id ORDER BY ${time}) AS fb_n FROM (${sql}) AS a WHERE analyst_rating = 3) AS b WHERE fb_n <= ${cap}`,
    );
  }
  const lowRisk = ratings.filter((r) => r.rating === 3).length;
  await mkdir(dirname(request.path), { recursive: true });
  const none = `SELECT ${inputs.map((c) => `CAST(NULL AS ${d.type(tableFor(type).columns[c]!.kind)}) AS ${d.ident(c)}`).join(', ')}, 3 AS rating, CAST(NULL AS BIGINT) AS rating_id WHERE false`;
  const all = parts.length ? parts.join(' UNION ALL ') : none;
  await engine.run(`CREATE OR REPLACE TEMP TABLE fb_training AS ${all}`);
  await engine.export(`SELECT ${cols}, rating FROM fb_training ORDER BY ${cols}`, { format: 'csv', path: request.path });
  const [counts] = await engine.query<{ rows: number; ratings: number }>('SELECT count(*) AS rows, count(DISTINCT rating_id) AS ratings FROM fb_training');
  return { path: request.path, rows: Number(counts?.rows ?? 0), ratings: Number(counts?.ratings ?? 0), lowRisk };
}
