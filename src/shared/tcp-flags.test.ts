import { describe, expect, it } from 'vitest';
import { flagsText, NO_FLAGS, parseFlagsText, TCP_FLAG } from './tcp-flags.js';

describe('tcp flags', () => {
  it('prints bits in nfdump positions CEUAPRSF', () => {
    expect(flagsText(TCP_FLAG.SYN | TCP_FLAG.ACK)).toBe('...A..S.');
    expect(flagsText(255)).toBe('CEUAPRSF');
    expect(flagsText(0)).toBe(NO_FLAGS);
  });

  it('reads the eight- and six-position texts and numbers nfdump printed', () => {
    expect(parseFlagsText('...AP.S.')).toBe(TCP_FLAG.ACK | TCP_FLAG.PSH | TCP_FLAG.SYN);
    expect(parseFlagsText('.A..SF')).toBe(TCP_FLAG.ACK | TCP_FLAG.SYN | TCP_FLAG.FIN);
    expect(parseFlagsText('0x1b')).toBe(0x1b);
    expect(parseFlagsText('27')).toBe(27);
    expect(parseFlagsText('........')).toBe(0);
  });

  it('rejects letters out of place and other text', () => {
    expect(parseFlagsText('S.......')).toBeNull();
    expect(parseFlagsText('...AP.S')).toBeNull();
    expect(parseFlagsText('256')).toBeNull();
    expect(parseFlagsText('syn')).toBeNull();
  });
});
