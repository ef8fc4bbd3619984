import { expandIpv6 } from '../address-bytes.js';
import type { Prng } from '../prng.js';

/** Second-level public suffixes the synthetic internet uses (a tiny public suffix list). */
const TWO_LEVEL_SUFFIXES = new Set(['co.uk', 'org.uk', 'ac.uk', 'gov.uk', 'co.jp', 'com.au']);

/** The public suffix of a name: its TLD, or a known second-level suffix. */
export function publicSuffix(name: string): string {
  const labels = name.toLowerCase().split('.');
  const two = labels.slice(-2).join('.');
  return labels.length >= 2 && TWO_LEVEL_SUFFIXES.has(two) ? two : labels[labels.length - 1]!;
}

const registered = new Map<string, string>();

/** The registered domain of a name (one label under its public suffix), or the name itself when it is a suffix. */
export function registeredDomain(name: string): string {
  let reg = registered.get(name);
  if (reg === undefined) {
    reg = findRegisteredDomain(name);
    // Names recur all day; a bound keeps one-off names (typos, DGA) from piling up.
    if (registered.size < 200_000) registered.set(name, reg);
  }
  return reg;
}

function findRegisteredDomain(name: string): string {
  const lower = name.toLowerCase();
  const suffix = publicSuffix(lower);
  if (lower === suffix) return lower;
  const head = lower.slice(0, lower.length - suffix.length - 1);
  return `${head.slice(head.lastIndexOf('.') + 1)}.${suffix}`;
}

/** The name a PTR lookup asks for an address: d.c.b.a.in-addr.arpa, or 32 nibbles under ip6.arpa. */
export function reverseName(address: string): string {
  if (!address.includes(':')) return `${address.split('.').reverse().join('.')}.in-addr.arpa`;
  const hex = expandIpv6(address)
    .map((g) => g.toString(16).padStart(4, '0'))
    .join('');
  return `${[...hex].reverse().join('.')}.ip6.arpa`;
}

/**
 * DNS 0x20 (draft-vixie-dnsext-dns0x20): a resolver randomises the case of the letters it asks,
 * and accepts only a response that echoes them, to make spoofing harder.
 */
export function mixCase(r: Prng, name: string): string {
  let out = '';
  for (const c of name) out += c >= 'a' && c <= 'z' && r.chance(0.5) ? c.toUpperCase() : c;
  return out;
}

/** A mistyped domain: a letter dropped, doubled, or two swapped, in the label before the suffix. */
export function typo(r: Prng, domain: string): string {
  const dot = domain.indexOf('.');
  const label = domain.slice(0, dot);
  const short = label.length < 3;
  const i = short ? 0 : r.int(0, label.length - 2);
  const kind = short ? 1 : r.int(0, 2);
  const mistyped =
    kind === 0 ? label.slice(0, i) + label.slice(i + 1) : kind === 1 ? label.slice(0, i + 1) + label.slice(i) : label.slice(0, i) + label[i + 1] + label[i] + label.slice(i + 2);
  return `${mistyped}${domain.slice(dot)}`;
}
