/**
 * Field values of proxy logs, read without a regular expression per field: these run for every
 * field of millions of lines. Each throws a FieldError naming the field and its value.
 * @module
 */
import { canonicalIp } from '../../shared/ip.js';
import { FieldError, fieldValue, parseAddress } from '../../shared/record-fields.js';

/** "-" is how every proxy log writes "no value"; so is an empty field. */
export function orNull(text: string | undefined): string | null {
  return text === undefined || text === '-' || text === '' ? null : text;
}

/**
 * A dotted-quad IPv4 address exactly as node:net reads one (0-255, no leading zeros), checked by
 * hand: the regular expression behind isIP costs more than the rest of a Squid line.
 */
export function isDottedQuad(text: string): boolean {
  const len = text.length;
  if (len < 7 || len > 15) return false;
  let dots = 0;
  let octet = 0;
  let digits = 0;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) {
      if (digits === 0 || ++dots > 3) return false;
      octet = 0;
      digits = 0;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9 || (digits === 1 && octet === 0)) return false;
    octet = octet * 10 + d;
    if (++digits > 3 || octet > 255) return false;
  }
  return dots === 3 && digits > 0;
}

/** An address in canonical text (RFC 5952 for IPv6); IPv4, the common case, without a regular expression. */
export function addressValue(field: string, text: string): string {
  return isDottedQuad(text) ? text : parseAddress(field, text);
}

/** An address, or null when the text is not one. */
export function addressOrNull(text: string): string | null {
  return isDottedQuad(text) ? text : canonicalIp(text);
}

/** A whole number 0..max. */
export function uintValue(field: string, text: string, max: number = Number.MAX_SAFE_INTEGER): number {
  const len = text.length;
  if (len === 0 || len > 16) return slowUint(field, text, max);
  let n = 0;
  for (let i = 0; i < len; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return slowUint(field, text, max);
    n = n * 10 + d;
  }
  if (n > max) throw new FieldError('out-of-range', `${fieldValue(field, text)} is outside 0-${max}`);
  return n;
}

function slowUint(field: string, text: string, max: number): number {
  if (!/^-?\d+$/.test(text)) throw new FieldError('bad-field', `${fieldValue(field, text)} is not a whole number`);
  const n = Number(text);
  if (n < 0 || n > max) throw new FieldError('out-of-range', `${fieldValue(field, text)} is outside 0-${max}`);
  return n;
}

/** Epoch seconds with an optional fraction ("1157689312.049") as epoch microseconds, exactly. */
export function epochMicros(field: string, text: string): number {
  const dot = text.indexOf('.');
  const intEnd = dot < 0 ? text.length : dot;
  let seconds = 0;
  let micros = 0;
  let ok = intEnd > 0 && intEnd <= 12;
  for (let i = 0; ok && i < intEnd; i++) {
    const d = text.charCodeAt(i) - 48;
    ok = d >= 0 && d <= 9;
    seconds = seconds * 10 + d;
  }
  if (dot >= 0) {
    ok &&= dot + 1 < text.length && text.length - dot - 1 <= 9;
    for (let i = dot + 1, scale = 100_000; ok && i < text.length; i++, scale /= 10) {
      const d = text.charCodeAt(i) - 48;
      ok = d >= 0 && d <= 9;
      if (scale >= 1) micros += d * scale;
    }
  }
  if (!ok) throw new FieldError('bad-timestamp', `${fieldValue(field, text)} is not a time in epoch seconds`);
  return seconds * 1_000_000 + micros;
}

/** Milliseconds as logged in time-taken: whole milliseconds, or seconds when written with a fraction (the W3C draft's unit). */
export function millisValue(field: string, text: string): number {
  if (text.indexOf('.') < 0) return uintValue(field, text);
  if (!/^\d+\.\d+$/.test(text)) throw new FieldError('bad-field', `${fieldValue(field, text)} is not a duration`);
  return Math.round(Number(text) * 1000);
}

/**
 * A header value logged with '+' for its spaces, as IIS writes user agents
 * ("Mozilla/5.0+(Windows+NT+10.0)"); text that already holds spaces was not written that way.
 */
export function plusAsSpace(text: string | null): string | null {
  return text === null || text.indexOf('+') < 0 || text.indexOf(' ') >= 0 ? text : text.replaceAll('+', ' ');
}

/** Percent-escapes decoded when they form UTF-8 text (Squid URL-encodes user names); the text as it is otherwise. */
export function percentDecoded(text: string): string {
  if (text.indexOf('%') < 0) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
