import { describe, expect, it } from 'vitest';
import { canonicalIp, NetworkSet, parseCidr, ipv4ToNumber, numberToIpv4 } from './ip.js';

describe('canonicalIp', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1'],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['::ffff:192.0.2.128', '::ffff:192.0.2.128'],
    ['::ffff:c000:0280', '::ffff:192.0.2.128'],
    ['fe80:0:0:0:0:0:0:1', 'fe80::1'],
  ])('%s → %s', (input, expected) => expect(canonicalIp(input)).toBe(expected));

  it.each(['', '10.0.0.256', '1.2.3', 'fe80::1%eth0', '00:11:22:33:44:55', 'not-an-ip'])('rejects %j', (input) => expect(canonicalIp(input)).toBeNull());
});

describe('NetworkSet', () => {
  const set = new NetworkSet(['10.0.0.0/8', '192.168.1.0/24', 'fd00::/8', '203.0.113.7']);
  it.each([
    ['10.255.255.255', true],
    ['11.0.0.0', false],
    ['192.168.1.200', true],
    ['192.168.2.1', false],
    ['fd12:3456::1', true],
    ['fe80::1', false],
    ['203.0.113.7', true],
    ['203.0.113.8', false],
    ['garbage', false],
  ])('%s in set: %s', (ip, expected) => expect(set.has(ip)).toBe(expected));

  it('explains a bad CIDR', () => {
    expect(() => parseCidr('10.0.0.0/40')).toThrow('"10.0.0.0/40": prefix must be 0-32');
    expect(() => parseCidr('fd00::/129')).toThrow('prefix must be 0-128');
    expect(() => parseCidr('10.0.0/8')).toThrow('is not an IP address or CIDR');
  });

  it('converts IPv4 to numbers and back', () => {
    expect(ipv4ToNumber('10.20.30.40')).toBe(0x0a141e28);
    expect(numberToIpv4(0xc0a80101)).toBe('192.168.1.1');
    expect(ipv4ToNumber('255.255.255.255')).toBe(4294967295);
  });
});
