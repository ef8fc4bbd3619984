import { isIP } from 'node:net';

/**
 * Addresses as numbers, for range and prefix arithmetic: IPv4 as an unsigned 32-bit number, IPv6 as a 128-bit bigint.
 * An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is its IPv4 address: exporters write both forms of one host.
 */
export type AddressKey = { readonly family: 4; readonly value: number } | { readonly family: 6; readonly value: bigint };

export function addressKey(text: string): AddressKey | null {
  const family = isIP(text);
  if (family === 4) return { family: 4, value: ipv4Value(text) };
  if (family !== 6 || text.includes('%')) return null;
  const value = ipv6Value(text);
  if (value >> 32n === 0xffffn) return { family: 4, value: Number(value & 0xffffffffn) };
  return { family: 6, value };
}

function ipv4Value(text: string): number {
  let n = 0;
  for (const part of text.split('.')) n = n * 256 + Number(part);
  return n;
}

/** A valid IPv6 text (checked by isIP) to its number; a dotted IPv4 tail counts as the last two groups. */
function ipv6Value(text: string): bigint {
  let t = text.toLowerCase();
  const dot = t.indexOf('.');
  if (dot >= 0) {
    const colon = t.lastIndexOf(':');
    const v4 = ipv4Value(t.slice(colon + 1));
    t = `${t.slice(0, colon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head, tail] = t.split('::') as [string, string | undefined];
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  let n = 0n;
  for (const g of groups) n = (n << 16n) | BigInt(parseInt(g, 16));
  return n;
}

/** A block of addresses: its first address and prefix length, in one family. */
export interface Block {
  readonly family: 4 | 6;
  readonly start: bigint;
  readonly prefix: number;
}

const bits = (family: 4 | 6) => (family === 4 ? 32 : 128);

/**
 * The blocks an address, CIDR ("10.0.0.0/8", "2001:db8::/32") or inclusive range ("10.0.0.5-10.0.0.9") covers, and
 * how many addresses the whole spec spans (what "most specific" compares). Throws with the reason when invalid.
 * A CIDR with host bits set is accepted and truncated, as routers and nfdump do.
 */
export function parseNetworkSpec(spec: string): { blocks: Block[]; size: bigint } {
  const text = spec.trim();
  const dash = text.indexOf('-');
  if (dash > 0) {
    const first = addressKey(text.slice(0, dash).trim());
    const last = addressKey(text.slice(dash + 1).trim());
    if (!first || !last) throw new Error(`${JSON.stringify(spec)} is not a range of two addresses`);
    if (first.family !== last.family) throw new Error(`${JSON.stringify(spec)} mixes IPv4 and IPv6`);
    const [a, b] = [BigInt(first.value), BigInt(last.value)];
    if (a > b) throw new Error(`${JSON.stringify(spec)}: the range ends before it starts`);
    return { blocks: rangeBlocks(first.family, a, b), size: b - a + 1n };
  }
  const slash = text.indexOf('/');
  const key = addressKey(slash < 0 ? text : text.slice(0, slash));
  if (!key) throw new Error(`${JSON.stringify(spec)} is not an IP address, CIDR or range`);
  const rawFamily = isIP(slash < 0 ? text : text.slice(0, slash)) as 4 | 6;
  const rawMax = bits(rawFamily);
  const prefixText = slash < 0 ? String(rawMax) : text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > rawMax) throw new Error(`${JSON.stringify(spec)}: prefix must be 0-${rawMax}`);
  let prefix = Number(prefixText);
  if (rawFamily === 6 && key.family === 4) {
    // ::ffff:10.0.0.0/104 is 10.0.0.0/8; a shorter prefix reaches beyond the mapped block.
    if (prefix < 96) throw new Error(`${JSON.stringify(spec)}: an IPv4-mapped prefix must be /96 or longer`);
    prefix -= 96;
  }
  const host = BigInt(bits(key.family) - prefix);
  const start = (BigInt(key.value) >> host) << host;
  return { blocks: [{ family: key.family, start, prefix }], size: 1n << host };
}

/** The fewest CIDR blocks covering [a, b] exactly. */
function rangeBlocks(family: 4 | 6, a: bigint, b: bigint): Block[] {
  const width = bits(family);
  const out: Block[] = [];
  let start = a;
  while (start <= b) {
    let host = 0;
    while (host < width && (start & ((1n << BigInt(host + 1)) - 1n)) === 0n && start + (1n << BigInt(host + 1)) - 1n <= b) host++;
    out.push({ family, start, prefix: width - host });
    start += 1n << BigInt(host);
  }
  return out;
}
