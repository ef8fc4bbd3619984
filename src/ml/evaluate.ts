import type { EngineSession, TimeRange } from '../engine/index.js';
import type { Label } from '../generate/index.js';
import type { TelemetryType } from '../schema/index.js';
import { countLabelledEvents, labelIndex, labelKeySelect } from './label-events.js';
import { resultsPath, resultsTable } from './results.js';
import { WORDS } from './words/index.js';

/** One label's events: how many the day holds, and how many of them the top k results hold. */
export interface LabelRecall {
  readonly id: string;
  readonly name: string;
  readonly category: Label['category'];
  /** Events of the label in the day (the ones the model scored). */
  readonly events: number;
  /** Events of the label among the first k results, for each k of `ks`. */
  readonly found: readonly number[];
  /** Rank of the label's best-ranked event (1 = first), or null when none is in the results. */
  readonly firstRank: number | null;
}

export interface Evaluation {
  readonly type: TelemetryType;
  /** Events the model scored, and results it returned. */
  readonly events: number;
  readonly results: number;
  /** The cut-offs, in the order given; a k above the results counts the results there are. */
  readonly ks: readonly number[];
  /** Results that belong to an attack label, among the first k (each event counted once). */
  readonly attackHits: readonly number[];
  /** Events of the day that belong to an attack label (each counted once). */
  readonly attackEvents: number;
  readonly labels: readonly LabelRecall[];
}

/** precision@k: the share of the first min(k, results) results that are attack events. */
export function precisionAt(e: Evaluation, i: number): number {
  const retrieved = Math.min(e.ks[i]!, e.results);
  return retrieved === 0 ? 0 : e.attackHits[i]! / retrieved;
}

/** recall@k of all attacks together: the share of the day's attack events among the first k results. */
export function recallAt(e: Evaluation, i: number): number {
  return e.attackEvents === 0 ? 0 : e.attackHits[i]! / e.attackEvents;
}

export interface EvaluateRequest {
  readonly type: TelemetryType;
  /** Every event the model scored (the type's columns). */
  readonly events: string;
  /** The results: the type's columns and `rank` (1 = most suspicious). */
  readonly results: string;
  readonly labels: readonly Label[];
  /** Cut-offs N of the top-N, e.g. [100, 1000, maxResults]. */
  readonly ks: readonly number[];
}

/**
 * Measures ranked results against the generator's ground truth: precision@k of attack events
 * in the top k, and recall of each label's events. Labelled events are found in SQL (candidates)
 * and matched exactly in JavaScript; only candidates and results (at most maxResults rows) leave
 * the engine.
 */
export async function evaluateResults(engine: EngineSession, request: EvaluateRequest): Promise<Evaluation> {
  const { type, labels, ks } = request;
  const d = engine.dialect;
  const isAttack = labels.map((l) => l.category === 'attack');

  const [{ events }] = (await engine.query<{ events: number }>(`SELECT count(*) AS events FROM ${request.events} AS e`)) as [{ events: number }];
  const { perLabel, attackEvents } = await countLabelledEvents(engine, type, request.events, labels);

  const match = labelIndex(type, labels);
  const found = labels.map(() => ks.map(() => 0));
  const firstRank: (number | null)[] = labels.map(() => null);
  const attackHits = ks.map(() => 0);
  let results = 0;
  const sql = `SELECT ${labelKeySelect(type, d, [d.ident('rank')])} FROM ${request.results} AS r ORDER BY ${d.ident('rank')}`;
  for await (const rows of engine.stream(sql)) {
    for (const row of rows) {
      results++;
      const rank = Number(row.rank);
      const hits = match(row);
      const attack = hits.some((i) => isAttack[i]);
      ks.forEach((k, j) => {
        if (rank > k) return;
        if (attack) attackHits[j]!++;
        for (const i of hits) found[i]![j]!++;
      });
      for (const i of hits) firstRank[i] ??= rank;
    }
  }
  return {
    type,
    events: Number(events),
    results,
    ks,
    attackHits,
    attackEvents,
    labels: labels.map((l, i) => ({ id: l.id, name: l.name, category: l.category, events: perLabel[i]!, found: found[i]!, firstRank: firstRank[i]! })),
  };
}

/**
 * A day's saved results of a type (`spothreat ml`) measured against labels: the events are the
 * lake's rows of the range that the model scores (the type's `valid` rows), the results are
 * <lake>/scores/<type>/…/<type>_results.parquet.
 */
export async function evaluateDay(
  engine: EngineSession & { lakePath: string },
  request: { type: TelemetryType; range: Required<TimeRange>; label: string; labels: readonly Label[]; ks: readonly number[] },
): Promise<Evaluation> {
  const { type } = request;
  const d = engine.dialect;
  const lake = await engine.lakeView(type, request.range, 'ml_eval_lake');
  const events = `(SELECT * FROM ${lake} AS l WHERE ${WORDS[type].valid(d)})`;
  const results = await engine.parquetView('ml_eval_results', [resultsPath(engine.lakePath, type, request.label)], resultsTable(type));
  return evaluateResults(engine, { type, events, results, labels: request.labels, ks: request.ks });
}
