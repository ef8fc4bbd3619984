import type { EngineSession } from '../engine/index.js';
import type { FilteredList, RankFilter } from '../oa/index.js';
import { checkDay, listRatings } from './ratings.js';
import type { FeedbackStore } from './store.js';
import { suppressionSql, suppressionWith } from './suppress.js';
import type { RatingRow } from './tables.js';

export interface RankFilterRequest {
  /** The day ranked (YYYY-MM-DD): its ratings hide, earlier ones teach. */
  readonly day: string;
  /** Low-risk ratings of this many days before `day` damp what they match (the ranking learns). Default 30. */
  readonly lookbackDays?: number;
  /** Rules expired at this time do not apply; default now. */
  readonly now?: Date;
}

/**
 * The noise filter as OA's ranking reads it: the day's rules and ratings hide rows (`suppressed_by`), and low-risk
 * ratings of earlier days mark the rows they would match (`learned_from`), which the ranking damps. Ratings stay
 * tied to their day; what an analyst said before is learned, not enforced, so a new kind of finding still shows.
 */
export function feedbackRankFilter(session: EngineSession, store: FeedbackStore, request: RankFilterRequest): RankFilter {
  const to = checkDay(request.day);
  const lookback = request.lookbackDays ?? 30;
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - lookback * 86_400_000).toISOString().slice(0, 10);
  let earlier: Promise<RatingRow[]> | null = null;
  const learned = () =>
    (earlier ??= lookback > 0 ? store.transaction((tx) => listRatings(tx, { from, to, rating: 3 })).then((rs) => rs.filter((r) => r.day < to)) : Promise.resolve([]));
  return {
    async apply(relation: string, list: FilteredList): Promise<string> {
      const shown = await suppressionSql(session, store, { relation, kind: list, day: to, ...(request.now ? { now: request.now } : {}) });
      const taught = await suppressionWith(session, {
        relation: `(${shown.sql})`,
        kind: list,
        rules: [],
        ratings: await learned(),
        columns: { suppressedBy: 'learned_from', rating: 'learned_rating', ratingId: 'learned_rating_id' },
      });
      return taught.sql;
    },
  };
}
