import type { Dialect } from '../../engine/index.js';
import { num } from './sql.js';

/*
 * The per-pair statistics of RITA's beacon score, in SQL: what the score needs of a pair's connections, reduced to a
 * few numbers so that only one row per pair reaches TypeScript (beacon-score.ts finishes it).
 *
 * Quartiles as Go's `stats` package (RITA's) computes them: the median averages the two middle values; Q1 and Q3 are
 * the medians of the lower and upper halves, the median itself left out of both when the count is odd. With rows
 * ranked i = 1…n in a pair, the median of the k values after offset o averages ranks o + ⌊(k+1)/2⌋ and o + ⌊(k+2)/2⌋;
 * the halves hold h = ⌊n/2⌋ values, the upper one after offset n − h. MAD is the median of |x − median|.
 */

export const HISTOGRAM_BINS = 24;

/** One pair's statistics, as pairStatsSql returns them (numbers may arrive as bigint). */
export type PairStats = {
  readonly entity: string;
  readonly peer: string;
  /** Connections, and the first and last start (epoch seconds). */
  readonly n: number;
  readonly first_s: number;
  readonly last_s: number;
  /** Non-zero intervals between consecutive starts: count, quartiles, MAD. */
  readonly ts_n: number;
  readonly ts_q1: number;
  readonly ts_q2: number;
  readonly ts_q3: number;
  readonly ts_mad: number;
  /** The most common interval (zero included, the smallest of equals), seconds. */
  readonly ts_mode: number;
  /** Sizes: count, quartiles, MAD. */
  readonly ds_n: number;
  readonly ds_q1: number;
  readonly ds_q2: number;
  readonly ds_q3: number;
  readonly ds_mad: number;
  /** Starts per bin: h0 … h23. */
  readonly [bin: `h${number}`]: number;
};

/** Columns h0 … h23 of a PairStats row, as numbers. */
export const histogramOf = (p: PairStats): number[] => Array.from({ length: HISTOGRAM_BINS }, (_, i) => Number(p[`h${i}`]));

const median = (offset: string, k: string) =>
  `avg(CASE WHEN i = ${offset} + floor((${k} + 1) / 2) OR i = ${offset} + floor((${k} + 2) / 2) THEN v END)`;
const samePair = (a: string, b: string) => `${a}.entity = ${b}.entity AND ${a}.peer = ${b}.peer`;

/** CTEs <p>_q (entity, peer, n, q1, q2, q3) and <p>_m (entity, peer, mad) over a relation (entity, peer, v). */
function quartileCtes(p: string, values: string): string[] {
  const ranked = (from: string) => `SELECT entity, peer, v, row_number() OVER (PARTITION BY entity, peer ORDER BY v) AS i, count(*) OVER (PARTITION BY entity, peer) AS n FROM ${from}`;
  return [
    `${p}_r AS (${ranked(`(${values}) AS x`)})`,
    `${p}_q AS (SELECT entity, peer, max(n) AS n, ${median('0', 'floor(n / 2)')} AS q1, ${median('0', 'n')} AS q2, ${median('n - floor(n / 2)', 'floor(n / 2)')} AS q3 FROM ${p}_r GROUP BY entity, peer)`,
    `${p}_d AS (${ranked(`(SELECT r.entity, r.peer, abs(r.v - q.q2) AS v FROM ${p}_r AS r JOIN ${p}_q AS q ON ${samePair('r', 'q')}) AS x`)})`,
    `${p}_m AS (SELECT entity, peer, ${median('0', 'n')} AS mad FROM ${p}_d GROUP BY entity, peer)`,
  ];
}

/**
 * One row per pair (PairStats) of `events` (SELECT entity, peer, t timestamp, bytes …): pairs with at least 4
 * distinct start seconds, fewer than `strobe` connections, at least 3 non-zero intervals and 3 sizes. The histogram
 * cuts [lo, hi] (epoch seconds of the dataset) into 24 equal bins; a start on a cut goes to the later bin, hi to the last.
 */
export function pairStatsSql(d: Dialect, events: string, lo: number, hi: number, strobe: number): string {
  const seconds = `CAST(floor(${d.epochMicros('e.t')} / 1000000) AS BIGINT)`;
  const bin = `greatest(0, least(${HISTOGRAM_BINS - 1}, CAST(floor(${HISTOGRAM_BINS} * (s - ${num(lo)}) / ${num(hi - lo)}) AS BIGINT)))`;
  const bins = Array.from({ length: HISTOGRAM_BINS }, (_, i) => `sum(CASE WHEN b = ${i} THEN 1 ELSE 0 END) AS h${i}`).join(', ');
  const ctes = [
    `ev AS (SELECT entity, peer, s, bytes, ${bin} AS b FROM (SELECT e.entity, e.peer, ${seconds} AS s, CAST(e.bytes AS DOUBLE) AS bytes FROM (${events}) AS e WHERE e.entity IS NOT NULL AND e.peer IS NOT NULL) AS x)`,
    `pairs AS (SELECT entity, peer, count(*) AS n, min(s) AS first_s, max(s) AS last_s, ${bins} FROM ev GROUP BY entity, peer ` +
      `HAVING count(DISTINCT s) >= 4 AND count(*) < ${num(strobe)})`,
    `pe AS (SELECT e.entity, e.peer, e.s, e.bytes FROM ev AS e JOIN pairs AS p ON ${samePair('e', 'p')})`,
    `iv AS (SELECT entity, peer, s - lag(s) OVER (PARTITION BY entity, peer ORDER BY s) AS x FROM pe)`,
    `mo AS (SELECT entity, peer, x, row_number() OVER (PARTITION BY entity, peer ORDER BY count(*) DESC, x) AS k FROM iv WHERE x IS NOT NULL GROUP BY entity, peer, x)`,
    ...quartileCtes('ts', `SELECT entity, peer, CAST(x AS DOUBLE) AS v FROM iv WHERE x > 0`),
    ...quartileCtes('ds', `SELECT entity, peer, bytes AS v FROM pe WHERE bytes IS NOT NULL`),
  ];
  const hist = Array.from({ length: HISTOGRAM_BINS }, (_, i) => `p.h${i}`).join(', ');
  return (
    `WITH ${ctes.join(',\n')}\n` +
    `SELECT p.entity, p.peer, p.n, p.first_s, p.last_s, ${hist}, tq.n AS ts_n, tq.q1 AS ts_q1, tq.q2 AS ts_q2, tq.q3 AS ts_q3, tm.mad AS ts_mad, mo.x AS ts_mode, ` +
    `dq.n AS ds_n, dq.q1 AS ds_q1, dq.q2 AS ds_q2, dq.q3 AS ds_q3, dm.mad AS ds_mad FROM pairs AS p ` +
    `JOIN ts_q AS tq ON ${samePair('tq', 'p')} JOIN ts_m AS tm ON ${samePair('tm', 'p')} JOIN mo ON ${samePair('mo', 'p')} AND mo.k = 1 ` +
    `JOIN ds_q AS dq ON ${samePair('dq', 'p')} JOIN ds_m AS dm ON ${samePair('dm', 'p')} WHERE tq.n >= 3 AND dq.n >= 3`
  );
}
