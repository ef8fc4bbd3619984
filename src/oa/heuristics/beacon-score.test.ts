import { describe, expect, it } from 'vitest';
import type { Engine } from '../../engine/index.js';
import { beaconScore, bowley, histogramScores, leastBusyBins, madScore, type BeaconSettings } from './beacon-score.js';
import { histogramOf, pairStatsSql, type PairStats } from './beacon-stats.js';
import { withEngine } from './sql-fixtures.js';

const RITA: BeaconSettings = {
  tsWeight: 0.25, dsWeight: 0.25, histWeight: 0.25, durWeight: 0.25,
  histModeSensitivity: 0.05, histBimodalOutlierRemoval: 1, histBimodalMinHours: 11, durMinHours: 6, durIdealNumberOfConsistentHours: 12,
};
const T0 = 1517338924;
const DAY: [number, number] = [T0, T0 + 86_400];
const intervals = (start: number, gaps: number[]) => gaps.reduce((ts, g) => [...ts, ts[ts.length - 1]! + g], [start]);
const every60 = (n: number) => Array.from({ length: n }, (_, i) => T0 + i * 60);

let engine: Engine;
/** A test body with `engine` open on a temporary lake. */
const inSql = (body: () => Promise<void>) => () => withEngine(async (e) => {
  engine = e;
  await body();
});

let tables = 0;
/** One pair's statistics, computed by the SQL, from start times (epoch seconds) and sizes (one per connection). */
async function stats(ts: readonly number[], bytes: readonly number[] = ts.map(() => 60), [lo, hi] = DAY): Promise<PairStats | undefined> {
  const name = `beacon_events_${tables++}`;
  const rows = ts.map((t, i) => ['10.0.0.5', '203.0.113.9', new Date(t * 1000), bytes[i]!]);
  await engine.registerTable(name, [{ name: 'entity', type: 'text' }, { name: 'peer', type: 'text' }, { name: 't', type: 'timestamp' }, { name: 'bytes', type: 'double' }], rows);
  const [row] = await engine.query<PairStats>(pairStatsSql(engine.dialect, `SELECT entity, peer, t, bytes FROM ${name}`, lo, hi, 86_400));
  return row;
}
const score = async (ts: readonly number[], bytes?: readonly number[], span = DAY) => beaconScore((await stats(ts, bytes, span))!, span[0], span[1], RITA);

