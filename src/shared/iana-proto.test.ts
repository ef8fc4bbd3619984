import { describe, expect, it } from 'vitest';
import { normaliseProto, protoName, protoNumber } from './iana-proto.js';

describe('protocol names', () => {
  it('uses nfdump names in upper case', () => {
    expect(protoName(6)).toBe('TCP');
    expect(protoName(58)).toBe('ICMP6');
    expect(protoName(47)).toBe('GRE');
    expect(protoName(253)).toBe('253');
  });
  it('normalises names from any source', () => {
    expect(normaliseProto('tcp')).toBe('TCP');
    expect(normaliseProto('17')).toBe('UDP');
    expect(normaliseProto('icmp', true)).toBe('ICMP6');
    expect(normaliseProto('icmp', false)).toBe('ICMP');
    expect(normaliseProto('ipv6-icmp')).toBe('ICMP6');
    expect(normaliseProto('arp')).toBe('ARP');
    expect(protoNumber('UDP')).toBe(17);
  });
});
