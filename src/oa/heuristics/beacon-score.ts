/*
 * RITA v5's beacon score (activecm/rita, analysis/beacons.go), finished from one pair's statistics (beacon-stats.ts
 * computes them in SQL): quartiles and MAD of the non-zero intervals and of the sizes, and the hourly histogram.
 */

import { histogramOf, type PairStats } from './beacon-stats.js';

export interface BeaconSettings {
  readonly tsWeight: number;
  readonly dsWeight: number;
  readonly histWeight: number;
  readonly durWeight: number;
  /** Bars of the hourly histogram within this share of the tallest count fall in one mode (RITA: 0.05). */
  readonly histModeSensitivity: number;
  /** Bars left out as outliers by the bimodal fit (RITA: 1). */
  readonly histBimodalOutlierRemoval: number;
  /** Busy bars from which the bimodal fit is tried (RITA: 11). */
  readonly histBimodalMinHours: number;
  /** Busy bars from which the duration score is computed (RITA: 6). */
  readonly durMinHours: number;
  /** A run of this many busy bars makes consistency 1 (RITA: 12). */
  readonly durIdealNumberOfConsistentHours: number;
}

export interface BeaconScores {
  readonly score: number;
  readonly ts: number;
  readonly ds: number;
  readonly hist: number;
  readonly dur: number;
  readonly tsSkew: number;
  readonly tsMad: number;
  readonly dsSkew: number;
  readonly dsMad: number;
  /** The most common interval between connections, seconds. */
  readonly tsMode: number;
  readonly busyHours: number;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Bowley skewness, forced to 0 when the quartiles are closer than 10 or the median sits on one; score 1 − |skew|. */
export function bowley(q1: number, q2: number, q3: number): { skew: number; score: number } {
  const den = q3 - q1;
  const skew = den >= 10 && q2 !== q1 && q2 !== q3 ? (q1 + q3 - 2 * q2) / den : 0;
  return { skew, score: 1 - Math.abs(skew) };
}

/** (median − MAD) / median, at least 0; `fallback` when the median is under 1. */
export function madScore(median: number, mad: number, fallback: number): number {
  const score = median >= 1 ? (median - mad) / median : fallback;
  return score < 0 || Number.isNaN(score) ? 0 : score;
}

function statScore(q1: number, q2: number, q3: number, mad: number, fallback: number): { score: number; skew: number } {
  const b = bowley(q1, q2, q3);
  return { score: round3((b.score + madScore(q2, mad, fallback)) / 2), skew: b.skew };
}

/** The histogram score (the better of 1 − CV and the bimodal fit), the busy bins and the longest run of them (wrapping). */
export function histogramScores(counts: readonly number[], s: BeaconSettings): { score: number; busy: number; longestRun: number } {
  const busy = counts.filter((c) => c > 0).length;
  const tallest = Math.max(...counts);
  const binSize = Math.max(1, Math.ceil(tallest * s.histModeSensitivity));
  const modes = new Map<number, number>();
  let longestRun = 0;
  let run = 0;
  for (let i = 0; i < counts.length * 2; i++) {
    const c = counts[i % counts.length]!;
    if (c > 0) run++;
    else {
      longestRun = Math.max(longestRun, run);
      run = 0;
    }
    if (i < counts.length && c > 0) {
      const key = Math.floor(c / binSize) * binSize;
      modes.set(key, (modes.get(key) ?? 0) + 1);
    }
  }
  longestRun = Math.min(Math.max(longestRun, run), counts.length);
  const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
  const sd = Math.sqrt(counts.reduce((a, c) => a + (c - mean) ** 2, 0) / counts.length);
  const cv = sd / Math.abs(mean);
  const cvScore = cv > 1 ? 0 : Math.min(1, round3(1 - cv));
  let bimodal = 0;
  if (busy >= s.histBimodalMinHours) {
    let first = 0;
    let second = 0;
    for (const v of modes.values()) {
      if (v > first) [second, first] = [first, v];
      else if (v > second) second = v;
    }
    bimodal = Math.min(1, round3((first + second) / Math.max(busy - s.histBimodalOutlierRemoval, 1)));
  }
  return { score: Math.max(cvScore, bimodal), busy, longestRun };
}

/**
 * The fewest busy bins with which a pair can still score `minScore`, so that SQL drops the others before their
 * intervals and sizes are sorted. With k busy bins of 24, 1 − σ/μ ≤ 1 − √(24/k − 1) ≤ 0 when k ≤ 12 (the counts
 * spread evenly over k bins give the least σ), so the histogram scores 0 unless the bimodal fit is tried
 * (k ≥ histBimodalMinHours); the duration scores 0 under durMinHours. Timestamps and sizes may score 1 each.
 */
export function leastBusyBins(s: BeaconSettings, minScore: number, bins: number): number {
  for (let k = 0; k <= bins; k++) {
    const hist = k > bins / 2 || k >= s.histBimodalMinHours ? s.histWeight : 0;
    const dur = k >= s.durMinHours ? s.durWeight : 0;
    // The score is rounded to 3 decimals: a bound within half a unit of minScore may still round up to it.
    if (s.tsWeight + s.dsWeight + hist + dur + 0.0005 >= minScore) return k;
  }
  return bins + 1;
}

/** The pair's scores from its statistics; [datasetMin, datasetMax] (epoch seconds) is the span its histogram cut. */
export function beaconScore(p: PairStats, datasetMin: number, datasetMax: number, s: BeaconSettings): BeaconScores {
  const ts = statScore(Number(p.ts_q1), Number(p.ts_q2), Number(p.ts_q3), Number(p.ts_mad), 1);
  const ds = statScore(Number(p.ds_q1), Number(p.ds_q2), Number(p.ds_q3), Number(p.ds_mad), 0);
  const hist = histogramScores(histogramOf(p), s);
  const first = Number(p.first_s);
  const last = Number(p.last_s);
  let dur = 0;
  if (hist.busy >= s.durMinHours && last > first && datasetMax > datasetMin) {
    const coverage = Math.min(1, Math.ceil(((last - first) / (datasetMax - datasetMin)) * 1000) / 1000);
    const consistency = Math.min(1, Math.ceil((hist.longestRun / s.durIdealNumberOfConsistentHours) * 1000) / 1000);
    dur = Math.max(coverage, consistency);
  }
  const score = round3(ts.score * s.tsWeight + ds.score * s.dsWeight + dur * s.durWeight + hist.score * s.histWeight);
  return {
    score, ts: ts.score, ds: ds.score, hist: hist.score, dur,
    tsSkew: ts.skew, tsMad: Number(p.ts_mad), dsSkew: ds.skew, dsMad: Number(p.ds_mad), tsMode: Number(p.ts_mode), busyHours: hist.busy,
  };
}
