import { isUtf8 } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { decodeUtf8KeepingBytes } from './utf8-percent.js';

const bytes = (...parts: (string | number[])[]): Buffer => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

describe('decodeUtf8KeepingBytes', () => {
  it('decodes valid UTF-8 as TextDecoder does', () => {
    const text = 'GET /söme/路径/😀?q=ü';
    expect(decodeUtf8KeepingBytes(Buffer.from(text, 'utf8'))).toBe(text);
    expect(decodeUtf8KeepingBytes(Buffer.alloc(0))).toBe('');
  });

  it('keeps stray bytes percent-encoded, one %XX per byte', () => {
    expect(decodeUtf8KeepingBytes(bytes('/caf', [0xe9], '?q=1'))).toBe('/caf%E9?q=1');
    // A truncated 3-byte sequence, a lone continuation byte, a byte never used in UTF-8.
    expect(decodeUtf8KeepingBytes(bytes('a', [0xe2, 0x82], 'b', [0x80], 'c', [0xff]))).toBe('a%E2%82b%80c%FF');
    // Overlong "/" (C0 AF), an encoded surrogate (ED A0 80) and a code point above U+10FFFF (F4 90 80 80).
    expect(decodeUtf8KeepingBytes(bytes([0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]))).toBe('%C0%AF%ED%A0%80%F4%90%80%80');
    // Valid multi-byte characters around a bad byte stay characters.
    expect(decodeUtf8KeepingBytes(bytes('é', [0xfe], '€'))).toBe('é%FE€');
  });

  it('agrees with the runtime on what is valid', () => {
    for (const sample of [[0xe0, 0xa0, 0x80], [0xe0, 0x9f, 0x80], [0xf0, 0x90, 0x80, 0x80], [0xf0, 0x8f, 0xbf, 0xbf], [0xef, 0xbf, 0xbf], [0xc2, 0x80]]) {
      const b = Buffer.from(sample);
      expect(decodeUtf8KeepingBytes(b).includes('%'), sample.join(' ')).toBe(!isUtf8(b));
    }
  });
});
