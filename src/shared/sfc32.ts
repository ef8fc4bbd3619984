/**
 * The state and step of sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 32-bit):
 * fast in JavaScript (32-bit integer operations only) and good enough for simulation and
 * sampling. Subclasses choose how a seed becomes the state and which distributions they draw.
 * @module
 */
export class Sfc32 {
  #a = 0;
  #b = 0;
  #c = 0;
  #d = 0;

  /** Start from this state, mixed by a dozen steps before the first draw. */
  protected setState(a: number, b: number, c: number, d: number): void {
    this.#a = a;
    this.#b = b;
    this.#c = c;
    this.#d = d;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Next 32-bit unsigned integer. */
  next(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }
}
