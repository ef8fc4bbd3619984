import type { EngineSession, SqlValue } from '../engine/index.js';
import type { TelemetryType } from '../schema/index.js';
import { byPrecedence, ratingMatcher, ruleMatcher, type Matcher, type Role } from './matchers.js';
import { listRatings } from './ratings.js';
import { roleExpressions, type RelationKind } from './relations.js';
import { listRules } from './rules.js';
import type { FeedbackStore } from './store.js';
import type { RatingRow, RuleRow } from './tables.js';

export interface SuppressRequest {
  /** Anything that can follow FROM: a view name or a parenthesised query. */
  readonly relation: string;
  readonly kind: RelationKind;
  /** The day the rows belong to (YYYY-MM-DD): that day's ratings apply. Without it no rating applies. */
  readonly day?: string;
  /** Rules expired at this time do not apply; default now. */
  readonly now?: Date;
  /** Apply the rules (default true); false for ratings only (learning, evaluation). */
  readonly rules?: boolean;
}

export interface Suppression {
  /**
   * SELECT of every row of the relation with three columns added: `suppressed_by` (the rule or low-risk rating that
   * hides the row, or NULL), `analyst_rating` (1, 2, 3 of the rating that judges the row, or NULL) and `rating_id`.
   */
  readonly sql: string;
  readonly rules: number;
  readonly ratings: number;
}

const TYPE_OF: Readonly<Record<RelationKind, TelemetryType | null>> = {
  flow: 'flow',
  dns: 'dns',
  proxy: 'proxy',
  flow_scores: 'flow',
  dns_scores: 'dns',
  proxy_scores: 'proxy',
  evidence: null,
  threats: null,
};

/** The names of the three added columns. */
export interface OutputColumns {
  readonly suppressedBy: string;
  readonly rating: string;
  readonly ratingId: string;
}
const DEFAULT_COLUMNS: OutputColumns = { suppressedBy: 'suppressed_by', rating: 'analyst_rating', ratingId: 'rating_id' };

let registered = 0;

/**
 * Suppression at query time: the store's active rules (and the day's ratings) applied to a relation, set-based.
 * The distinct values of each role the matchers use are read once and tested in JavaScript; the matches are
 * registered as a small table and joined back, so no query runs per row and nothing is re-imported or re-scored.
 * Hidden rows are not deleted: callers keep `suppressed_by IS NULL`, or show the column.
 *
 * Who wins on a row (docs/noise-filter.md): a high or medium rating of the row keeps it visible even against a
 * rule; otherwise the most specific rule (then the oldest) names itself; otherwise a low-risk rating hides it.
 */
export async function suppressionSql(session: EngineSession, store: FeedbackStore, request: SuppressRequest): Promise<Suppression> {
  const type = TYPE_OF[request.kind];
  const now = request.now ?? new Date();
  const { rules, ratings } = await store.transaction(async (tx) => ({
    rules: request.rules === false ? [] : await listRules(tx, { activeAt: now }),
    ratings: request.day ? await listRatings(tx, { day: request.day, ...(type ? { type } : {}) }) : [],
  }));
  return suppressionWith(session, { ...request, rules, ratings });
}

