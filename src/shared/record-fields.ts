/**
 * Reading the fields of one text record into typed values. A field that does not fit throws a
 * FieldError naming the field and its value, which a decoder turns into a quarantined record.
 */
import { canonicalIp } from './ip.js';

/** The reject reasons a single field can cause (a subset of the quarantine's closed list). */
export type FieldProblem = 'bad-field' | 'missing-field' | 'out-of-range' | 'bad-timestamp';

export class FieldError extends Error {
  constructor(
    readonly reason: FieldProblem,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'FieldError';
  }
}

/** How a field is named in a detail: its name and its value, quoted. */
export function fieldValue(field: string, value: string): string {
  return `${field} ${JSON.stringify(value)}`;
}

export const PORT_MAX = 65535;

/** A non-negative decimal integer up to max; a negative or larger number is out-of-range. */
export function parseUint(field: string, text: string, max: number = Number.MAX_SAFE_INTEGER): number {
  if (!/^-?\d+$/.test(text)) throw new FieldError('bad-field', `${fieldValue(field, text)} is not a whole number`);
  const n = Number(text);
  if (n < 0 || n > max) throw new FieldError('out-of-range', `${fieldValue(field, text)} is outside 0-${max}`);
  return n;
}

export function parsePort(field: string, text: string): number {
  return parseUint(field, text, PORT_MAX);
}

/** A packet or byte counter. */
export function parseCount(field: string, text: string): number {
  return parseUint(field, text);
}

/** An IP address in canonical text (RFC 5952 for IPv6). */
export function parseAddress(field: string, text: string): string {
  const ip = canonicalIp(text);
  if (ip === null) throw new FieldError('bad-field', `${fieldValue(field, text)} is not an IP address`);
  return ip;
}

/** A field the row cannot do without. */
export function required<T>(field: string, value: T | null | undefined): T {
  if (value === null || value === undefined || value === '') throw new FieldError('missing-field', `${field} is empty`);
  return value;
}

/** ICMP type and code in one port number, as nfdump stores them in the destination port. */
export function icmpPort(field: string, type: number, code: number): number {
  if (type > 255 || code > 255) throw new FieldError('out-of-range', `${field}: ICMP type ${type} and code ${code} must both be 0-255`);
  return type * 256 + code;
}

/** Text decoded from bytes that were not UTF-8 holds U+FFFD where they were. */
export function hasUndecodableBytes(text: string): boolean {
  return text.includes('\uFFFD');
}
