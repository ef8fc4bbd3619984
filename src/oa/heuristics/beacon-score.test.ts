import { describe, expect, it } from 'vitest';
import { beaconScore, bowley, histogram, madScore, quartiles, type BeaconSettings } from './beacon-score.js';

const RITA: BeaconSettings = {
  tsWeight: 0.25, dsWeight: 0.25, histWeight: 0.25, durWeight: 0.25,
  histModeSensitivity: 0.05, histBimodalOutlierRemoval: 1, histBimodalMinHours: 11, durMinHours: 6, durIdealNumberOfConsistentHours: 12,
};
const intervals = (start: number, gaps: number[]) => gaps.reduce((ts, g) => [...ts, ts[ts.length - 1]! + g], [start]);
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

// The vectors of RITA v5's own unit tests (analysis/beacons_test.go).
describe("RITA's beacon statistics", () => {
  it('quartiles, Bowley skew and MAD as the Go stats package computes them', () => {
    expect(quartiles(sorted([1, 299, 25, 4975, 90, 2, 42, 500, 1500]))).toEqual([13.5, 90, 1000]);
    expect(bowley(sorted([1, 299, 25, 4975, 90, 2, 42, 500, 1500])).skew).toBeCloseTo(0.845, 3);
    expect(madScore(sorted([1, 299, 25, 4975, 90, 2, 42, 500, 1500]), 1)).toEqual({ mad: 89, score: 1 / 90 });
    expect(quartiles([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual([3, 5.5, 8]);
  });

  it('timestamp and data size scores of the published cases', () => {
    const day = [1517338924, 1517338924 + 86_400];
    const score = (ts: number[], bytes = [60, 60, 60, 60]) => beaconScore(ts, bytes, day[0]!, day[1]!, RITA)!;
    expect(score(intervals(1517338924, [60, 60, 60, 60, 60, 60, 60, 60, 60])).ts).toBe(1);
    expect(score(intervals(1517338924, [98, 99, 99, 100, 100, 100, 101, 101, 102]))).toMatchObject({ ts: 0.995, tsSkew: 0, tsMad: 1, tsMode: 100 });
    expect(score(intervals(1517338924, [98, 300, 98, 300, 98, 300, 98, 300, 98, 300]))).toMatchObject({ ts: 0.746, tsMad: 101 });
    const random = score([1517338924, 1517338925, 1517339224, 1517339249, 1517344224, 1517344314, 1517344316, 1517344358, 1517344858, 1517346358]);
    expect(random.ts).toBe(0.083);
    expect(random.tsMad).toBe(89);
    const ts = intervals(1517338924, [60, 60, 60, 60]);
    expect(score(ts, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).ds).toBe(0.773);
    expect(score(ts, [98, 99, 99, 100, 100, 100, 101, 101, 102]).ds).toBe(0.995);
    expect(score(ts, [60, 60, 60, 60, 60, 60, 60, 60, 60]).ds).toBe(1);
    // A median under 1 byte takes the data-size default of 0 for its MAD part.
    expect(score(ts, [0, 0, 0, 0]).ds).toBe(0.5);
  });

  it('is not scored with fewer than 4 timestamps or 3 non-zero intervals', () => {
    expect(beaconScore([1, 2], [1, 1, 1], 0, 100, RITA)).toBeNull();
    expect(beaconScore([60, 60, 60, 60, 60, 60], [1, 1, 1], 0, 100, RITA)).toBeNull();
  });

  it('histogram, duration and the weighted mean over a day', () => {
    const start = 1_700_000_000;
    expect(histogram(0, 240, [0, 5, 10, 239, 240], 24)).toEqual([2, 1, ...new Array(21).fill(0), 2]);
    // Every 5 minutes for a whole day: flat histogram (1 − CV = 1), full coverage.
    const every5 = Array.from({ length: 288 }, (_, i) => start + i * 300);
    const perfect = beaconScore(every5, new Array(288).fill(500), start, start + 86_100, RITA)!;
    expect(perfect).toMatchObject({ ts: 1, ds: 1, hist: 1, dur: 1, score: 1, busyHours: 24 });
    // Business hours only, 09:00–17:00: 8 busy bars, coverage 8/24 of the dataset, run 8/12.
    const office = Array.from({ length: 96 }, (_, i) => start + 9 * 3600 + i * 300);
    const part = beaconScore(office, new Array(96).fill(500), start, start + 86_400, RITA)!;
    expect(part.busyHours).toBe(8);
    expect(part.dur).toBe(Math.max(Math.ceil(((95 * 300) / 86_400) * 1000) / 1000, Math.ceil((8 / 12) * 1000) / 1000));
    expect(part.hist).toBe(0);
    expect(part.score).toBe(Math.round((1 + 1 + part.dur + 0) * 250) / 1000);
  });
});
