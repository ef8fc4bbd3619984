/**
 * RFC 4180 field: quoted when it holds a delimiter, a quote or a line break, or is the empty
 * string (so that it differs from a missing value, written as nothing). Lists become JSON arrays.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const s = Array.isArray(value) ? JSON.stringify(value) : value instanceof Date ? value.toISOString() : String(value);
  if (s === '' || /[",\n\r]/.test(s)) return `"${s.replaceAll('"', '""')}"`;
  return s;
}
