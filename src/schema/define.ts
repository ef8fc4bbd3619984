import { createHash } from 'node:crypto';
import type { ColumnKind, TimePart, TsOfKind } from './columns.js';

/** One column of a canonical table. */
export interface ColumnSpec<K extends ColumnKind = ColumnKind> {
  readonly kind: K;
  readonly description: string;
  /** The column existed in Apache Spot's table under this name. */
  readonly spot?: boolean;
  /** Ingest rejects a record without it. */
  readonly required?: boolean;
  /** Computed by the lake writer from other columns; decoders never fill it. */
  readonly derived?: DerivedSpec;
}

/**
 * A part of a timestamp column (Spot's tryear … trsec), the seconds between two timestamps, or
 * text columns joined, each kept only when longer than minLength (Spot's fulluri).
 */
export type DerivedSpec =
  | { readonly kind: 'part'; readonly from: string; readonly part: TimePart }
  | { readonly kind: 'duration'; readonly from: string; readonly to: string }
  | { readonly kind: 'concat'; readonly parts: readonly { readonly from: string; readonly minLength?: number }[] };

export type ColumnMap = Readonly<Record<string, ColumnSpec>>;

export interface TableOptions<C extends ColumnMap> {
  /** Timestamp column that decides the y/m/d/h partition of a row. */
  readonly partitionBy: keyof C & string;
  readonly description: string;
}

export interface TableDef<N extends string = string, C extends ColumnMap = ColumnMap> {
  readonly name: N;
  readonly description: string;
  readonly columns: C;
  readonly partitionBy: string;
  /** Column names in canonical (Spot-first) order. */
  readonly columnNames: readonly string[];
  /** Columns a decoder fills: every column that is not derived. */
  readonly sourceColumns: readonly string[];
  /** Short stable hash of names, kinds and order; it versions the lake layout. */
  readonly hash: string;
}

/** Partition columns of every lake table, in path order. */
export const PARTITION_COLUMNS = ['y', 'm', 'd', 'h'] as const;
export type PartitionColumn = (typeof PARTITION_COLUMNS)[number];

interface ColOpts {
  readonly spot?: boolean;
  readonly required?: boolean;
}

function maker<K extends ColumnKind>(kind: K) {
  return <const O extends ColOpts = {}>(description: string, o?: O) => ({ kind, description, ...o }) as ColumnSpec<K> & O;
}

export const col = {
  timestamp: maker('timestamp'),
  ip: maker('ip'),
  port: maker('port'),
  int: maker('int'),
  count: maker('count'),
  bigint: maker('bigint'),
  double: maker('double'),
  text: maker('text'),
  bool: maker('bool'),
  textList: maker('textList'),
  /** A time part computed from a timestamp column, as Spot's tryear … trsec. */
  part: <K extends 'bigint' | 'int' | 'text', const O extends ColOpts = {}>(kind: K, from: string, part: TimePart, description: string, o?: O) =>
    ({ kind, description, derived: { kind: 'part', from, part }, ...o }) as ColumnSpec<K> & O & { derived: DerivedSpec },
  /** Text columns joined, each only when longer than its minLength, as Spot's fulluri. */
  concat: <const O extends ColOpts = {}>(parts: readonly { from: string; minLength?: number }[], description: string, o?: O) =>
    ({ kind: 'text', description, derived: { kind: 'concat', parts }, ...o }) as ColumnSpec<'text'> & O & { derived: DerivedSpec },
  /** Seconds from one timestamp column to another, as Spot's tdur. */
  duration: <const O extends ColOpts = {}>(from: string, to: string, description: string, o?: O) =>
    ({ kind: 'double', description, derived: { kind: 'duration', from, to }, ...o }) as ColumnSpec<'double'> & O & { derived: DerivedSpec },
};

export function defineTable<N extends string, C extends ColumnMap>(name: N, columns: C, options: TableOptions<C>): TableDef<N, C> {
  const columnNames = Object.keys(columns) as (keyof C & string)[];
  for (const [colName, c] of Object.entries(columns)) {
    if (!/^[a-z][a-z0-9_]*$/.test(colName)) throw new Error(`schema ${name}: column name ${colName} must be lowercase snake_case`);
    const d = c.derived;
    const sources = !d ? [] : d.kind === 'concat' ? d.parts.map((p) => p.from) : d.kind === 'duration' ? [d.from, d.to] : [d.from];
    const kind = d?.kind === 'concat' ? 'text' : 'timestamp';
    for (const src of sources) {
      if (columns[src]?.kind !== kind || columns[src]?.derived) throw new Error(`schema ${name}.${colName}: derived from ${src}, which is not a source ${kind} column`);
    }
  }
  if (columns[options.partitionBy]?.kind !== 'timestamp') throw new Error(`schema ${name}: partitionBy must name a timestamp column`);
  const sourceColumns = columnNames.filter((n) => !columns[n]!.derived);
  const hash = createHash('sha256')
    .update(JSON.stringify([name, options.partitionBy, columnNames.map((n) => [n, columns[n]!.kind, columns[n]!.derived ?? null])]))
    .digest('hex')
    .slice(0, 12);
  return { name, description: options.description, columns, partitionBy: options.partitionBy, columnNames, sourceColumns, hash };
}

type Nullable<S extends ColumnSpec> = S extends { required: true } ? never : null;

/** The row a decoder emits: every non-derived column, typed, null where unknown. */
export type RowOf<T extends TableDef> = {
  -readonly [K in keyof T['columns'] as T['columns'][K] extends { derived: object } ? never : K]: T['columns'][K] extends ColumnSpec<infer Kind>
    ? TsOfKind[Kind] | Nullable<T['columns'][K]>
    : never;
};
