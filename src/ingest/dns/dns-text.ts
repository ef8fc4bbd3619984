/**
 * DNS names and character-strings as text, the way Wireshark 4.0 shows them (format_text), so
 * that rows read natively and through tshark agree, as Spot's tshark-made rows did:
 * - printable ASCII (space to "~") as is, dots and backslashes inside labels included;
 * - \a \b \t \n \v \f \r for those controls, other controls and DEL as three-digit octal (\033);
 * - bytes from 0x80 decoded as UTF-8 (an invalid sequence becomes U+FFFD), and code points that
 *   are not printable (control, format, unassigned, private use) written \uXXXX or \UXXXXXXXX.
 */

type Latin1Buffer = Buffer & { latin1Slice(start: number, end: number): string };

/** Printable ASCII bytes in buf[start, end) as a string, in one native call. */
export function latin1(buf: Buffer, start: number, end: number): string {
  return (buf as Latin1Buffer).latin1Slice(start, end);
}

const C_ESCAPES: Readonly<Record<number, string>> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cn}\p{Co}\p{Cs}]/gu;
const CONTROLS = /[\x00-\x1f\x7f]/g;

/** Whether every byte of buf[start, end) is printable ASCII, so that latin1() is its text. */
export function isPlain(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** Any bytes as display text (see the module comment). */
export function displayText(buf: Buffer, start: number, end: number): string {
  let text = '';
  let i = start;
  while (i < end) {
    const c = buf[i]!;
    let j = i + 1;
    if (c >= 0x20 && c <= 0x7e) {
      while (j < end && buf[j]! >= 0x20 && buf[j]! <= 0x7e) j++;
      text += latin1(buf, i, j);
    } else if (c < 0x80) {
      text += controlEscape(c);
    } else {
      while (j < end && buf[j]! >= 0x80) j++;
      text += buf.toString('utf8', i, j).replace(NOT_PRINTABLE, escapeCodePoint);
    }
    i = j;
  }
  return text;
}

/** Text whose control characters (tshark's TXT strings keep them raw) escaped as displayText escapes those bytes. */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => controlEscape(c.charCodeAt(0)));
}

function controlEscape(code: number): string {
  return C_ESCAPES[code] ?? `\\${code.toString(8).padStart(3, '0')}`;
}

function escapeCodePoint(char: string): string {
  const code = char.codePointAt(0)!;
  return code > 0xffff ? `\\U${code.toString(16).toUpperCase().padStart(8, '0')}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
