import { describe, expect, it } from 'vitest';
import { Random } from './random.js';

const draws = (r: Random, n: number) => Array.from({ length: n }, () => r.next());

describe('Random', () => {
  it('gives the same numbers for the same cell, after any number of draws elsewhere', () => {
    const a = new Random(42, 3, 7);
    const b = new Random(1);
    draws(b, 1000);
    b.reset(42, 3, 7);
    expect(draws(b, 20)).toEqual(draws(a, 20));
  });

  it('gives different numbers for a different seed, stream or index, seeds above 2³² included', () => {
    const first = (seed: number, stream: number, index: number) => draws(new Random(seed, stream, index), 4).join();
    const cells = [first(42, 3, 7), first(43, 3, 7), first(42, 4, 7), first(42, 3, 8), first(42 + 2 ** 32, 3, 7)];
    expect(new Set(cells).size).toBe(cells.length);
  });

  it('draws uniforms in [0, 1) with mean 1/2', () => {
    const r = new Random(5);
    let sum = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = r.float();
      min = Math.min(min, u);
      max = Math.max(max, u);
      sum += u;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(Math.abs(sum / 100_000 - 0.5)).toBeLessThan(0.005);
  });

  it.each([
    [100, 0.01], // scikit-learn's initial λ and γ: mean 1, variance 0.01
    [0.1, 1], // a sparse Dirichlet component: mean 0.1, variance 0.1
  ])('draws Gamma(%d, scale %d) with the right mean and variance', (shape, scale) => {
    const r = new Random(9);
    const n = 200_000;
    let sum = 0;
    let squares = 0;
    let min = Infinity;
    for (let i = 0; i < n; i++) {
      const g = r.gamma(shape) * scale;
      min = Math.min(min, g);
      sum += g;
      squares += g * g;
    }
    const mean = sum / n;
    const variance = squares / n - mean * mean;
    expect(min).toBeGreaterThan(0);
    expect(Math.abs(mean / (shape * scale) - 1)).toBeLessThan(0.01);
    expect(Math.abs(variance / (shape * scale * scale) - 1)).toBeLessThan(0.03);
  });
});
