/**
 * Digamma and log-gamma for positive arguments, in Float64. The E-step calls digamma K + 1 times
 * per document and inner iteration, so both avoid divisions in loops: the recurrence that moves a
 * small argument up to the asymptotic series is folded into one fraction (or one product).
 */

const HALF_LOG_2PI = 0.9189385332046728;

/** ψ(x) for x > 0, error below 1e-12 × max(1, |ψ(x)|) (the series stops at the x⁻¹² term, at x ≥ 6). */
export function digamma(x: number): number {
  // ψ(x) = ψ(x + n) − Σ 1/(x + i): the sum is kept as num/den so that one division does it all.
  let num = 0;
  let den = 1;
  while (x < 6) {
    num = num * x + den;
    den *= x;
    x += 1;
  }
  const r = 1 / x;
  const r2 = r * r;
  const series =
    r2 * (1 / 12 - r2 * (1 / 120 - r2 * (1 / 252 - r2 * (1 / 240 - r2 * (1 / 132 - r2 * (691 / 32760))))));
  const result = Math.log(x) - 0.5 * r - series;
  return num === 0 ? result : result - num / den;
}

/** log Γ(x) for x > 0, error below 1e-12 × max(1, |log Γ(x)|) (Stirling's series at x ≥ 7). */
export function lgamma(x: number): number {
  // log Γ(x) = log Γ(x + n) − log(x (x + 1) … (x + n − 1)): one log of the product.
  let product = 1;
  while (x < 7) {
    product *= x;
    x += 1;
  }
  const r = 1 / x;
  const r2 = r * r;
  const series = r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 * (1 / 1680 - r2 * (1 / 1188)))));
  const result = (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + series;
  return product === 1 ? result : result - Math.log(product);
}
