import type { ColumnKind } from '../../schema/columns.js';
import { BaseDialect } from './dialect.js';

/**
 * DuckDB SQL. Differs from Spark in: identifiers in double quotes; quotes in strings doubled;
 * epoch() for seconds; make_timestamp(micros); TRY_CAST.
 */
export class DuckDbDialect extends BaseDialect {
  readonly name = 'duckdb' as const;

  ident(name: string): string {
    return `"${name.replaceAll('"', '""')}"`;
  }

  string(value: string): string {
    if (value.includes('\0')) throw new Error('string literal contains a NUL byte');
    return `'${value.replaceAll("'", "''")}'`;
  }

  fromEpochMicros(expr: string): string {
    return `make_timestamp(${expr})`;
  }

  epochMicros(expr: string): string {
    return `epoch_us(${expr})`;
  }

  stringEntropy(expr: string): string {
    // entropy() is DuckDB's log-2 Shannon entropy aggregate; over the list of characters.
    return `coalesce(list_aggregate(string_split(${expr}, ''), 'entropy'), 0)`;
  }

  listByDesc(expr: string, orderBy: string, limit?: number): string {
    const list = `coalesce(list(${expr} ORDER BY ${orderBy} DESC) FILTER (WHERE ${expr} IS NOT NULL), [])`;
    return limit === undefined ? list : `list_slice(${list}, 1, ${Math.floor(limit)})`;
  }

  joinList(expr: string, separator: string): string {
    return `array_to_string(${expr}, ${this.string(separator)})`;
  }

  unnestList(expr: string): string {
    return `unnest(${expr})`;
  }

  jsonObject(fields: Readonly<Record<string, string>>): string {
    return `CAST(to_json(struct_pack(${Object.entries(fields).map(([k, v]) => `${this.ident(k)} := ${v}`).join(', ')})) AS VARCHAR)`;
  }

  regexMatches(expr: string, pattern: string): string {
    return `regexp_matches(${expr}, ${this.string(pattern)})`;
  }

  tryCast(expr: string, kind: ColumnKind): string {
    return `TRY_CAST(${expr} AS ${this.type(kind)})`;
  }

  protected formatTime(expr: string, part: 'date' | 'time'): string {
    return `strftime(${expr}, '${part === 'date' ? '%Y-%m-%d' : '%H:%M:%S'}')`;
  }

  protected epochSeconds(expr: string): string {
    return `CAST(floor(epoch(${expr})) AS BIGINT)`;
  }
}
