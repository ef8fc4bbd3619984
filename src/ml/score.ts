import type { EngineSession } from '../engine/index.js';
import type { TableDef } from '../schema/index.js';
import { scoreSum } from './topics.js';
import type { WordSpec } from './words/index.js';

export interface ScoreRequest {
  readonly spec: WordSpec;
  /** The type's canonical table: the columns of the results. */
  readonly table: TableDef;
  /** Relation of the events to score, with every column of `table`. */
  readonly events: string;
  /** Topics K: the columns t0 … t(K−1) of ml_theta and p0 … p(K−1) of ml_phi. */
  readonly topics: number;
  readonly threshold: number;
  readonly maxResults: number;
}

/** Names of the word columns of the results: a flow has one per side. */
export function wordColumns(spec: WordSpec, d: EngineSession['dialect']): string[] {
  return spec.sides(d).length === 1 ? ['word'] : ['src_word', 'dst_word'];
}

/**
 * Scores every event in SQL into the temporary table ml_scored: the event's columns, its word (each side's for a
 * flow) and score = Σ_k θ[doc][k]·φ[k][word], from the session's ml_theta (doc, t0 …) and ml_phi (word, p0 …). A flow
 * scores the lower of its two sides; a word or document the model does not know scores 0, the most suspicious. Kept:
 * the events at or under the threshold, lowest first, at most maxResults; equal scores (the same word in the same
 * document) ordered by time and then every column, the same way every run. Returns how many were kept.
 */
export async function scoreEvents(engine: EngineSession, r: ScoreRequest): Promise<number> {
  const d = engine.dialect;
  const sides = r.spec.sides(d);
  const joins = sides.map((_, i) => `LEFT JOIN ml_theta AS t${i} ON t${i}.doc = w.ml_d${i} LEFT JOIN ml_phi AS p${i} ON p${i}.word = w.ml_w${i}`);
  const sideScores = sides.map((_, i) => `coalesce(${scoreSum(`t${i}`, `p${i}`, r.topics)}, 0)`);
  const sideCols = sides.flatMap((s, i) => [`${s.doc} AS ml_d${i}`, `${s.word} AS ml_w${i}`]);
  const score = sides.length === 1 ? sideScores[0]! : `least(${sideScores.join(', ')})`;
  const names = wordColumns(r.spec, d);
  const columns = r.table.columnNames.map((c) => `w.${d.ident(c)}`);
  await engine.run(
    `CREATE OR REPLACE TEMP TABLE ml_scored AS SELECT ${columns.join(', ')}, ${names.map((n, i) => `w.ml_w${i} AS ${n}`).join(', ')}, ${score} AS score ` +
      `FROM (SELECT *, ${sideCols.join(', ')} FROM ${r.spec.relation(r.events)} AS r) AS w ${joins.join(' ')} ` +
      `WHERE ${score} <= ${Number(r.threshold)} ORDER BY score, ${tieBreak(r.table, d).map((c) => `w.${c}`).join(', ')} LIMIT ${Math.floor(r.maxResults)}`,
  );
  const [row] = await engine.query<{ n: number }>('SELECT count(*) AS n FROM ml_scored');
  return Number(row?.n ?? 0);
}

/** ml_scored with its rank (1 = the lowest score), in rank order: what the results files hold. */
export function rankedResults(table: TableDef, d: EngineSession['dialect']): string {
  return `SELECT *, CAST(row_number() OVER (ORDER BY score, ${tieBreak(table, d).join(', ')}) AS INTEGER) AS rank FROM ml_scored ORDER BY rank`;
}

/** Time, then every other column: a total order on distinct events of equal score. */
function tieBreak(table: TableDef, d: EngineSession['dialect']): string[] {
  return [table.partitionBy, ...table.columnNames.filter((c) => c !== table.partitionBy)].map((c) => d.ident(c));
}
