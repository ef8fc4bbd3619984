import { describe, expect, it } from 'vitest';
import { Prng, WeightedPicker } from './prng.js';

const draws = (p: Prng, n: number) => Array.from({ length: n }, () => p.next());
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('Prng', () => {
  it('gives the same numbers for the same seed, pinned so that datasets stay reproducible across releases', () => {
    expect(draws(Prng.fromSeed(42), 3)).toEqual([1825915958, 3045626268, 4035046024]);
    expect(draws(Prng.fromSeed(42), 100)).toEqual(draws(Prng.fromSeed(42), 100));
    expect(draws(Prng.fromSeed(43), 3)).not.toEqual(draws(Prng.fromSeed(42), 3));
  });

  it('forks streams from the seed and the label only, never from what the parent drew', () => {
    const a = Prng.fromSeed(42);
    const b = Prng.fromSeed(42);
    draws(b, 1000);
    expect(draws(a.fork('web-browsing'), 5)).toEqual(draws(b.fork('web-browsing'), 5));
    expect(a.fork('web-browsing').next()).toBe(1962803207);
    expect(a.fork('web-browsing').next()).not.toBe(a.fork('mail').next());
    expect(a.fork('x').fork('y').key).toBe('seed:42/x/y');
  });

  it('keeps integers in their inclusive range and reaches both ends', () => {
    const p = Prng.fromSeed(1);
    const seen = new Set(Array.from({ length: 2000 }, () => p.int(3, 7)));
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
    const f = Array.from({ length: 2000 }, () => p.float());
    expect(Math.min(...f)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...f)).toBeLessThan(1);
  });

  it('draws distributions with the requested centre', () => {
    const p = Prng.fromSeed(7);
    const n = 20_000;
    expect(mean(Array.from({ length: n }, () => p.poisson(3.5)))).toBeCloseTo(3.5, 1);
    expect(mean(Array.from({ length: n }, () => p.poisson(400)))).toBeCloseTo(400, -1);
    expect(mean(Array.from({ length: n }, () => p.exponential(250)))).toBeGreaterThan(240);
    expect(mean(Array.from({ length: n }, () => p.exponential(250)))).toBeLessThan(260);
    const normals = Array.from({ length: n }, () => p.normal(10, 2));
    expect(mean(normals)).toBeCloseTo(10, 1);
    const sd = Math.sqrt(mean(normals.map((x) => (x - 10) ** 2)));
    expect(sd).toBeCloseTo(2, 1);
    const sizes = Array.from({ length: n }, () => p.lognormal(1000, 1.5)).sort((a, b) => a - b);
    const median = sizes[n / 2]!;
    expect(median).toBeGreaterThan(950);
    expect(median).toBeLessThan(1050);
    expect(p.poisson(0)).toBe(0);
  });

  it('samples distinct items and picks only from the list', () => {
    const p = Prng.fromSeed(3);
    const s = p.sample([1, 2, 3, 4, 5, 6], 4);
    expect(new Set(s).size).toBe(4);
    expect(s.every((x) => x >= 1 && x <= 6)).toBe(true);
    expect(p.sample([1, 2], 5).sort()).toEqual([1, 2]);
    expect(() => p.pick([])).toThrow('empty');
  });
});

describe('WeightedPicker', () => {
  it('picks in proportion to the weights and never picks a zero weight', () => {
    const picker = new WeightedPicker([
      ['a', 1],
      ['b', 3],
      ['never', 0],
    ] as const);
    const p = Prng.fromSeed(9);
    const counts = { a: 0, b: 0, never: 0 };
    for (let i = 0; i < 40_000; i++) counts[picker.pick(p)]++;
    expect(counts.never).toBe(0);
    expect(counts.b / counts.a).toBeGreaterThan(2.85);
    expect(counts.b / counts.a).toBeLessThan(3.15);
    expect(() => new WeightedPicker([['x', 0]])).toThrow('sum to zero');
  });
});
