import type { EngineSession } from '../engine/index.js';
import type { Label } from '../generate/index.js';
import { evaluateResults, precisionAt, recallAt } from '../ml/evaluate.js';
import { resultsTable, WORDS } from '../ml/index.js';
import type { TelemetryType } from '../schema/index.js';
import { suppressedList } from './lists.js';
import { checkDay } from './ratings.js';
import type { FeedbackStore } from './store.js';
import { DAY_MS, formatUtcDate, parseUtcDate, utcDayRange } from '../shared/time.js';

/**
 * precision@k of a day's ML ranking, against the analyst's labels (the ratings of that day: 1 and 2 are threats,
 * 3 is benign) and against the generator's labels.csv on generated days. With `suppress`, the list is the one the
 * analyst sees: rows hidden by rules and low-risk ratings removed and the rest ranked again.
 */
export interface RatingPrecision {
  readonly day: string;
  readonly type: TelemetryType;
  readonly k: number;
  /** Rows of the list (after suppression, when asked). */
  readonly results: number;
  /** Rows among the first k that the analyst rated high or medium. */
  readonly threats: number;
  /** Rows among the first k rated low risk. */
  readonly benign: number;
  /** threats / min(k, results): unrated rows count as misses. */
  readonly precision: number;
  /** threats / (threats + benign): precision over the rows the analyst judged; null when none. */
  readonly judgedPrecision: number | null;
}

export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = parseUtcDate(checkDay(from)); t <= parseUtcDate(checkDay(to)); t += DAY_MS) days.push(formatUtcDate(t));
  return days;
}

/** Ranked (again) list rows: the type's result columns, analyst_rating, suppressed_by and fb_rank. */
async function rankedList(engine: EngineSession & { lakePath: string }, store: FeedbackStore, type: TelemetryType, day: string, suppress: boolean): Promise<string> {
  const { sql } = await suppressedList(engine, store, { list: type, day, rules: suppress });
  const keep = suppress ? 'WHERE suppressed_by IS NULL' : '';
  return `(SELECT *, row_number() OVER (ORDER BY ${engine.dialect.ident('rank')}) AS fb_rank FROM (${sql}) AS a ${keep})`;
}

export async function evaluateAgainstRatings(
  engine: EngineSession & { lakePath: string },
  store: FeedbackStore,
  request: { type: TelemetryType; from: string; to: string; ks: readonly number[]; suppress?: boolean },
): Promise<RatingPrecision[]> {
  const out: RatingPrecision[] = [];
  for (const day of daysBetween(request.from, request.to)) {
    const list = await rankedList(engine, store, request.type, day, request.suppress ?? false);
    const sums = request.ks.flatMap((k, i) => [
      `sum(CASE WHEN fb_rank <= ${Math.floor(k)} AND analyst_rating IN (1, 2) THEN 1 ELSE 0 END) AS t${i}`,
      `sum(CASE WHEN fb_rank <= ${Math.floor(k)} AND analyst_rating = 3 THEN 1 ELSE 0 END) AS b${i}`,
    ]);
    const [row] = await engine.query(`SELECT count(*) AS n, ${sums.join(', ')} FROM ${list} AS l`);
    const results = Number(row?.n ?? 0);
    if (results === 0) continue;
    request.ks.forEach((k, i) => {
      const threats = Number(row![`t${i}`] ?? 0);
      const benign = Number(row![`b${i}`] ?? 0);
      out.push({ day, type: request.type, k, results, threats, benign, precision: threats / Math.min(k, results), judgedPrecision: threats + benign ? threats / (threats + benign) : null });
    });
  }
  return out;
}

export interface LabelPrecision {
  readonly day: string;
  readonly type: TelemetryType;
  readonly k: number;
  readonly results: number;
  /** Attack events among the first k, precision@k and recall@k (src/ml/evaluate.ts). */
  readonly attacks: number;
  readonly precision: number;
  readonly recall: number;
  /** Events of benign-but-rare labels (backup jobs, scanners) among the first k. */
  readonly benignRare: number;
}

/** A generated day against the generator's labels, reusing ML's evaluation on the (optionally suppressed) list. */
export async function evaluateAgainstLabels(
  engine: EngineSession & { lakePath: string },
  store: FeedbackStore,
  request: { type: TelemetryType; day: string; labels: readonly Label[]; ks: readonly number[]; suppress?: boolean },
): Promise<LabelPrecision[]> {
  const { type, day } = request;
  const d = engine.dialect;
  const lake = await engine.lakeView(type, utcDayRange(checkDay(day)), 'fb_eval_lake');
  const events = `(SELECT * FROM ${lake} AS l WHERE ${WORDS[type].valid(d)})`;
  const list = await rankedList(engine, store, type, day, request.suppress ?? false);
  const columns = resultsTable(type).columnNames.filter((c) => c !== 'rank').map((c) => d.ident(c));
  const results = `(SELECT ${columns.join(', ')}, fb_rank AS ${d.ident('rank')} FROM ${list} AS s)`;
  const e = await evaluateResults(engine, { type, events, results, labels: request.labels, ks: request.ks });
  return request.ks.map((k, i) => ({
    day,
    type,
    k,
    results: e.results,
    attacks: e.attackHits[i]!,
    precision: precisionAt(e, i),
    recall: recallAt(e, i),
    benignRare: e.labels.filter((l) => l.category === 'benign-rare').reduce((n, l) => n + l.found[i]!, 0),
  }));
}
