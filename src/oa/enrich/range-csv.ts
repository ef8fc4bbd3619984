import { InputError } from '../../shared/errors.js';
import { addressKey, type AddressKey } from './address.js';
import { readLines, splitCsvLine, type Warn } from './files.js';
import type { GeoRecord } from './geo-record.js';

const MAX_REPORTED = 5;

/**
 * An ip-location-db range CSV of autonomous systems ("first,last,asn,organisation", inclusive ranges, one family or
 * both), held as sorted arrays and searched by bisection: ~500k ranges take a few tens of MB.
 */
export class AsnRangeSource {
  private constructor(
    readonly path: string,
    readonly v4: Ranges<number>,
    readonly v6: Ranges<bigint>,
  ) {}

  static async open(path: string, warn: Warn): Promise<AsnRangeSource> {
    const v4 = new Ranges<number>();
    const v6 = new Ranges<bigint>();
    let bad = 0;
    for await (const { line, number } of readLines(path)) {
      if (line === '' || line.startsWith('#')) continue;
      try {
        const cells = splitCsvLine(line);
        if (cells.length < 3) throw new Error(`expected "first,last,asn,organisation", found ${cells.length} field(s)`);
        const [first, last, asn, org] = cells;
        const a = addressKey(first ?? '');
        const b = addressKey(last ?? '');
        if (!a || !b || a.family !== b.family) throw new Error(`${JSON.stringify(`${first}-${last}`)} is not a range of two addresses`);
        if (!/^\d{1,10}$/.test(asn ?? '')) throw new Error(`${JSON.stringify(asn)} is not an AS number`);
        if (a.family === 4) v4.push(a.value, b.value as number, Number(asn), org ?? '');
        else v6.push(a.value, b.value as bigint, Number(asn), org ?? '');
      } catch (e) {
        if (++bad <= MAX_REPORTED) warn(new InputError(path, `${(e as Error).message}; line skipped`, { line: number }).message);
      }
    }
    if (bad > MAX_REPORTED) warn(new InputError(path, `${bad} bad lines skipped in all`).message);
    if (v4.length + v6.length === 0) throw new InputError(path, 'no AS range found: expected CSV lines "first,last,asn,organisation"');
    v4.seal();
    v6.seal();
    return new AsnRangeSource(path, v4, v6);
  }

  lookup(_text: string, key: AddressKey): Partial<GeoRecord> {
    const hit = key.family === 4 ? this.v4.find(key.value) : this.v6.find(key.value);
    return hit ? { asn: hit.asn, as_org: hit.org || null } : {};
  }
}

class Ranges<N extends number | bigint> {
  #first: N[] = [];
  #last: N[] = [];
  #asn: number[] = [];
  #org: number[] = [];
  readonly #orgs: string[] = [];
  readonly #orgIndex = new Map<string, number>();

  get length(): number {
    return this.#first.length;
  }

  push(first: N, last: N, asn: number, org: string): void {
    let o = this.#orgIndex.get(org);
    if (o === undefined) this.#orgIndex.set(org, (o = this.#orgs.push(org) - 1));
    this.#first.push(first);
    this.#last.push(last);
    this.#asn.push(asn);
    this.#org.push(o);
  }

  /** Sort by first address when the file was not. */
  seal(): void {
    const f = this.#first;
    if (f.every((v, i) => i === 0 || f[i - 1]! <= v)) return;
    const order = f.map((_, i) => i).sort((a, b) => (f[a]! < f[b]! ? -1 : f[a]! > f[b]! ? 1 : 0));
    this.#first = order.map((i) => f[i]!);
    this.#last = order.map((i) => this.#last[i]!);
    this.#asn = order.map((i) => this.#asn[i]!);
    this.#org = order.map((i) => this.#org[i]!);
  }

  /** The range with the greatest first address ≤ value, when it reaches value. */
  find(value: N): { asn: number; org: string } | null {
    let lo = 0;
    let hi = this.#first.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.#first[mid]! <= value) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (at < 0 || this.#last[at]! < value) return null;
    return { asn: this.#asn[at]!, org: this.#orgs[this.#org[at]!]! };
  }
}
