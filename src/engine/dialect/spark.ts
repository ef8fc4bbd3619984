import type { ColumnKind } from '../../schema/columns.js';
import { BaseDialect } from './dialect.js';

/**
 * Spark SQL. Differs from DuckDB in: identifiers in backticks; quotes and backslashes in strings
 * escaped with a backslash (Spark reads 'O''Brien' as two adjacent literals); unix_timestamp() for
 * epoch seconds; timestamp_micros(); try_cast() needs Spark 3.2+ and the ANSI-off default otherwise.
 */
export class SparkDialect extends BaseDialect {
  readonly name = 'spark' as const;

  ident(name: string): string {
    return `\`${name.replaceAll('`', '``')}\``;
  }

  string(value: string): string {
    if (value.includes('\0')) throw new Error('string literal contains a NUL byte');
    return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  }

  fromEpochMicros(expr: string): string {
    return `timestamp_micros(${expr})`;
  }

  epochMicros(expr: string): string {
    return `unix_micros(${expr})`;
  }

  stringEntropy(expr: string): string {
    // Spark has no entropy aggregate: the characters' frequencies through higher-order functions.
    const chars = `filter(split(${expr}, ''), c -> c != '')`;
    const p = `size(filter(${chars}, d -> d = c)) / length(${expr})`;
    return `coalesce(aggregate(transform(array_distinct(${chars}), c -> ${p}), 0D, (acc, q) -> acc - q * log2(q)), 0D)`;
  }

  listByDesc(expr: string, orderBy: string, limit?: number): string {
    // No ordered aggregates: sort (key, value) structs, then keep the values.
    const list = `transform(sort_array(collect_list(CASE WHEN ${expr} IS NOT NULL THEN struct(-(${orderBy}) AS k, ${expr} AS v) END)), x -> x.v)`;
    return limit === undefined ? list : `slice(${list}, 1, ${Math.floor(limit)})`;
  }

  joinList(expr: string, separator: string): string {
    return `array_join(${expr}, ${this.string(separator)})`;
  }

  unnestList(expr: string): string {
    return `explode(${expr})`;
  }

  jsonObject(fields: Readonly<Record<string, string>>): string {
    return `to_json(named_struct(${Object.entries(fields).map(([k, v]) => `${this.string(k)}, ${v}`).join(', ')}))`;
  }

  regexMatches(expr: string, pattern: string): string {
    return `(${expr} RLIKE ${this.string(pattern)})`;
  }

  tryCast(expr: string, kind: ColumnKind): string {
    return `try_cast(${expr} AS ${this.type(kind)})`;
  }

  protected formatTime(expr: string, part: 'date' | 'time'): string {
    return `date_format(${expr}, '${part === 'date' ? 'yyyy-MM-dd' : 'HH:mm:ss'}')`;
  }

  protected epochSeconds(expr: string): string {
    return `unix_timestamp(${expr})`;
  }
}
