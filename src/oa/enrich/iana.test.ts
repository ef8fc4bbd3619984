import { describe, expect, it } from 'vitest';
import { domainParts } from './domains.js';
import { DNS_CLASSES, DNS_RCODES, DNS_TYPES, HTTP_STATUS, nameOf, serviceName } from './iana.js';

describe('IANA names', () => {
  it('DNS types, classes and rcodes, unknown codes named as such', () => {
    expect([1, 2, 5, 6, 12, 15, 16, 28, 33, 255].map((c) => nameOf(DNS_TYPES, c))).toEqual(['A', 'NS', 'CNAME', 'SOA', 'PTR', 'MX', 'TXT', 'AAAA', 'SRV', 'ANY']);
    expect(nameOf(DNS_TYPES, 65000)).toBe('Unknown (65000)');
    expect([1, 3, 4, 254, 255].map((c) => nameOf(DNS_CLASSES, c))).toEqual(['IN', 'CH', 'HS', 'NONE', 'ANY']);
    expect([0, 2, 3, 5, 9, 16, 11].map((c) => nameOf(DNS_RCODES, c))).toEqual(['NOERROR', 'SERVFAIL', 'NXDOMAIN', 'REFUSED', 'NOTAUTH', 'BADVERS', 'Unknown (11)']);
    expect([200, 302, 407, 503].map((c) => nameOf(HTTP_STATUS, c))).toEqual(['OK', 'Found', 'Proxy Authentication Required', 'Service Unavailable']);
  });

  it('port and transport to service, nfdump proto text accepted', () => {
    expect(serviceName(22, 'TCP')).toBe('ssh');
    expect(serviceName(445, 'tcp')).toBe('microsoft-ds');
    expect(serviceName(5985, 'TCP')).toBe('wsman');
    expect(serviceName(123, 'UDP')).toBe('ntp');
    expect(serviceName(4, 'tcp')).toBeNull(); // unassigned
    expect(serviceName(22, 'ICMP')).toBeNull();
  });
});

describe('registered domains', () => {
  it('split on the Public Suffix List, as the ML words do', () => {
    expect(domainParts('mail.google.com')).toEqual({ registered: 'google.com', subdomain: 'mail', tld: 'com' });
    expect(domainParts('a.b.example.com.au.')).toEqual({ registered: 'example.com.au', subdomain: 'a.b', tld: 'com.au' });
    expect(domainParts('WWW.Example.COM')).toEqual({ registered: 'example.com', subdomain: 'www', tld: 'com' });
    expect(domainParts('8.8.8.8')).toEqual({ registered: null, subdomain: '', tld: null });
    expect(domainParts('co.uk')).toEqual({ registered: null, subdomain: '', tld: null });
  });
});
