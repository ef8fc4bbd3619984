import { isIP } from 'node:net';

/**
 * Addresses and networks in one 128-bit space: an IPv4 address is its IPv4-mapped IPv6 form
 * (::ffff:a.b.c.d), so `10.0.0.0/8`, `::ffff:10.0.0.0/104` and the address `::ffff:10.1.2.3` meet,
 * `0.0.0.0/0` is every IPv4 address and `::/0` every address of both families.
 */
export interface Network {
  /** The network as written back: canonical text, IPv4 networks in IPv4 form. */
  readonly text: string;
  readonly base: bigint;
  /** Prefix length in the 128-bit space (an IPv4 /8 is /104). */
  readonly prefix: number;
}

const V4_MAPPED = 0xffffn << 32n;
const ALL = (1n << 128n) - 1n;

/** The address as a 128-bit number, or null when the text is not an address. */
export function addressBits(text: string): bigint | null {
  const family = isIP(text);
  if (family === 4) return V4_MAPPED | v4Bits(text);
  if (family !== 6 || text.includes('%')) return null;
  return v6Bits(text);
}

/** Parse "10.0.0.0/8", "2001:db8::/32", "::ffff:10.0.0.0/104" or a bare address (a host). Throws with the reason. */
export function parseNetwork(text: string): Network {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const address = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const family = isIP(address);
  if (family === 0 || address.includes('%')) throw new Error(`${JSON.stringify(text)} is not an IP address or CIDR network`);
  const max = family === 4 ? 32 : 128;
  const prefixText = slash < 0 ? String(max) : trimmed.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) throw new Error(`${JSON.stringify(text)}: the prefix length must be 0 to ${max}`);
  const prefix = Number(prefixText) + (family === 4 ? 96 : 0);
  const bits = addressBits(address)!;
  const mask = maskOf(prefix);
  if ((bits & ~mask & ALL) !== 0n) throw new Error(`${JSON.stringify(text)}: host bits are set; the network is ${formatNetwork(bits & mask, prefix)}`);
  return { text: formatNetwork(bits, prefix), base: bits, prefix };
}

export function networkContains(net: Network, address: bigint): boolean {
  return (address & maskOf(net.prefix)) === net.base;
}

/** A host network (/32 or /128) for one address: what a rating's exact address becomes in a rule. */
export function hostNetwork(address: string): Network {
  return parseNetwork(address);
}

function maskOf(prefix: number): bigint {
  return prefix === 0 ? 0n : (ALL << BigInt(128 - prefix)) & ALL;
}

function v4Bits(text: string): bigint {
  return text.split('.').reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n);
}

function v6Bits(text: string): bigint {
  let head = text;
  let tail: bigint[] = [];
  // A dotted IPv4 tail takes the last two groups.
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    head = `${dotted[1]}0:0`;
    tail = [v4Bits(dotted[2]!)];
  }
  const [left, right] = head.includes('::') ? head.split('::') : [head, undefined];
  const groups = (s: string | undefined) => (s ? s.split(':').map((g) => BigInt(parseInt(g, 16))) : []);
  const l = groups(left);
  const r = right === undefined ? [] : groups(right);
  const all = [...l, ...Array<bigint>(8 - l.length - r.length).fill(0n), ...r];
  let n = all.reduce((acc, g) => (acc << 16n) | g, 0n);
  if (tail.length) n = (n & ~0xffffffffn) | tail[0]!;
  return n;
}

function formatNetwork(bits: bigint, prefix: number): string {
  if (prefix >= 96 && bits >> 32n === 0xffffn) {
    const v4 = Number(bits & 0xffffffffn);
    return `${[v4 >>> 24, (v4 >>> 16) & 255, (v4 >>> 8) & 255, v4 & 255].join('.')}/${prefix - 96}`;
  }
  const groups = Array.from({ length: 8 }, (_, i) => Number((bits >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  // RFC 5952: the longest run (of two or more) of zero groups becomes "::".
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const text = best < 0 ? groups.join(':') : `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
  return `${text}/${prefix}`;
}
