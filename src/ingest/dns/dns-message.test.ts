import { describe, expect, it } from 'vitest';
import { DnsMessageReader, MalformedDns } from './dns-message.js';
import { IpText } from '../packet/ip-text.js';
import { dnsMessage, POINTER_TO_QUESTION, rdata, u16, u32, wireName } from './testing.js';

function read(message: Buffer, mdns = false) {
  const reader = new DnsMessageReader(new IpText());
  // Read from inside a larger buffer, as from a packet: offsets must be relative to the message.
  const packet = Buffer.concat([Buffer.alloc(42, 0xee), message, Buffer.alloc(7, 0xee)]);
  reader.read(packet, 42, 42 + message.length, mdns);
  const { id, flags, name, type, answers, address, ttl } = reader;
  return { id, flags, name, type, class: reader.class, answers, address, ttl };
}

function problem(message: Buffer): string {
  try {
    read(message);
  } catch (e) {
    if (e instanceof MalformedDns) return e.detail;
    throw e;
  }
  return 'read without a problem';
}

const RESPONSE = 0x8180;

describe('DnsMessageReader', () => {
  it('reads a query: header, first question, no answers', () => {
    const q = dnsMessage({ id: 0xbeef, flags: 0x0120, questions: [{ name: 'WWW.Example.com', type: 28 }, { name: 'second.example', type: 1 }] });
    expect(read(q)).toEqual({ id: 0xbeef, flags: 0x0120, name: 'WWW.Example.com', type: 28, class: 1, answers: [], address: null, ttl: null });
  });

  it('writes the data of every answer type as text, the first address and the smallest TTL', () => {
    const m = dnsMessage({
      flags: RESPONSE,
      questions: [{ name: 'example.com' }],
      answers: [
        { type: 5, ttl: 600, data: rdata.name('cdn.example.net') },
        { type: 28, ttl: 60, data: rdata.aaaa('2001:db8::1') },
        { type: 1, ttl: 30, data: rdata.a('192.0.2.7') },
        { type: 2, data: rdata.name('ns1.example.com') },
        { type: 12, data: rdata.name('host.example.com') },
        { type: 15, data: rdata.mx(10, 'mail.example.com') },
        { type: 16, data: rdata.txt('v=spf1 ', 'include:_spf.example.com', '') },
        { type: 6, ttl: 4294967295, data: rdata.soa('ns.example.com', 'hostmaster.example.com', 2024010101, 7200, 3600, 1209600, 300) },
        { type: 33, data: rdata.srv(10, 60, 5060, 'sip.example.com') },
        { type: 13, data: Buffer.from('0361626303646566', 'hex') },
        { type: 1, class: 255, data: Buffer.alloc(0) },
      ],
    });
    expect(read(m)).toMatchObject({
      answers: [
        'cdn.example.net',
        '2001:db8::1',
        '192.0.2.7',
        'ns1.example.com',
        'host.example.com',
        '10 mail.example.com',
        'v=spf1 include:_spf.example.com',
        'ns.example.com hostmaster.example.com 2024010101 7200 3600 1209600 300',
        '10 60 5060 sip.example.com',
        '\\# 8 0361626303646566',
        '\\# 0',
      ],
      address: '2001:db8::1',
      ttl: 30,
    });
  });

  it('follows compression pointers to earlier names, through several jumps', () => {
    // Question example.com at 12; the CNAME's data is "www" + pointer to 12; the A record's owner
    // points to the CNAME data, and the MX target is "mx" + pointer to the "www" label.
    const question = dnsMessage({ flags: RESPONSE, questions: [{ name: 'example.com' }] });
    const cnameAt = question.length + 12;
    const cname = Buffer.concat([Buffer.from('03777777', 'hex'), POINTER_TO_QUESTION]);
    const m = dnsMessage({
      flags: RESPONSE,
      questions: [{ name: 'example.com' }],
      answers: [
        { type: 5, data: cname },
        { name: Buffer.of(0xc0, cnameAt), type: 15, data: Buffer.concat([u16(5), Buffer.from('026d78', 'hex'), Buffer.of(0xc0, cnameAt)]) },
      ],
    });
    expect(read(m).answers).toEqual(['www.example.com', '5 mx.www.example.com']);
  });

  it('refuses pointers that loop, point forward or past the end', () => {
    const loop = Buffer.concat([dnsMessage({ questions: [] }).subarray(0, 4), u16(1), Buffer.alloc(6), POINTER_TO_QUESTION, u16(1), u16(1)]);
    expect(problem(loop)).toBe('name at offset 12 has a compression pointer that loops (offset 12 to 12)');
    const selfReference = Buffer.concat([dnsMessage({ questions: [] }).subarray(0, 4), u16(1), Buffer.alloc(6), Buffer.from('0161', 'hex'), POINTER_TO_QUESTION, u16(1), u16(1)]);
    expect(problem(selfReference)).toBe('name at offset 12 has a compression pointer that loops (offset 14 to 12)');
    const forward = Buffer.concat([dnsMessage({ questions: [] }).subarray(0, 4), u16(1), Buffer.alloc(6), Buffer.of(0xc0, 18), u16(1), u16(1), wireName('a.b')]);
    expect(problem(forward)).toBe('name at offset 12 has a forward compression pointer (offset 12 to 18)');
    const outside = Buffer.concat([dnsMessage({ questions: [] }).subarray(0, 4), u16(1), Buffer.alloc(6), Buffer.of(0xc1, 0), u16(1), u16(1)]);
    expect(problem(outside)).toBe('name at offset 12 has a compression pointer past the end of the message (offset 12 to 256)');
    // A pointer back into the name being read (the labels from its start) would loop too.
    const intoItself = dnsMessage({ flags: RESPONSE, questions: [{ name: 'a.example' }], answers: [{ type: 5, data: Buffer.concat([Buffer.from('0178', 'hex'), Buffer.of(0xc0, 12 + 15 + 12)]) }] });
    expect(problem(intoItself)).toBe('name at offset 39 has a compression pointer that loops (offset 41 to 39)');
  });

  it('refuses extended label types, long names and labels past the end', () => {
    expect(problem(dnsMessage({ questions: [{ name: Buffer.from('4161620000', 'hex') }] }))).toBe('name at offset 12 has a label of type 0x40');
    expect(problem(dnsMessage({ questions: [{ name: Buffer.from('8161620000', 'hex') }] }))).toBe('name at offset 12 has a label of type 0x80');
    const label = 'x'.repeat(63);
    // 3 labels of 63 and one of 61: 4 * 64 - 2 + 1 = 255 bytes, the longest name.
    const longest = [label, label, label, 'y'.repeat(61)].join('.');
    expect(read(dnsMessage({ questions: [{ name: longest }] })).name).toBe(longest);
    expect(problem(dnsMessage({ questions: [{ name: `${longest}z` }] }))).toBe('name at offset 12 is longer than 255 bytes');
    expect(problem(Buffer.concat([dnsMessage({ questions: [] }).subarray(0, 4), u16(1), Buffer.alloc(6), Buffer.from('05616263', 'hex')]))).toBe(
      'name at offset 12: a label runs past the end of its record',
    );
  });

  it('reads the root, and writes unprintable bytes as tshark does', () => {
    expect(read(dnsMessage({ questions: [{ name: '.' }] })).name).toBe('.');
    const odd = Buffer.concat([Buffer.from([3, 0x61, 0x2e, 0x62, 4, 0x09, 0x00, 0x7f, 0x5c, 3, 0xc3, 0xa9, 0xff, 2, 0xe2, 0x80, 0]), Buffer.alloc(0)]);
    expect(read(dnsMessage({ questions: [{ name: odd }] })).name).toBe('a.b.\\t\\000\\177\\.é\uFFFD.\uFFFD');
    const format = Buffer.from([3, 0xe2, 0x80, 0x8b, 0]);
    expect(read(dnsMessage({ questions: [{ name: format }] })).name).toBe('\\u200B');
    const txt = dnsMessage({ flags: RESPONSE, questions: [{ name: 'x' }], answers: [{ type: 16, data: rdata.txt(Buffer.from('a\nb\x01', 'latin1'), Buffer.from('ü', 'utf8')) }] });
    expect(read(txt).answers).toEqual(['a\\nb\\001ü']);
  });

  it('clears the unicast-response bit of mDNS question classes', () => {
    const m = dnsMessage({ flags: 0, questions: [{ name: '_ipp._tcp.local', type: 12, class: 0x8001 }] });
    expect(read(m, true).class).toBe(1);
    expect(read(m, false).class).toBe(0x8001);
  });

  it('finds malformed records in every section, not only the answers', () => {
    const question = { name: 'example.com' };
    const a = { type: 1, data: rdata.a('192.0.2.1') };
    expect(problem(dnsMessage({ flags: RESPONSE, questions: [question], answers: [a], authority: [{ type: 2, data: Buffer.from('05616263', 'hex') }] }))).toBe(
      'name at offset 57: a label runs past the end of its record',
    );
    const cut = dnsMessage({ flags: RESPONSE, questions: [question], answers: [a], additional: [{ type: 41, data: Buffer.alloc(4) }] });
    expect(problem(cut.subarray(0, cut.length - 2))).toBe('resource record 2 of 2 (type 41) has 4 data bytes, 2 are left');
    expect(problem(dnsMessage({ flags: RESPONSE, questions: [question], answers: [{ type: 1, data: Buffer.alloc(5) }] }))).toBe('A record with 5 data bytes instead of 4');
    expect(problem(dnsMessage({ flags: RESPONSE, questions: [question], answers: [{ type: 16, data: Buffer.from('0561', 'hex') }] }))).toBe(
      'TXT character-string of 5 bytes runs past its record',
    );
    expect(problem(dnsMessage({ flags: RESPONSE, questions: [question], answers: [{ type: 6, data: Buffer.concat([wireName('a'), wireName('b'), u32(1)]) }] }))).toBe(
      'SOA record cut: 4 of the 20 bytes of numbers after its names',
    );
  });

  it('refuses what is too short to be a message, and ignores bytes after the last record', () => {
    expect(problem(Buffer.alloc(11))).toBe('11 bytes, shorter than the 12-byte DNS header');
    expect(problem(Buffer.concat([u16(1), u16(0), u16(40000), Buffer.alloc(6)]))).toBe('name at offset 12 runs past the end of its record');
    const q = dnsMessage({ questions: [{ name: 'a.example', type: 1 }] });
    expect(problem(q.subarray(0, q.length - 1))).toBe('question 1 of 1 cut after its name');
    expect(read(Buffer.concat([q, Buffer.from('trailing')])).name).toBe('a.example');
  });
});
