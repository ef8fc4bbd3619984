import { describe, expect, it } from 'vitest';
import { digamma, lgamma } from './special-functions.js';

// [x, ψ(x), log Γ(x)] from scipy.special 1.17 (psi, gammaln).
const REFERENCE: readonly [number, number, number][] = [
  [0.001, -1000.5755719318103, 6.907178885383853],
  [0.5, -1.9635100260214235, 0.5723649429247],
  [1, -0.5772156649015329, 0],
  [1.02, -0.5447893104561797, -0.01121848932977012],
  [2.5, 0.7031566406452432, 0.2846828704729192],
  [6, 1.7061176684318005, 4.787491742782046],
  [10, 2.251752589066721, 12.801827480081469],
  [1234.5, 7.1180162318279985, 7550.550901077894],
];

const close = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThan(1e-12 * Math.max(1, Math.abs(want)));

describe('digamma and lgamma', () => {
  it.each(REFERENCE)('match scipy at %d', (x, psi, lg) => {
    close(digamma(x), psi);
    close(lgamma(x), lg);
  });

  it('keep the recurrences ψ(x + 1) = ψ(x) + 1/x and log Γ(x + 1) = log Γ(x) + log x across the series cut-over', () => {
    for (const x of [0.3, 4.9, 5.5, 5.999, 6.5, 6.999]) {
      close(digamma(x + 1), digamma(x) + 1 / x);
      close(lgamma(x + 1), lgamma(x) + Math.log(x));
    }
  });

  it('go to −∞ and +∞ at 0', () => {
    expect(digamma(0)).toBe(-Infinity);
    expect(lgamma(0)).toBe(Infinity);
  });
});
