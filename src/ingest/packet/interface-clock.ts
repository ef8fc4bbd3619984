const TWO_32 = 4_294_967_296;

/**
 * Turns a pcapng interface's 64-bit timestamps (two 32-bit halves) into epoch microseconds,
 * rounded down. if_tsresol: a byte whose high bit clear means units of 10^-n s, set means 2^-n s;
 * 6 (microseconds) by default. if_tsoffset: seconds added to every timestamp.
 * Decimal resolutions up to picoseconds are computed exactly in floating point by splitting the
 * division over the two halves; others (binary, finer) use BigInt, which is slower but rare.
 */
export class InterfaceClock {
  /** Multiply units by this (resolutions of microseconds or coarser). */
  readonly #multiplier: number;
  /** Or divide units by this (10^1 to 10^6: tenths of microseconds to picoseconds). */
  readonly #divisor: number;
  readonly #quotient: number;
  readonly #remainder: number;
  /** Or, for the rest, units * numerator / denominator in BigInt. */
  readonly #numerator: bigint;
  readonly #denominator: bigint;
  readonly #offsetMicros: number;

  constructor(tsresol: number, offsetSeconds = 0) {
    const binary = (tsresol & 0x80) !== 0;
    const exponent = tsresol & 0x7f;
    this.#offsetMicros = offsetSeconds * 1_000_000;
    this.#multiplier = !binary && exponent <= 6 ? 10 ** (6 - exponent) : 0;
    this.#divisor = !binary && exponent > 6 && exponent <= 12 ? 10 ** (exponent - 6) : 0;
    this.#quotient = this.#divisor ? Math.floor(TWO_32 / this.#divisor) : 0;
    this.#remainder = this.#divisor ? TWO_32 % this.#divisor : 0;
    this.#numerator = binary ? 1_000_000n : 1n;
    this.#denominator = binary ? 1n << BigInt(exponent) : 10n ** BigInt(Math.max(0, exponent - 6));
  }

  micros(high: number, low: number): number {
    if (this.#multiplier) return (high * TWO_32 + low) * this.#multiplier + this.#offsetMicros;
    if (this.#divisor) {
      return high * this.#quotient + Math.floor((high * this.#remainder + low) / this.#divisor) + this.#offsetMicros;
    }
    const units = (BigInt(high) << 32n) | BigInt(low);
    return Number((units * this.#numerator) / this.#denominator) + this.#offsetMicros;
  }
}
