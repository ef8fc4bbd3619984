import type { EngineSession } from '../engine/index.js';
import { shiftUtcDate } from '../shared/time.js';
import type { FilteredList, RankFilter } from '../oa/index.js';
import { checkDay, listRatings } from './ratings.js';
import type { FeedbackStore } from './store.js';
import { listRules } from './rules.js';
import { suppressionWith } from './suppress.js';
import type { RatingRow, RuleRow } from './tables.js';

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
  const from = shiftUtcDate(to, -lookback);
  const now = request.now ?? new Date();
  // Read once, in one transaction: a ranking applies the filter to five lists.
  let read: Promise<{ rules: RuleRow[]; today: RatingRow[]; earlier: RatingRow[] }> | null = null;
  const feedback = () =>
    (read ??= store.transaction(async (tx) => ({
      rules: await listRules(tx, { activeAt: now }),
      today: await listRatings(tx, { day: to }),
      earlier: lookback > 0 ? (await listRatings(tx, { from, to, rating: 3 })).filter((r) => r.day < to) : [],
    })));
  return {
    async apply(relation: string, list: FilteredList): Promise<string> {
      const { rules, today, earlier } = await feedback();
      const shown = await suppressionWith(session, { relation, kind: list, rules, ratings: today });
      const taught = await suppressionWith(session, {
        relation: `(${shown.sql})`,
        kind: list,
        rules: [],
        ratings: earlier,
        columns: { suppressedBy: 'learned_from', rating: 'learned_rating', ratingId: 'learned_rating_id' },
      });
      return taught.sql;
    },
  };
}
