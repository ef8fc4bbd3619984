import type { EngineSession } from '../engine/index.js';
import { isTelemetryType, type TelemetryType } from '../schema/index.js';
import { UsageError } from '../shared/errors.js';
import { parseUtcDate } from '../shared/time.js';
import { beginChange, putRow, summarise } from './changes.js';
import { ALL_SPEC_FIELDS, normaliseSpec, type MatchSpec } from './rating-spec.js';
import type { RatingRow } from './tables.js';

export type RatingValue = 1 | 2 | 3;

export interface RatingInput {
  readonly type: TelemetryType;
  /** YYYY-MM-DD, UTC: the day of the events rated. */
  readonly day: string;
  readonly rating: RatingValue;
  readonly spec: Readonly<Record<string, unknown>>;
  readonly analyst: string;
  readonly comment?: string;
}

export interface RatingFilter {
  readonly type?: TelemetryType;
  /** One day, or a range of days (inclusive, YYYY-MM-DD). */
  readonly day?: string;
  readonly from?: string;
  readonly to?: string;
  readonly rating?: RatingValue;
}

export function checkDay(day: string): string {
  try {
    parseUtcDate(day);
  } catch {
    throw new UsageError(`${JSON.stringify(day)} is not a day (YYYY-MM-DD)`);
  }
  return day;
}

function checkInput(input: RatingInput): { spec: MatchSpec } {
  if (!isTelemetryType(input.type)) throw new UsageError(`unknown type ${JSON.stringify(input.type)}`);
  checkDay(input.day);
  if (![1, 2, 3].includes(input.rating)) throw new UsageError(`a rating is 1 (high), 2 (medium) or 3 (low risk), not ${JSON.stringify(input.rating)}`);
  if (!input.analyst.trim()) throw new UsageError('a rating needs the analyst who made it');
  try {
    return { spec: normaliseSpec(input.type, input.spec) };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/**
 * Rate the events a match spec selects on a day. Rating the same spec of the same day again replaces the earlier
 * rating (one rating per spec and day); both states stay in the audit trail.
 */
export async function rate(tx: EngineSession, input: RatingInput): Promise<{ rating: RatingRow; change: number; replaced: boolean }> {
  const { spec } = checkInput(input);
  const specValues = Object.fromEntries(ALL_SPEC_FIELDS.map((f) => [f, spec[f] ?? null]));
  const same = ALL_SPEC_FIELDS.map((f) => `${tx.dialect.ident(f)} IS NOT DISTINCT FROM $${f}`).join(' AND ');
  const [existing] = await tx.query<{ id: number }>(`SELECT id FROM ratings WHERE type = $type AND day = $day AND ${same}`, { type: input.type, day: input.day, ...specValues });
  const id = existing ? Number(existing.id) : Number((await tx.query<{ id: number }>("SELECT nextval('rating_ids') AS id"))[0]!.id);
  const row: RatingRow = {
    id,
    type: input.type,
    day: input.day,
    rating: input.rating,
    ...(specValues as Pick<RatingRow, (typeof ALL_SPEC_FIELDS)[number]>),
    analyst: input.analyst,
    comment: input.comment ?? null,
    created_at: new Date(),
  };
  const words = ALL_SPEC_FIELDS.flatMap((f) => (spec[f] === undefined ? [] : [`${f}=${spec[f]}`])).join(' ');
  const change = await beginChange(tx, { analyst: input.analyst, action: 'rate', summary: `${existing ? 're-rate' : 'rate'} ${input.type} ${input.day} ${words} as ${input.rating}` });
  await putRow(change, 'rating', id, row);
  return { rating: row, change: change.id, replaced: Boolean(existing) };
}

export async function listRatings(tx: EngineSession, filter: RatingFilter = {}): Promise<RatingRow[]> {
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  if (filter.type) (where.push('type = $type'), (params.type = filter.type));
  if (filter.day) (where.push('day = $day'), (params.day = checkDay(filter.day)));
  if (filter.from) (where.push('day >= $from'), (params.from = checkDay(filter.from)));
  if (filter.to) (where.push('day <= $to'), (params.to = checkDay(filter.to)));
  if (filter.rating) (where.push('rating = $rating'), (params.rating = filter.rating));
  return (await tx.query(`SELECT * FROM ratings${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY day, type, id`, params)) as RatingRow[];
}

/** Remove every rating of a type and day, as Spot's "Reset Scoring" did; one change, undone as one. */
export async function resetDay(tx: EngineSession, type: TelemetryType, day: string, analyst: string): Promise<{ change: number; removed: number }> {
  const gone = await listRatings(tx, { type, day });
  const change = await beginChange(tx, { analyst, action: 'reset', summary: `reset ${type} ${day}` });
  for (const r of gone) await putRow(change, 'rating', Number(r.id), null);
  await summarise(change, `reset ${type} ${day}: ${gone.length} ratings removed`);
  return { change: change.id, removed: gone.length };
}
