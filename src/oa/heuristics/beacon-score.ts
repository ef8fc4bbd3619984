/*
 * RITA v5's beacon score (activecm/rita, analysis/beacons.go), computed on one pair's connection start times (whole
 * seconds) and originator byte counts. The statistics follow the Go `stats` package RITA uses: medians average the
 * two middle values, quartiles are the medians of the lower and upper halves (the median itself left out of both
 * when the count is odd), MAD is the median of absolute deviations from the median.
 */

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

export function median(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const m = n >> 1;
  return n % 2 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
}

export function quartiles(sorted: readonly number[]): [number, number, number] {
  const n = sorted.length;
  const [c1, c2] = n % 2 === 0 ? [n / 2, n / 2] : [(n - 1) / 2, (n - 1) / 2 + 1];
  return [median(sorted.slice(0, c1)), median(sorted), median(sorted.slice(c2))];
}

/** Bowley skewness, forced to 0 when the quartiles are closer than 10 or the median sits on one; score 1 − |skew|. */
export function bowley(sorted: readonly number[]): { skew: number; score: number } {
  const [q1, q2, q3] = quartiles(sorted);
  const den = q3 - q1;
  const skew = den >= 10 && q2 !== q1 && q2 !== q3 ? (q1 + q3 - 2 * q2) / den : 0;
  return { skew, score: 1 - Math.abs(skew) };
}

/** Median absolute deviation and (median − MAD) / median, at least 0; `fallback` when the median is under 1. */
export function madScore(sorted: readonly number[], fallback: number): { mad: number; score: number } {
  const m = median(sorted);
  const mad = median(sorted.map((x) => Math.abs(x - m)).sort((a, b) => a - b));
  let score = m >= 1 ? (m - mad) / m : fallback;
  if (score < 0 || Number.isNaN(score)) score = 0;
  return { mad, score };
}

function statScore(sorted: readonly number[], fallback: number): { score: number; skew: number; mad: number } {
  const b = bowley(sorted);
  const m = madScore(sorted, fallback);
  return { score: round3((b.score + m.score) / 2), skew: b.skew, mad: m.mad };
}

/** The histogram of connections over `bins` equal slices of [datasetMin, datasetMax], as RITA bins it. */
export function histogram(datasetMin: number, datasetMax: number, sortedTs: readonly number[], bins = 24): number[] {
  const step = (datasetMax - datasetMin) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === 0 ? datasetMin : i === bins ? datasetMax : datasetMin + i * step));
  const counts = new Array<number>(bins).fill(0);
  let bin = 0;
  let next = edges[1]!;
  for (const t of sortedTs) {
    if (t < next) {
      counts[bin]!++;
      continue;
    }
    for (let j = bin + 1; j < bins; j++) {
      bin = j;
      next = edges[j + 1]!;
      if (t < edges[j + 1]!) break;
    }
    counts[bin]!++;
  }
  return counts;
}

function histogramScores(counts: readonly number[], s: BeaconSettings): { score: number; busy: number; longestRun: number } {
  const busy = counts.filter((c) => c > 0).length;
  const tallest = Math.max(...counts);
  const binSize = Math.ceil(tallest * s.histModeSensitivity);
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
  const minHours = s.histBimodalMinHours < 6 ? 11 : s.histBimodalMinHours;
  if (busy >= minHours) {
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
 * The pair's scores, or null when RITA would not score it: fewer than 4 timestamps, fewer than 3 non-zero intervals,
 * fewer than 3 sizes, or an empty dataset span.
 */
export function beaconScore(timestamps: readonly number[], bytes: readonly number[], datasetMin: number, datasetMax: number, s: BeaconSettings): BeaconScores | null {
  if (timestamps.length < 4 || bytes.length < 3 || datasetMax <= datasetMin) return null;
  const ts = [...timestamps].sort((a, b) => a - b);
  const deltas = ts.slice(1).map((t, i) => t - ts[i]!).sort((a, b) => a - b);
  const nonZero = deltas.filter((x) => x > 0);
  if (nonZero.length < 3) return null;
  const tsStat = statScore(nonZero, 1);
  const dsStat = statScore([...bytes].sort((a, b) => a - b), 0);
  const counts = new Map<number, number>();
  for (const x of deltas) counts.set(x, (counts.get(x) ?? 0) + 1);
  let tsMode = deltas[0]!;
  for (const [x, c] of counts) if (c > counts.get(tsMode)!) tsMode = x;
  const hist = histogramScores(histogram(datasetMin, datasetMax, ts), s);
  let dur = 0;
  const first = ts[0]!;
  const last = ts[ts.length - 1]!;
  if (hist.busy >= s.durMinHours && last > first) {
    const coverage = Math.min(1, Math.ceil(((last - first) / (datasetMax - datasetMin)) * 1000) / 1000);
    const consistency = Math.min(1, Math.ceil((hist.longestRun / s.durIdealNumberOfConsistentHours) * 1000) / 1000);
    dur = Math.max(coverage, consistency);
  }
  const score = round3(tsStat.score * s.tsWeight + dsStat.score * s.dsWeight + dur * s.durWeight + hist.score * s.histWeight);
  return {
    score, ts: tsStat.score, ds: dsStat.score, hist: hist.score, dur,
    tsSkew: tsStat.skew, tsMad: tsStat.mad, dsSkew: dsStat.skew, dsMad: dsStat.mad, tsMode, busyHours: hist.busy,
  };
}
