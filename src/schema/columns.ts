/**
 * The only table that maps a column kind to its form in every target: TypeScript rows,
 * DuckDB and Spark SQL, Parquet and CSV. Everything else derives from it.
 *
 * Spark has no unsigned integers, so widths are chosen so both engines read the same values:
 * ports and interface indexes fit INTEGER, counters and AS numbers use BIGINT.
 * @module
 */

export interface KindInfo {
  /** DuckDB SQL type (also what DuckDB writes to Parquet). */
  readonly duckdb: string;
  /** Spark SQL type. */
  readonly spark: string;
  /** Parquet physical/logical type as written by the lake writer. */
  readonly parquet: string;
  /** How the value looks in CSV exports. */
  readonly csv: string;
  /** Lower and upper bound enforced at ingest, when the kind has one. */
  readonly range?: readonly [number, number];
}

export const COLUMN_KINDS = {
  timestamp: {
    duckdb: 'TIMESTAMP',
    spark: 'TIMESTAMP',
    parquet: 'INT64 TIMESTAMP(MICROS)',
    csv: 'YYYY-MM-DD HH:MM:SS[.ffffff], UTC',
  },
  ip: { duckdb: 'VARCHAR', spark: 'STRING', parquet: 'BYTE_ARRAY UTF8', csv: 'text' },
  port: { duckdb: 'INTEGER', spark: 'INT', parquet: 'INT32', csv: 'integer', range: [0, 65535] },
  int: { duckdb: 'INTEGER', spark: 'INT', parquet: 'INT32', csv: 'integer' },
  count: { duckdb: 'BIGINT', spark: 'BIGINT', parquet: 'INT64', csv: 'integer', range: [0, Number.MAX_SAFE_INTEGER] },
  bigint: { duckdb: 'BIGINT', spark: 'BIGINT', parquet: 'INT64', csv: 'integer' },
  double: { duckdb: 'DOUBLE', spark: 'DOUBLE', parquet: 'DOUBLE', csv: 'decimal' },
  text: { duckdb: 'VARCHAR', spark: 'STRING', parquet: 'BYTE_ARRAY UTF8', csv: 'text' },
  bool: { duckdb: 'BOOLEAN', spark: 'BOOLEAN', parquet: 'BOOLEAN', csv: 'true/false' },
  textList: { duckdb: 'VARCHAR[]', spark: 'ARRAY<STRING>', parquet: 'LIST<BYTE_ARRAY UTF8>', csv: 'JSON array of strings' },
} as const satisfies Record<string, KindInfo>;

export type ColumnKind = keyof typeof COLUMN_KINDS;

/** The TypeScript value of a kind in a decoded row. Timestamps are epoch microseconds, UTC. */
export interface TsOfKind {
  timestamp: number;
  ip: string;
  port: number;
  int: number;
  count: number;
  bigint: number;
  double: number;
  text: string;
  bool: boolean;
  textList: string[];
}

/** A part of a timestamp that a derived column holds; date and time are text (YYYY-MM-DD, HH:MM:SS). */
export type TimePart = 'epoch' | 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'date' | 'time';
