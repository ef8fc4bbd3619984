import { describe, expect, it } from 'vitest';
import { addressKey, parseNetworkSpec } from './address.js';
import { AddressMap } from './address-map.js';

const mapOf = (entries: Record<string, string>) => {
  const m = new AddressMap<string>();
  for (const [spec, v] of Object.entries(entries)) m.add(spec, v);
  return m;
};

describe('addressKey', () => {
  it('reads IPv4, IPv6 and IPv4-mapped IPv6 as the IPv4 address', () => {
    expect(addressKey('10.0.0.1')).toEqual({ family: 4, value: 0x0a000001 });
    expect(addressKey('::ffff:10.0.0.1')).toEqual({ family: 4, value: 0x0a000001 });
    expect(addressKey('::ffff:a00:1')).toEqual({ family: 4, value: 0x0a000001 });
    expect(addressKey('2001:db8::1')).toEqual({ family: 6, value: 0x20010db8000000000000000000000001n });
    expect(addressKey('::')).toEqual({ family: 6, value: 0n });
    expect(addressKey('64:ff9b::1.2.3.4')).toEqual({ family: 6, value: (0x64ff9bn << 96n) | 0x01020304n });
    expect(addressKey('fe80::1%eth0')).toBeNull();
    expect(addressKey('10.0.0.256')).toBeNull();
  });
});

describe('parseNetworkSpec', () => {
  it('splits a range into the fewest CIDR blocks and counts its addresses', () => {
    const { blocks, size } = parseNetworkSpec('10.0.0.5-10.0.0.12');
    expect(size).toBe(8n);
    expect(blocks.map((b) => [Number(b.start) & 255, b.prefix])).toEqual([[5, 32], [6, 31], [8, 30], [12, 32]]);
  });

  it('truncates host bits and converts IPv4-mapped prefixes', () => {
    expect(parseNetworkSpec('10.1.2.3/8').blocks).toEqual([{ family: 4, start: 0x0a000000n, prefix: 8 }]);
    expect(parseNetworkSpec('::ffff:10.0.0.0/104').blocks).toEqual([{ family: 4, start: 0x0a000000n, prefix: 8 }]);
  });

  it.each([
    ['10.0.0.0/33', '"10.0.0.0/33": prefix must be 0-32'],
    ['2001:db8::/129', '"2001:db8::/129": prefix must be 0-128'],
    ['10.0.0.9-10.0.0.1', '"10.0.0.9-10.0.0.1": the range ends before it starts'],
    ['10.0.0.1-2001:db8::1', '"10.0.0.1-2001:db8::1" mixes IPv4 and IPv6'],
    ['10.0.0/8', '"10.0.0/8" is not an IP address, CIDR or range'],
    ['::ffff:0:0/95', '"::ffff:0:0/95": an IPv4-mapped prefix must be /96 or longer'],
  ])('rejects %s', (spec, message) => {
    expect(() => parseNetworkSpec(spec)).toThrow(message);
  });
});

describe('AddressMap', () => {
  it('/0 matches every address of its family only; /32 and /128 one address', () => {
    const m = mapOf({ '0.0.0.0/0': 'all4', '::/0': 'all6', '192.0.2.7/32': 'host4', '2001:db8::7/128': 'host6' });
    expect(m.get('203.0.113.9')).toBe('all4');
    expect(m.get('192.0.2.7')).toBe('host4');
    expect(m.get('192.0.2.8')).toBe('all4');
    expect(m.get('2001:db8::7')).toBe('host6');
    expect(m.get('2001:db8::8')).toBe('all6');
    expect(m.get('::ffff:192.0.2.7')).toBe('host4');
    expect(m.get('not an ip')).toBeUndefined();
  });

  it('the most specific entry wins, whatever the order, ranges included', () => {
    const m = mapOf({
      '10.0.0.0/8': 'corp',
      '10.1.0.0-10.1.1.255': 'range-512',
      '10.1.0.0/24': 'cidr-256',
      '10.1.0.10-10.1.0.20': 'range-11',
    });
    expect(m.get('10.2.0.1')).toBe('corp');
    expect(m.get('10.1.1.1')).toBe('range-512');
    expect(m.get('10.1.0.1')).toBe('cidr-256');
    expect(m.get('10.1.0.15')).toBe('range-11');
    expect(m.get('10.1.0.21')).toBe('cidr-256');
  });

  it('a shorter CIDR beats a wider range that reaches into a longer prefix', () => {
    // The range covers 10.0.0.0/24 with a /24 block but spans 1024 addresses; the /23 spans 512.
    const m = mapOf({ '10.0.0.0-10.0.3.255': 'wide', '10.0.0.0/23': 'narrow' });
    expect(m.get('10.0.0.1')).toBe('narrow');
    expect(m.get('10.0.2.1')).toBe('wide');
  });

  it('equally specific entries: the later one wins', () => {
    expect(mapOf({ '10.0.0.0/24': 'first', '10.0.0.0-10.0.0.255': 'second' }).get('10.0.0.1')).toBe('second');
  });

  it('IPv6 nesting and mapped IPv4 entries', () => {
    const m = mapOf({ '2001:db8::/32': 'doc', '2001:db8:1::/48': 'site', 'fc00::/7': 'ula', '::ffff:192.168.0.0/112': 'mapped' });
    expect(m.get('2001:db8:1::42')).toBe('site');
    expect(m.get('2001:db8:2::42')).toBe('doc');
    expect(m.get('fd12:3456::1')).toBe('ula');
    expect(m.get('192.168.3.4')).toBe('mapped');
    expect(m.get('192.169.0.1')).toBeUndefined();
  });
});
