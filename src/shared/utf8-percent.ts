/**
 * Text from bytes that should be UTF-8 but may not be: log lines written by proxies that copy raw
 * request bytes (a Latin-1 query string, a broken user agent). Decoding them the usual way turns
 * each stray byte into U+FFFD and loses it; here it is kept percent-encoded instead ("caf%E9"),
 * which in a URI is the very same URI and elsewhere still shows what the byte was.
 */

const HEX = '0123456789ABCDEF';

/** Length of the valid UTF-8 sequence at i (RFC 3629: no overlongs, surrogates or > U+10FFFF), 0 when none. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  if (b < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => {
    const c = bytes[i + k];
    return c !== undefined && c >= lo && c <= hi;
  };
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0;
  if (b === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (b === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b >= 0xe1 && b <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b >= 0xf1 && b <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** The bytes as text: valid UTF-8 decoded, every byte of an invalid sequence written as %XX. */
export function decodeUtf8KeepingBytes(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let out = '';
  let run = 0;
  let i = 0;
  while (i < buf.length) {
    const n = sequenceLength(buf, i);
    if (n > 0) {
      i += n;
      continue;
    }
    const b = buf[i]!;
    out += buf.toString('utf8', run, i) + '%' + HEX[b >> 4]! + HEX[b & 15]!;
    i++;
    run = i;
  }
  return out + buf.toString('utf8', run, buf.length);
}
