import { Sfc32 } from '../../shared/sfc32.js';

/**
 * A seeded generator (sfc32) keyed by numbers rather than by a running stream: `reset(seed,
 * stream, index)` gives the numbers of one (seed, stream, index) cell, so a worker can draw a
 * document's initial topic weights for any iteration without the draws of the documents before
 * it. That keeps fits identical whatever the split of documents between threads, and lets one
 * instance be reused per document with no allocation. (src/generate's Prng is string-keyed, too
 * slow to re-key for every document.)
 */
export class Random extends Sfc32 {
  #spare = NaN;

  constructor(seed: number, stream = 0, index = 0) {
    super();
    this.reset(seed, stream, index);
  }

  /** Restart at the cell (seed, stream, index); seed is any safe integer, stream and index below 2³². */
  reset(seed: number, stream: number, index: number): void {
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    const a = mix(lo ^ 0x9e3779b9);
    this.setState(a, mix(hi ^ mix(stream ^ 0x85ebca6b)), mix(index ^ mix(a ^ 0xc2b2ae35)), 1);
    this.#spare = NaN;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  float(): number {
    return ((this.next() >>> 5) * 67108864 + (this.next() >>> 6)) / 9007199254740992;
  }

  /** Standard normal (Box–Muller, the second value of each pair kept for the next call). */
  normal(): number {
    if (this.#spare === this.#spare) {
      const z = this.#spare;
      this.#spare = NaN;
      return z;
    }
    const r = Math.sqrt(-2 * Math.log(1 - this.float()));
    const angle = 2 * Math.PI * this.float();
    this.#spare = r * Math.sin(angle);
    return r * Math.cos(angle);
  }

  /** Gamma(shape, scale 1) by Marsaglia and Tsang; shapes below 1 through Gamma(shape + 1)·U^(1/shape). */
  gamma(shape: number): number {
    if (shape < 1) return this.gamma(shape + 1) * Math.pow(1 - this.float(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = this.normal();
      let v = 1 + c * x;
      if (v <= 0) continue;
      v = v * v * v;
      const u = this.float();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }
}

/** murmur3's 32-bit finaliser: every input bit moves every output bit. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}
