import { COLUMN_KINDS, type ColumnKind, type TimePart } from '../../schema/columns.js';

/**
 * Everything that differs between the SQL engines lives behind this interface.
 * Stages write SQL through it and never name an engine.
 */
export interface Dialect {
  readonly name: 'duckdb' | 'spark';
  /** Quote an identifier (column, table, view). */
  ident(name: string): string;
  /** A string literal with the engine's escaping. */
  string(value: string): string;
  /** SQL type of a schema column kind. */
  type(kind: ColumnKind): string;
  /** An expression extracting a part of a timestamp expression. */
  timePart(part: TimePart, expr: string): string;
  /** Parse an expression holding epoch microseconds into a timestamp. */
  fromEpochMicros(expr: string): string;
  /** Epoch microseconds of a timestamp expression, as BIGINT. */
  epochMicros(expr: string): string;
  /** Shannon entropy, in bits, of the characters of a text expression (0 for ""). */
  stringEntropy(expr: string): string;
  /** Cast that yields NULL instead of failing. */
  tryCast(expr: string, kind: ColumnKind): string;
  /** A timestamp literal (UTC, millisecond precision) for a time in epoch milliseconds. */
  timestamp(ms: number): string;
  /** Aggregate: the non-NULL values of expr as an array, ordered by the numeric orderBy descending, at most limit. */
  listByDesc(expr: string, orderBy: string, limit?: number): string;
  /** The elements of an array expression joined into text with a separator. */
  joinList(expr: string, separator: string): string;
  /** In a SELECT list: one output row per element of an array expression (no row for an empty or NULL array). */
  unnestList(expr: string): string;
  /** A JSON object (as text) from named expressions. */
  jsonObject(fields: Readonly<Record<string, string>>): string;
  /** True when the text expression matches the regular expression (a literal). */
  regexMatches(expr: string, pattern: string): string;
}

export abstract class BaseDialect implements Dialect {
  abstract readonly name: 'duckdb' | 'spark';
  abstract ident(name: string): string;
  abstract string(value: string): string;
  abstract fromEpochMicros(expr: string): string;
  abstract epochMicros(expr: string): string;
  abstract tryCast(expr: string, kind: ColumnKind): string;
  abstract stringEntropy(expr: string): string;
  abstract listByDesc(expr: string, orderBy: string, limit?: number): string;
  abstract joinList(expr: string, separator: string): string;
  abstract unnestList(expr: string): string;
  abstract jsonObject(fields: Readonly<Record<string, string>>): string;
  abstract regexMatches(expr: string, pattern: string): string;

  type(kind: ColumnKind): string {
    return COLUMN_KINDS[kind][this.name];
  }

  timestamp(ms: number): string {
    return `CAST(${this.string(new Date(ms).toISOString().replace('T', ' ').replace('Z', ''))} AS TIMESTAMP)`;
  }

  timePart(part: TimePart, expr: string): string {
    switch (part) {
      case 'epoch':
        return this.epochSeconds(expr);
      case 'year':
      case 'month':
      case 'day':
      case 'hour':
      case 'minute':
      case 'second':
        return `${part}(${expr})`;
      case 'date':
      case 'time':
        return this.formatTime(expr, part);
    }
  }

  protected abstract epochSeconds(expr: string): string;
  /** A timestamp as text: date YYYY-MM-DD or time HH:MM:SS. */
  protected abstract formatTime(expr: string, part: 'date' | 'time'): string;
}

/** Identifiers we generate must already be safe; this guards names that reach SQL from elsewhere. */
export function assertIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(name)) throw new Error(`not a valid SQL identifier: ${JSON.stringify(name)}`);
  return name;
}
