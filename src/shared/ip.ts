import { BlockList, isIP, isIPv4 } from 'node:net';

/** True for a valid IPv4 or IPv6 address (no zone, no prefix). */
export function isIp(text: string): boolean {
  return isIP(text) !== 0 && !text.includes('%');
}

/**
 * The canonical text of an address: IPv4 dotted quad, IPv6 in RFC 5952 form (lower case,
 * longest zero run compressed, IPv4-mapped addresses keep their dotted tail). Null when invalid.
 */
export function canonicalIp(text: string): string | null {
  const family = isIP(text);
  if (family === 4) return text;
  if (family !== 6 || text.includes('%')) return null;
  const hostname = new URL(`http://[${text}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(hostname);
  if (mapped) {
    const hi = parseInt(mapped[1]!, 16);
    const lo = parseInt(mapped[2]!, 16);
    return `::ffff:${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return hostname;
}

export interface Cidr {
  readonly family: 4 | 6;
  readonly address: string;
  readonly prefix: number;
}

/** Parse "10.0.0.0/8", "fc00::/7" or a bare address (a host prefix). Throws with the reason. */
export function parseCidr(text: string): Cidr {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const family = isIP(address);
  if (family === 0) throw new Error(`${JSON.stringify(text)} is not an IP address or CIDR`);
  const max = family === 4 ? 32 : 128;
  const prefixText = slash < 0 ? String(max) : text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) throw new Error(`${JSON.stringify(text)}: prefix must be 0-${max}`);
  return { family: family as 4 | 6, address: canonicalIp(address)!, prefix: Number(prefixText) };
}

/** A set of networks for membership tests, IPv4 and IPv6 alike. */
export class NetworkSet {
  readonly #list = new BlockList();
  readonly cidrs: readonly Cidr[];

  constructor(cidrs: readonly string[]) {
    this.cidrs = cidrs.map(parseCidr);
    for (const c of this.cidrs) this.#list.addSubnet(c.address, c.prefix, c.family === 4 ? 'ipv4' : 'ipv6');
  }

  has(address: string): boolean {
    const family = isIP(address);
    if (family === 0) return false;
    return this.#list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }
}

/** IPv4 address to its 32-bit number. */
export function ipv4ToNumber(text: string): number {
  if (!isIPv4(text)) throw new Error(`not an IPv4 address: ${text}`);
  return text.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

export function numberToIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** RFC 1918, CGNAT (RFC 6598), loopback, link-local and unique-local IPv6. */
export const DEFAULT_INTERNAL_NETWORKS = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  'fc00::/7',
  'fe80::/10',
  '::1/128',
] as const;
