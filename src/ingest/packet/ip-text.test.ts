import { describe, expect, it } from 'vitest';
import { canonicalIp } from '../../shared/ip.js';
import { IpText } from './ip-text.js';
import { addressBytes } from './testing.js';

/** Seeded xorshift32, for reproducible random addresses. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

describe('IpText', () => {
  it('writes IPv4 addresses as dotted quads', () => {
    const text = new IpText();
    expect(text.v4(Buffer.from([0, 0, 192, 0, 2, 255]), 2)).toBe('192.0.2.255');
    expect(text.v4(Buffer.from([0, 0, 0, 0]), 0)).toBe('0.0.0.0');
  });

  it('writes IPv6 addresses as canonicalIp does (RFC 5952)', () => {
    const text = new IpText();
    for (const ip of ['::', '::1', '1::', '2001:db8::1', '2001:db8:0:1:1:1:1:1', '2001:0:0:1::1', '2001:db8:0:0:1:0:0:1', 'fe80::a4d1:8cff:fe1f:ce64', '::ffff:192.0.2.1', '::192.0.2.1', '64:ff9b::c000:201', 'ff02::fb']) {
      expect(text.v6(addressBytes(ip), 0)).toBe(canonicalIp(ip));
    }
    const next = random(7);
    for (let i = 0; i < 3000; i++) {
      // Mostly zero groups, so that runs of zeros of every length and place occur.
      const groups = Array.from({ length: 8 }, () => (next() % 3 === 0 ? next() & 0xffff : 0));
      const bytes = Buffer.alloc(16);
      groups.forEach((g, j) => bytes.writeUInt16BE(g, 2 * j));
      const ip = groups.map((g) => g.toString(16)).join(':');
      expect(text.v6(bytes, 0)).toBe(canonicalIp(ip));
    }
  });

  it('never answers from the cache for another address', () => {
    const text = new IpText();
    const next = random(11);
    const bytes = Buffer.alloc(16);
    // Far more addresses than cache slots, each asked twice in a row and once much later.
    const seen: [number, string][] = [];
    for (let i = 0; i < 20000; i++) {
      const v = next();
      bytes.writeUInt32BE(v, 0);
      const expected = `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
      expect(text.v4(bytes, 0)).toBe(expected);
      expect(text.v4(bytes, 0)).toBe(expected);
      if (i % 100 === 0) seen.push([v, expected]);
    }
    for (const [v, expected] of seen) {
      bytes.writeUInt32BE(v, 0);
      expect(text.v4(bytes, 0)).toBe(expected);
    }
  });
});