/** As suppressionSql, with the rules and ratings given (already read from the store). */
export async function suppressionWith(
  session: EngineSession,
  request: Pick<SuppressRequest, 'relation' | 'kind'> & { rules: readonly RuleRow[]; ratings: readonly RatingRow[]; columns?: OutputColumns },
): Promise<Suppression> {
  const d = session.dialect;
  const out = request.columns ?? DEFAULT_COLUMNS;
  const exprs = roleExpressions(request.kind, d);
  const available = (role: Role) => (role === 'addr' ? exprs.src !== undefined || exprs.dst !== undefined : exprs[role] !== undefined);
  // A matcher naming a role this relation lacks can never match here.
  const matchers = byPrecedence([...request.rules.map(ruleMatcher), ...request.ratings.map(ratingMatcher)]).filter((m) => [...m.tests.keys()].every(available));
  const counts = { rules: matchers.filter((m) => m.kind === 'rule').length, ratings: matchers.filter((m) => m.kind === 'rating').length };
  const nothing =
    `SELECT r.*, CAST(NULL AS ${d.type('text')}) AS ${d.ident(out.suppressedBy)}, CAST(NULL AS ${d.type('int')}) AS ${d.ident(out.rating)}, ` +
    `CAST(NULL AS ${d.type('bigint')}) AS ${d.ident(out.ratingId)} FROM ${request.relation} AS r`;
  if (matchers.length === 0) return { sql: nothing, ...counts };

  const used = new Set(matchers.flatMap((m) => [...m.tests.keys()]));
  // Columns that carry a role's values: addr reads both address columns.
  const keyRoles = (Object.keys(exprs) as Exclude<Role, 'addr'>[]).filter((r) => used.has(r) || (used.has('addr') && (r === 'src' || r === 'dst')));
  const hits: SqlValue[][] = [];
  for (const role of keyRoles) {
    const testers = matchers.flatMap((m, i) => {
      const out: [Role, number, (v: string) => boolean][] = [];
      const own = m.tests.get(role);
      if (own) out.push([role, i, own]);
      const addr = (role === 'src' || role === 'dst') && m.tests.get('addr');
      if (addr) out.push(['addr', i, addr]);
      return out;
    });
    const expr = exprs[role]!;
    for await (const rows of session.stream<{ v: string }>(`SELECT DISTINCT ${expr} AS v FROM ${request.relation} AS r WHERE ${expr} IS NOT NULL`)) {
      for (const { v } of rows) {
        const value = String(v);
        for (const [tag, i, test] of testers) if (test(value)) hits.push([tag === 'addr' ? `addr:${role}` : role, value, i]);
      }
    }
  }
  const n = ++registered;
  const hitsTable = `fb_hits_${n}`;
  const matchersTable = `fb_matchers_${n}`;
  await session.registerTable(hitsTable, [{ name: 'role', type: 'text' }, { name: 'value', type: 'text' }, { name: 'matcher', type: 'int' }], hits);
  await session.registerTable(
    matchersTable,
    [
      { name: 'matcher', type: 'int' },
      { name: 'kind', type: 'text' },
      { name: 'label', type: 'text' },
      { name: 'conditions', type: 'int' },
      { name: 'rating', type: 'int' },
      { name: 'rating_id', type: 'bigint' },
    ],
    matchers.map((m: Matcher, i) => [i, m.kind, m.label, m.tests.size, m.rating, m.kind === 'rating' ? m.id : null]),
  );
  return { sql: joinSql(request.relation, keyRoles, exprs, hitsTable, matchersTable, d, out), ...counts };
}

function joinSql(
  relation: string,
  keyRoles: readonly Exclude<Role, 'addr'>[],
  exprs: Partial<Record<Role, string>>,
  hitsTable: string,
  matchersTable: string,
  d: EngineSession['dialect'],
  out: OutputColumns,
): string {
  const k = (role: string) => d.ident(`fb_k_${role}`);
  const keys = keyRoles.map((r) => `k.${k(r)}`).join(', ');
  const hKeys = keyRoles.map((r) => `h.${k(r)}`).join(', ');
  const hits = d.ident(hitsTable);
  // Each hit names the role it satisfies; an addr hit through either address column satisfies addr.
  const hitJoins = keyRoles.flatMap((role) => {
    const join = (tag: string, as: string) =>
      `SELECT ${keys}, h.matcher, ${d.string(as)} AS role FROM fb_keys AS k JOIN ${hits} AS h ON h.role = ${d.string(tag)} AND h.value = k.${k(role)}`;
    const out = [join(role, role)];
    if (role === 'src' || role === 'dst') out.push(join(`addr:${role}`, 'addr'));
    return out;
  });
  const win = (kind: string, col: string) => `max(CASE WHEN kind = ${d.string(kind)} THEN ${col} END)`;
  return `WITH fb_keys AS (SELECT DISTINCT ${keyRoles.map((r) => `${exprs[r]} AS ${k(r)}`).join(', ')} FROM ${relation} AS r),
fb_hit AS (${hitJoins.join('\nUNION ALL ')}),
fb_full AS (
  SELECT ${hKeys}, h.matcher, m.kind, m.label, m.rating, m.rating_id FROM fb_hit AS h JOIN ${d.ident(matchersTable)} AS m ON m.matcher = h.matcher
  GROUP BY ${hKeys}, h.matcher, m.kind, m.label, m.rating, m.rating_id, m.conditions HAVING count(DISTINCT h.role) = m.conditions),
fb_pick AS (SELECT *, row_number() OVER (PARTITION BY ${keyRoles.map(k).join(', ')}, kind ORDER BY matcher) AS pick FROM fb_full),
fb_win AS (
  SELECT ${keyRoles.map(k).join(', ')}, ${win('rule', 'label')} AS rule_label, ${win('rating', 'rating')} AS rating, ${win('rating', 'rating_id')} AS rating_id, ${win('rating', 'label')} AS rating_label
  FROM fb_pick WHERE pick = 1 GROUP BY ${keyRoles.map(k).join(', ')})
SELECT r.*, CASE WHEN w.rating IN (1, 2) THEN NULL ELSE coalesce(w.rule_label, CASE WHEN w.rating = 3 THEN w.rating_label END) END AS ${d.ident(out.suppressedBy)},
  w.rating AS ${d.ident(out.rating)}, w.rating_id AS ${d.ident(out.ratingId)}
FROM ${relation} AS r LEFT JOIN fb_win AS w ON ${keyRoles.map((role) => `${exprs[role]} IS NOT DISTINCT FROM w.${k(role)}`).join(' AND ')}`;
}