// The vectors of RITA v5's own unit tests (analysis/beacons_test.go).
describe("RITA's beacon statistics, in SQL", () => {
  it('quartiles, Bowley skew and MAD as the Go stats package computes them', inSql(async () => {
    const odd = (await stats(every60(9), [1, 299, 25, 4975, 90, 2, 42, 500, 1500]))!;
    expect([odd.ds_q1, odd.ds_q2, odd.ds_q3, odd.ds_mad, Number(odd.ds_n)]).toEqual([13.5, 90, 1000, 89, 9]);
    expect(bowley(13.5, 90, 1000).skew).toBeCloseTo(0.845, 3);
    expect(madScore(90, 89, 1)).toBe(1 / 90);
    const even = (await stats(every60(10), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))!;
    expect([even.ds_q1, even.ds_q2, even.ds_q3, even.ds_mad]).toEqual([3, 5.5, 8, 2.5]);
  }));

  it('timestamp and data size scores of the published cases', inSql(async () => {
    expect((await score(intervals(T0, [60, 60, 60, 60, 60, 60, 60, 60, 60]))).ts).toBe(1);
    expect(await score(intervals(T0, [98, 99, 99, 100, 100, 100, 101, 101, 102]))).toMatchObject({ ts: 0.995, tsSkew: 0, tsMad: 1, tsMode: 100 });
    expect(await score(intervals(T0, [98, 300, 98, 300, 98, 300, 98, 300, 98, 300]))).toMatchObject({ ts: 0.746, tsMad: 101 });
    const random = await score([T0, T0 + 1, T0 + 300, T0 + 325, T0 + 5300, T0 + 5390, T0 + 5392, T0 + 5434, T0 + 5934, T0 + 7434]);
    expect([random.ts, random.tsMad]).toEqual([0.083, 89]);
    expect((await score(every60(10), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).ds).toBe(0.773);
    expect((await score(every60(9), [98, 99, 99, 100, 100, 100, 101, 101, 102])).ds).toBe(0.995);
    expect((await score(every60(9), [60, 60, 60, 60, 60, 60, 60, 60, 60])).ds).toBe(1);
    // A median under 1 byte takes the data-size default of 0 for its MAD part.
    expect((await score(every60(4), [0, 0, 0, 0])).ds).toBe(0.5);
  }));

  it('is not scored with fewer than 4 distinct seconds (so always with 3 non-zero intervals)', inSql(async () => {
    expect(await stats([T0, T0 + 60, T0 + 120])).toBeUndefined();
    expect(await stats([T0, T0, T0 + 60, T0 + 60, T0 + 120, T0 + 120])).toBeUndefined();
    // Repeated seconds count as connections and as zero intervals in the mode, not in the interval statistics.
    expect(await stats([T0, T0, T0, T0 + 60, T0 + 60, T0 + 60, T0 + 60, T0 + 120, T0 + 180])).toMatchObject({ n: 9, ts_n: 3, ts_mode: 0, ts_q2: 60 });
    // The mode is the smallest of the most common intervals: 30 and 90 twice each → 30; two zeros against two 30s → 0.
    expect(await stats(intervals(T0, [90, 30, 90, 30]))).toMatchObject({ n: 5, ts_mode: 30 });
    expect(await stats([T0, T0, T0 + 30, T0 + 30, T0 + 60, T0 + 150])).toMatchObject({ n: 6, ts_n: 3, ts_mode: 0 });
    expect(await stats([T0, T0 + 30, T0 + 30, T0 + 60, T0 + 90, T0 + 180])).toMatchObject({ n: 6, ts_n: 4, ts_mode: 30 });
  }));

  it('histogram, duration and the weighted mean over a day', inSql(async () => {
    // 24 bins of 10 s over [0, 240]: a start on a cut goes to the later bin, the end to the last.
    expect(histogramOf((await stats([0, 5, 10, 239, 240], undefined, [0, 240]))!)).toEqual([2, 1, ...new Array(21).fill(0), 2]);
    // Every 5 minutes for a whole day: flat histogram (1 − CV = 1), full coverage.
    const every5 = Array.from({ length: 288 }, (_, i) => T0 + i * 300);
    expect(await score(every5, new Array(288).fill(500), [T0, T0 + 86_100])).toMatchObject({ ts: 1, ds: 1, hist: 1, dur: 1, score: 1, busyHours: 24 });
    // Business hours only, 09:00–17:00: 8 busy bins, coverage 95 · 300 s of the day, a run of 8 of 12.
    const office = Array.from({ length: 96 }, (_, i) => T0 + 9 * 3600 + i * 300);
    const part = await score(office, new Array(96).fill(500));
    expect(part).toMatchObject({ busyHours: 8, hist: 0, dur: Math.ceil((8 / 12) * 1000) / 1000 });
    expect(part.score).toBe(Math.round((1 + 1 + part.dur + 0) * 250) / 1000);
  }));

  it('the bimodal fit: bins busy at two levels', inSql(async () => {
    // 12 bins with 10 connections, 12 with 30: CV = 0.5, both levels are one mode each → (12 + 12) / (24 − 1) capped at 1.
    const ts = Array.from({ length: 24 }, (_, h) => Array.from({ length: h % 2 ? 30 : 10 }, (_, i) => T0 + h * 3600 + i * 60)).flat();
    const s = await score(ts, ts.map(() => 100));
    expect(s.hist).toBe(1);
    expect(s.busyHours).toBe(24);
  }));

  it('the fewest busy bins that can still reach the minimum score, which the SQL keeps', inSql(async () => {
    // Up to 12 busy bins of 24 the histogram scores 0 even when their counts are equal; the bimodal fit starts at 11.
    for (let k = 1; k <= 10; k++) expect(histogramScores([...new Array(k).fill(7), ...new Array(24 - k).fill(0)], RITA).score).toBe(0);
    // Defaults (minScore 0.7): 5 bins can reach 0.5 (timestamps and sizes), 6 reach 0.75 with the duration.
    expect(leastBusyBins(RITA, 0.7, 24)).toBe(6);
    expect(leastBusyBins(RITA, 0.8, 24)).toBe(11);
    expect(leastBusyBins(RITA, 0.5, 24)).toBe(0);
    expect(leastBusyBins({ ...RITA, tsWeight: 0.1, dsWeight: 0.1, histWeight: 0.1, durWeight: 0.7 }, 0.9, 24)).toBe(6);
    // Starts in 5 bins: not even computed at minBusy 6; in 6 bins, computed.
    const name = 'beacon_busy';
    const five = Array.from({ length: 50 }, (_, i) => T0 + Math.floor(i / 10) * 3600 + (i % 10) * 60);
    const six = Array.from({ length: 60 }, (_, i) => T0 + Math.floor(i / 10) * 3600 + (i % 10) * 60);
    const rows = [...five.map((t) => ['10.0.0.5', 'five.example', new Date(t * 1000), 60]), ...six.map((t) => ['10.0.0.5', 'six.example', new Date(t * 1000), 60])];
    await engine.registerTable(name, [{ name: 'entity', type: 'text' }, { name: 'peer', type: 'text' }, { name: 't', type: 'timestamp' }, { name: 'bytes', type: 'double' }], rows);
    const peers = async (minBusy: number) =>
      (await engine.query<PairStats>(pairStatsSql(engine.dialect, `SELECT entity, peer, t, bytes FROM ${name}`, DAY[0], DAY[1], 86_400, minBusy))).map((p) => p.peer).sort();
    expect(await peers(0)).toEqual(['five.example', 'six.example']);
    expect(await peers(6)).toEqual(['six.example']);
  }));
});
