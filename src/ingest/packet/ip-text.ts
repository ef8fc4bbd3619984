/**
 * Addresses in packets as text, the same as canonicalIp (src/shared/ip.ts) gives: IPv4 dotted
 * quad; IPv6 in RFC 5952 form (lower-case hex without leading zeros, the longest run of two or
 * more zero groups, the first of equal runs, shortened to "::"), IPv4-mapped addresses with a
 * dotted tail. DNS captures repeat a few servers and clients endlessly, so each text is kept in a
 * small direct-mapped cache keyed by the address bits: a hit costs a hash and a compare.
 */

const SLOTS = 4096;
const SLOT_MASK = SLOTS - 1;
const HEX = Array.from({ length: 65536 }, (_, i) => i.toString(16));

export class IpText {
  readonly #v4Keys = new Int32Array(SLOTS);
  readonly #v4Texts: string[] = new Array<string>(SLOTS).fill('');
  readonly #v6Keys = new Int32Array(SLOTS * 4);
  readonly #v6Texts: string[] = new Array<string>(SLOTS).fill('');
  readonly #groups = new Uint16Array(8);

  /** The IPv4 address in buf[at, at + 4). */
  v4(buf: Uint8Array, at: number): string {
    const key = (buf[at]! << 24) | (buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!;
    const slot = Math.imul(key, 0x9e3779b1) >>> 20;
    const cached = this.#v4Texts[slot]!;
    if (cached !== '' && this.#v4Keys[slot] === key) return cached;
    const text = `${buf[at]}.${buf[at + 1]}.${buf[at + 2]}.${buf[at + 3]}`;
    this.#v4Keys[slot] = key;
    this.#v4Texts[slot] = text;
    return text;
  }

  /** The IPv6 address in buf[at, at + 16). */
  v6(buf: Uint8Array, at: number): string {
    const a = word(buf, at);
    const b = word(buf, at + 4);
    const c = word(buf, at + 8);
    const d = word(buf, at + 12);
    const slot = (Math.imul(a ^ Math.imul(b, 0x85ebca6b) ^ Math.imul(c, 0xc2b2ae35) ^ Math.imul(d, 0x27d4eb2f), 0x9e3779b1) >>> 20) & SLOT_MASK;
    const keys = this.#v6Keys;
    const k = slot * 4;
    const cached = this.#v6Texts[slot]!;
    if (cached !== '' && keys[k] === a && keys[k + 1] === b && keys[k + 2] === c && keys[k + 3] === d) return cached;
    const text = this.#formatV6(buf, at);
    keys[k] = a;
    keys[k + 1] = b;
    keys[k + 2] = c;
    keys[k + 3] = d;
    this.#v6Texts[slot] = text;
    return text;
  }

  #formatV6(buf: Uint8Array, at: number): string {
    const g = this.#groups;
    for (let i = 0; i < 8; i++) g[i] = (buf[at + 2 * i]! << 8) | buf[at + 2 * i + 1]!;
    if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
      return `::ffff:${buf[at + 12]}.${buf[at + 13]}.${buf[at + 14]}.${buf[at + 15]}`;
    }
    let bestStart = -1;
    let bestLength = 1;
    for (let i = 0; i < 8; ) {
      if (g[i] !== 0) {
        i++;
        continue;
      }
      let j = i;
      while (j < 8 && g[j] === 0) j++;
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    let text = '';
    for (let i = 0; i < 8; i++) {
      if (i === bestStart) {
        text += '::';
        i += bestLength - 1;
        continue;
      }
      if (text !== '' && !text.endsWith(':')) text += ':';
      text += HEX[g[i]!]!;
    }
    return text;
  }
}

function word(buf: Uint8Array, at: number): number {
  return (buf[at]! << 24) | (buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!;
}
