import { addressKey, parseNetworkSpec, type AddressKey } from './address.js';

interface Entry<T> {
  readonly value: T;
  /** Addresses the entry's whole spec spans: the smaller, the more specific. */
  readonly size: bigint;
  /** Insertion order: among equally specific entries the later one wins, as a later line overrides. */
  readonly order: number;
}

/** Blocks of one family: prefix length → block start → entry; lookups try each prefix length in use. */
class FamilyTable<T> {
  readonly #byPrefix = new Map<number, Map<number | bigint, Entry<T>>>();
  #prefixes: number[] = [];

  constructor(readonly width: number) {}

  set(start: bigint, prefix: number, entry: Entry<T>): void {
    let blocks = this.#byPrefix.get(prefix);
    if (!blocks) {
      this.#byPrefix.set(prefix, (blocks = new Map()));
      this.#prefixes = [...this.#byPrefix.keys()].sort((a, b) => b - a);
    }
    const key = this.width === 32 ? Number(start) : start;
    const old = blocks.get(key);
    if (!old || entry.size < old.size || (entry.size === old.size && entry.order > old.order)) blocks.set(key, entry);
  }

  get(value: number | bigint): Entry<T> | undefined {
    let best: Entry<T> | undefined;
    for (const prefix of this.#prefixes) {
      const host = this.width - prefix;
      const key =
        typeof value === 'number' ? (host >= 32 ? 0 : prefix === 0 ? 0 : ((value >>> host) << host) >>> 0) : (value >> BigInt(host)) << BigInt(host);
      const hit = this.#byPrefix.get(prefix)!.get(key);
      if (hit && (!best || hit.size < best.size || (hit.size === best.size && hit.order > best.order))) best = hit;
    }
    return best;
  }
}

/**
 * Addresses, CIDRs and ranges of both families mapped to values; a lookup returns the value of the most specific
 * entry containing the address (the one spanning the fewest addresses). IPv4-mapped IPv6 addresses match IPv4 entries.
 */
export class AddressMap<T> {
  readonly #v4 = new FamilyTable<T>(32);
  readonly #v6 = new FamilyTable<T>(128);
  #count = 0;

  /** Add an address, CIDR or range "a-b". Throws with the reason when the spec is invalid. */
  add(spec: string, value: T): void {
    const { blocks, size } = parseNetworkSpec(spec);
    const entry = { value, size, order: this.#count++ };
    for (const b of blocks) (b.family === 4 ? this.#v4 : this.#v6).set(b.start, b.prefix, entry);
  }

  /** The most specific value for an address (text or key), or undefined. */
  get(address: string | AddressKey | null): T | undefined {
    const key = typeof address === 'string' ? addressKey(address) : address;
    if (!key) return undefined;
    return key.family === 4 ? this.#v4.get(key.value)?.value : this.#v6.get(key.value)?.value;
  }

  get size(): number {
    return this.#count;
  }
}
