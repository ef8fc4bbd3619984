import { describe, expect, it } from 'vitest';
import { addressBits, networkContains, parseNetwork } from './cidr.js';
import { domainMatches, parseDomain, parseGlob, parsePorts, parseUriPrefix, portsContain } from './patterns.js';

const contains = (net: string, address: string) => networkContains(parseNetwork(net), addressBits(address)!);

describe('networks', () => {
  it('write networks back in canonical form', () => {
    expect(parseNetwork('10.0.0.0/8').text).toBe('10.0.0.0/8');
    expect(parseNetwork('10.1.2.3').text).toBe('10.1.2.3/32');
    expect(parseNetwork('2001:DB8:0:0:0:0:0:0/32').text).toBe('2001:db8::/32');
    expect(parseNetwork('2001:db8::1').text).toBe('2001:db8::1/128');
    expect(parseNetwork('::/0').text).toBe('::/0');
    expect(parseNetwork('::ffff:10.0.0.0/104').text).toBe('10.0.0.0/8');
    expect(parseNetwork('::ffff:0a01:0203').text).toBe('10.1.2.3/32');
  });

  it('match /0 of each family: 0.0.0.0/0 every IPv4 address, ::/0 every address', () => {
    expect(contains('0.0.0.0/0', '203.0.113.9')).toBe(true);
    expect(contains('0.0.0.0/0', '2001:db8::1')).toBe(false);
    expect(contains('::/0', '2001:db8::1')).toBe(true);
    expect(contains('::/0', '203.0.113.9')).toBe(true);
  });

  it('match /32 and /128 hosts exactly', () => {
    expect(contains('10.1.2.3/32', '10.1.2.3')).toBe(true);
    expect(contains('10.1.2.3/32', '10.1.2.4')).toBe(false);
    expect(contains('2001:db8::1/128', '2001:db8:0::1')).toBe(true);
    expect(contains('2001:db8::1/128', '2001:db8::2')).toBe(false);
    expect(contains('fe80::/10', 'febf:ffff::1')).toBe(true);
    expect(contains('fe80::/10', 'fec0::1')).toBe(false);
  });

  it('treat IPv4-mapped IPv6 addresses and networks as IPv4', () => {
    expect(contains('10.0.0.0/8', '::ffff:10.9.8.7')).toBe(true);
    expect(contains('::ffff:10.0.0.0/104', '10.9.8.7')).toBe(true);
    expect(contains('10.0.0.0/8', '::ffff:11.0.0.1')).toBe(false);
    // ::10.0.0.1 (IPv4-compatible, deprecated) is a plain IPv6 address, not 10.0.0.1.
    expect(contains('10.0.0.0/8', '::10.0.0.1')).toBe(false);
  });

  it('refuse bad networks with the reason', () => {
    expect(() => parseNetwork('10.0.0.1/8')).toThrow('"10.0.0.1/8": host bits are set; the network is 10.0.0.0/8');
    expect(() => parseNetwork('10.0.0.0/33')).toThrow('the prefix length must be 0 to 32');
    expect(() => parseNetwork('2001:db8::/129')).toThrow('the prefix length must be 0 to 128');
    expect(() => parseNetwork('10.0.0/8')).toThrow('is not an IP address or CIDR network');
    expect(() => parseNetwork('fe80::1%eth0')).toThrow('is not an IP address or CIDR network');
    expect(addressBits('example.com')).toBeNull();
  });
});

describe('patterns', () => {
  it('give a wildcard domain its apex and every name under it, an exact name itself only', () => {
    const w = parseDomain('*.Example.COM.');
    expect(w.text).toBe('*.example.com');
    expect(['example.com', 'www.example.com', 'a.b.example.com', 'EXAMPLE.com.'].map((v) => domainMatches(w, v))).toEqual([true, true, true, true]);
    expect(['badexample.com', 'example.com.evil.net', 'com'].map((v) => domainMatches(w, v))).toEqual([false, false, false]);
    const exact = parseDomain('www.example.com');
    expect(['www.example.com', 'example.com', 'a.www.example.com'].map((v) => domainMatches(exact, v))).toEqual([true, false, false]);
    expect(() => parseDomain('*.*.example.com')).toThrow('is not a domain name');
    expect(() => parseDomain('exa mple.com')).toThrow('is not a domain name');
  });

  it('read port sets and ranges', () => {
    const p = parsePorts('443, 22,8000-8100');
    expect(p.text).toBe('443,22,8000-8100');
    expect(['22', '443', '8000', '8100', '8101', '21', 'x'].map((v) => portsContain(p, v))).toEqual([true, true, true, true, false, false, false]);
    expect(() => parsePorts('70000')).toThrow('a port is 0 to 65535');
    expect(() => parsePorts('90-80')).toThrow('a range goes upwards');
    expect(() => parsePorts('ssh')).toThrow('ports are numbers or ranges');
  });

  it('compare URI prefixes without the scheme, host in lower case, path as written', () => {
    expect(parseUriPrefix('https://Updates.Example.com/Win/')).toBe('updates.example.com/Win/');
    expect(parseUriPrefix('UPDATES.example.com')).toBe('updates.example.com');
  });

  it('match user agents exactly or by glob', () => {
    expect(parseGlob('curl/8.5.0').test('curl/8.5.0')).toBe(true);
    expect(parseGlob('curl/8.5.0').test('curl/8.5.01')).toBe(false);
    const g = parseGlob('Veeam* (build ?)');
    expect(g.test('Veeam Agent 12 (build 7)')).toBe(true);
    expect(g.test('Veeam Agent 12 (build 17)')).toBe(false);
    expect(g.test('xVeeam (build 7)')).toBe(false);
  });
});
