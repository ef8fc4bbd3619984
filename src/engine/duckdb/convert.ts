import {
  DuckDBDateValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBValue,
} from '@duckdb/node-api';
import { DAY_MS } from '../../shared/time.js';
import type { SqlValue } from '../engine.js';

/** DuckDB values to plain JavaScript: safe integers as numbers, timestamps as UTC Dates. */
export function toJs(value: DuckDBValue): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') return value >= Number.MIN_SAFE_INTEGER && value <= Number.MAX_SAFE_INTEGER ? Number(value) : value;
    return value;
  }
  if (value instanceof DuckDBTimestampValue || value instanceof DuckDBTimestampTZValue) return new Date(Number(value.micros / 1000n));
  if (value instanceof DuckDBTimestampMillisecondsValue) return new Date(Number(value.millis));
  if (value instanceof DuckDBTimestampSecondsValue) return new Date(Number(value.seconds) * 1000);
  if (value instanceof DuckDBTimestampNanosecondsValue) return new Date(Number(value.nanos / 1_000_000n));
  if (value instanceof DuckDBDateValue) return new Date(value.days * DAY_MS);
  if ('items' in value && Array.isArray((value as { items: unknown }).items)) return (value as { items: DuckDBValue[] }).items.map(toJs);
  if ('entries' in value && typeof (value as { entries: unknown }).entries === 'object') {
    const entries = (value as { entries: Record<string, DuckDBValue> | { key: DuckDBValue; value: DuckDBValue }[] }).entries;
    if (Array.isArray(entries)) return entries.map((e) => ({ key: toJs(e.key), value: toJs(e.value) }));
    return Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, toJs(v)]));
  }
  return String(value);
}

export function rowToJs(row: Record<string, DuckDBValue>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in row) out[key] = toJs(row[key]!);
  return out;
}

/** Parameters to DuckDB values: Dates become timestamps. */
export function toDuckDbParams(params: Readonly<Record<string, SqlValue>> | undefined): Record<string, DuckDBValue> | undefined {
  if (!params) return undefined;
  const out: Record<string, DuckDBValue> = {};
  for (const [k, v] of Object.entries(params)) out[k] = v instanceof Date ? new DuckDBTimestampValue(BigInt(v.getTime()) * 1000n) : v;
  return out;
}
