import { describe, expect, it } from 'vitest';
import type { DnsRecord } from '../session.js';
import { queryMessage, responseMessage } from './message.js';
import { exchangeOf } from './records.js';
import { encodeMessage, messageLength } from './wire.js';

const chain = exchangeOf({
  query: 'www.Example.org',
  qtype: 'A',
  rcode: 'NOERROR',
  records: [
    { name: 'www.Example.org', type: 'CNAME', ttl: 300, data: 'www.example.org.edgekey.net' },
    { name: 'www.example.org.edgekey.net', type: 'CNAME', ttl: 60, data: 'e1.a.akamaiedge.net' },
    { name: 'e1.a.akamaiedge.net', type: 'A', ttl: 20, data: '23.192.0.1' },
  ],
});

describe('DNS wire encoding', () => {
  it('writes a query as RFC 1035 lays it out', () => {
    const q = encodeMessage(queryMessage(exchangeOf({ query: 'a.example', qtype: 'AAAA', rcode: 'NOERROR' }), 0x1234));
    expect(q.toString('hex')).toBe('1234' + '0100' + '0001' + '0000' + '0000' + '0000' + '01' + '61' + '07' + Buffer.from('example').toString('hex') + '00' + '001c' + '0001');
  });

  it('compresses names to suffixes written before, in the case they were written; answers derive their text and TTL', () => {
    const r = encodeMessage(responseMessage(chain, 7));
    expect(r.readUInt16BE(2)).toBe(0x8180);
    expect(r.readUInt16BE(6)).toBe(3);
    const question = 12 + 'www.Example.org'.length + 2 + 4;
    expect(r.readUInt16BE(question)).toBe(0xc00c); // the first owner points at the question
    // The CNAME target shares no suffix with the question ("org" ends it there), so it is written out once, then pointed at.
    expect(r.includes(Buffer.from('\x07edgekey\x03net', 'latin1'))).toBe(true);
    expect(r.indexOf(Buffer.from('\x0bakamaiedge', 'latin1'))).toBe(r.lastIndexOf(Buffer.from('\x0bakamaiedge', 'latin1')));
    expect(chain.answers).toEqual(['www.example.org.edgekey.net', 'e1.a.akamaiedge.net', '23.192.0.1']);
    expect(chain.ttl).toBe(20);
    expect(messageLength(responseMessage(chain, 0))).toBe(r.length);
  });

  it('never compresses an SRV target, and adds an OPT record for EDNS', () => {
    const srv: DnsRecord = { name: '_ldap._tcp.corp.example', type: 'SRV', ttl: 600, data: '0 100 389 dc-1.corp.example' };
    const m = encodeMessage(responseMessage(exchangeOf({ query: srv.name, qtype: 'SRV', rcode: 'NOERROR', records: [srv], edns: 1232 }), 1));
    expect(m.includes(Buffer.from('\x04dc-1\x04corp\x07example\x00', 'latin1'))).toBe(true);
    expect(m.subarray(-11).toString('hex')).toBe('0000290' + '4d0' + '00000000' + '0000');
    expect(m.readUInt16BE(10)).toBe(1);
  });

  it('refuses what would be a broken message', () => {
    const bad = (query: string) => () => encodeMessage(queryMessage(exchangeOf({ query, qtype: 'A', rcode: 'NOERROR' }), 0));
    expect(bad(`${'x'.repeat(64)}.example`)).toThrow(/bad label/);
    expect(bad('a..example')).toThrow(/bad label/);
    expect(bad('café.example')).toThrow(/non-printable/);
    expect(bad(Array.from({ length: 60 }, () => 'abcd').join('.'))).toThrow(/longer than 253/);
  });
});
