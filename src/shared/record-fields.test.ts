import { describe, expect, it } from 'vitest';
import { icmpPort, parseAddress, parseCount, parsePort, required } from './record-fields.js';
import { fieldProblem } from './testing.js';


describe('record fields', () => {
  it('reads ports and counters, naming the field and value when they do not fit', () => {
    expect(parsePort('dp', '65535')).toBe(65535);
    expect(parseCount('ibyt', '9007199254740991')).toBe(9007199254740991);
    expect(fieldProblem(() => parsePort('dp', '65536'))).toEqual(['out-of-range', 'dp "65536" is outside 0-65535']);
    expect(fieldProblem(() => parsePort('sp', '-1'))).toEqual(['out-of-range', 'sp "-1" is outside 0-65535']);
    expect(fieldProblem(() => parseCount('ipkt', '1.5'))).toEqual(['bad-field', 'ipkt "1.5" is not a whole number']);
    expect(fieldProblem(() => parseCount('ipkt', '9007199254740992'))).toEqual(['out-of-range', 'ipkt "9007199254740992" is outside 0-9007199254740991']);
  });

  it('canonicalises addresses', () => {
    expect(parseAddress('sa', '2001:0DB8::0001')).toBe('2001:db8::1');
    expect(fieldProblem(() => parseAddress('sa', '10.0.0.256'))).toEqual(['bad-field', 'sa "10.0.0.256" is not an IP address']);
  });

  it('packs ICMP type and code as nfdump does', () => {
    expect(icmpPort('dp', 3, 4)).toBe(772);
    expect(fieldProblem(() => icmpPort('dp', 256, 0))[0]).toBe('out-of-range');
  });

  it('refuses empty required fields', () => {
    expect(required('ts', '1')).toBe('1');
    expect(fieldProblem(() => required('ts', ''))).toEqual(['missing-field', 'ts is empty']);
    expect(fieldProblem(() => required('ts', null))).toEqual(['missing-field', 'ts is empty']);
  });
});
