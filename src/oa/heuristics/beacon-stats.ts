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

/**
 * CTEs <p>_q (pid, n, q1, q2, q3) and <p>_m (pid, mad) over a relation (pid, v): one sort ranks the values for the
 * quartiles; MAD is the median aggregate of the distances to Q2 (it too averages the two middle values), which needs
 * no second ranking.
 */
function quartileCtes(p: string, values: string): string[] {
  return [
    `${p}_r AS (SELECT pid, v, row_number() OVER (PARTITION BY pid ORDER BY v) AS i, count(*) OVER (PARTITION BY pid) AS n FROM (${values}) AS x)`,
    `${p}_q AS (SELECT pid, max(n) AS n, ${median('0', 'floor(n / 2)')} AS q1, ${median('0', 'n')} AS q2, ${median('n - floor(n / 2)', 'floor(n / 2)')} AS q3 FROM ${p}_r GROUP BY pid)`,
    `${p}_m AS (SELECT r.pid, median(abs(r.v - q.q2)) AS mad FROM ${p}_r AS r JOIN ${p}_q AS q ON q.pid = r.pid GROUP BY r.pid)`,
  ];
}

/**
 * One row per pair (PairStats) of `events` (SELECT entity, peer, t timestamp, bytes …): pairs with at least 4
 * distinct start seconds, fewer than `strobe` connections, starts in at least `minBusy` bins (leastBusyBins: the others
 * cannot reach the minimum score), at least 3 non-zero intervals and 3 sizes. The histogram cuts [lo, hi] (epoch
 * seconds of the dataset) into 24 equal bins; a start on a cut goes to the later bin, hi to the last.
 *
 * Cost: the events are grouped once by pair and second (`sec`), which selects the pairs; each kept pair gets a number
 * (pid), so that the sorts that follow compare integers, not addresses and names (a pair busy in minBusy bins has as
 * many distinct seconds at least, which selects before the bins are counted). The non-zero intervals are the gaps
 * between a pair's distinct seconds (one sort); the zero intervals are the repeats within a second, counted, not
 * listed. One sort ranks the intervals and one the sizes. The most common interval is the non-zero one with the most
 * repeats (the smallest of equals), unless the zero intervals are at least as many.
 */
export function pairStatsSql(d: Dialect, events: string, lo: number, hi: number, strobe: number, minBusy = 0): string {
  const seconds = `CAST(floor(${d.epochMicros('e.t')} / 1000000) AS BIGINT)`;
  const bin = `greatest(0, least(${HISTOGRAM_BINS - 1}, CAST(floor(${HISTOGRAM_BINS} * (s - ${num(lo)}) / ${num(hi - lo)}) AS BIGINT)))`;
  const bins = Array.from({ length: HISTOGRAM_BINS }, (_, i) => `sum(CASE WHEN b = ${i} THEN c ELSE 0 END) AS h${i}`).join(', ');
  const samePair = (a: string) => `${a}.entity = p.entity AND ${a}.peer = p.peer`;
  const ctes = [
    `ev AS (SELECT e.entity, e.peer, ${seconds} AS s, CAST(e.bytes AS DOUBLE) AS bytes FROM (${events}) AS e WHERE e.entity IS NOT NULL AND e.peer IS NOT NULL)`,
    `sec AS (SELECT entity, peer, s, count(*) AS c FROM ev GROUP BY entity, peer, s)`,
    `pairs AS (SELECT row_number() OVER (ORDER BY entity, peer) AS pid, entity, peer, n, nd, first_s, last_s FROM ` +
      `(SELECT entity, peer, sum(c) AS n, count(*) AS nd, min(s) AS first_s, max(s) AS last_s FROM sec GROUP BY entity, peer HAVING count(*) >= ${num(Math.max(4, minBusy))} AND sum(c) < ${num(strobe)}) AS x)`,
    `ps AS (SELECT p.pid, s.s, s.c, ${bin} AS b FROM sec AS s JOIN pairs AS p ON ${samePair('s')})`,
    `hist AS (SELECT pid, ${bins} FROM (SELECT pid, b, sum(c) AS c FROM ps GROUP BY pid, b) AS x GROUP BY pid HAVING count(*) >= ${num(minBusy)})`,
    `iv AS (SELECT pid, x FROM (SELECT pid, s - lag(s) OVER (PARTITION BY pid ORDER BY s) AS x FROM ps WHERE pid IN (SELECT pid FROM hist)) AS y WHERE x IS NOT NULL)`,
    // Order by the repeats, then the smaller interval: max_by of repeats · 2^32 − interval (intervals are under 2^32 s).
    `mo AS (SELECT pid, max(k) AS k, max_by(x, k * 4294967296 - x) AS x FROM (SELECT pid, x, count(*) AS k FROM iv GROUP BY pid, x) AS y GROUP BY pid)`,
    ...quartileCtes('ts', `SELECT pid, CAST(x AS DOUBLE) AS v FROM iv`),
    ...quartileCtes('ds', `SELECT p.pid, e.bytes AS v FROM ev AS e JOIN pairs AS p ON ${samePair('e')} WHERE e.bytes IS NOT NULL AND p.pid IN (SELECT pid FROM hist)`),
  ];
  const hist = Array.from({ length: HISTOGRAM_BINS }, (_, i) => `h.h${i}`).join(', ');
  const join = (alias: string, table: string) => `JOIN ${table} AS ${alias} ON ${alias}.pid = p.pid`;
  return (
    `WITH ${ctes.join(',\n')}\n` +
    `SELECT p.entity, p.peer, p.n, p.first_s, p.last_s, ${hist}, tq.n AS ts_n, tq.q1 AS ts_q1, tq.q2 AS ts_q2, tq.q3 AS ts_q3, tm.mad AS ts_mad, ` +
    `CASE WHEN p.n - p.nd >= mo.k THEN 0 ELSE mo.x END AS ts_mode, dq.n AS ds_n, dq.q1 AS ds_q1, dq.q2 AS ds_q2, dq.q3 AS ds_q3, dm.mad AS ds_mad ` +
    `FROM pairs AS p ${join('h', 'hist')} ${join('tq', 'ts_q')} ${join('tm', 'ts_m')} ${join('mo', 'mo')} ${join('dq', 'ds_q')} ${join('dm', 'ds_m')} ` +
    `WHERE tq.n >= 3 AND dq.n >= 3`
  );
}
