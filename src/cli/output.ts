import { csvField } from '../shared/csv.js';

export type OutputFormat = 'table' | 'csv' | 'json';

export interface Column<T> {
  readonly key: keyof T & string;
  readonly title?: string;
  readonly align?: 'left' | 'right';
}

/**
 * The one way results leave the CLI: an aligned table by default, CSV or JSON lines with --format.
 */
export function printRows<T extends object>(rows: readonly T[], columns: readonly Column<T>[], format: OutputFormat, out: NodeJS.WritableStream = process.stdout): void {
  if (format === 'json') {
    for (const r of rows) out.write(JSON.stringify(Object.fromEntries(columns.map((c) => [c.key, (r as Record<string, unknown>)[c.key]]))) + '\n');
    return;
  }
  if (format === 'csv') {
    out.write(columns.map((c) => c.key).join(',') + '\n');
    for (const r of rows) out.write(columns.map((c) => csvField((r as Record<string, unknown>)[c.key])).join(',') + '\n');
    return;
  }
  const cells = rows.map((r) => columns.map((c) => show((r as Record<string, unknown>)[c.key])));
  const titles = columns.map((c) => c.title ?? c.key);
  const widths = titles.map((t, i) => Math.max(t.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (columns[i]!.align === 'right' ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd() + '\n';
  out.write(line(titles));
  for (const row of cells) out.write(line(row));
}

function show(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(3);
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** Diagnostics go to stderr, so that stdout stays data. */
export function note(message: string): void {
  process.stderr.write(message + '\n');
}
