import type { BatchColumn } from '../lake/column-batch.js';
import type { ColumnKind, TableDef, TelemetryType } from '../schema/index.js';
import type { Dialect } from './dialect/index.js';

/** A value bound to a named parameter: `$name` in the SQL text. */
export type SqlValue = string | number | boolean | bigint | null | Date;
export type SqlParams = Readonly<Record<string, SqlValue>>;

/** One result row. Integers are numbers (bigint beyond 2^53), timestamps are Dates, UTC. */
export type Row = Record<string, unknown>;

/** Hours [from, to): epoch milliseconds, rounded down to the hour. Unbounded when omitted. */
export interface TimeRange {
  readonly from?: number;
  readonly to?: number;
}

export interface ExportTarget {
  readonly format: 'parquet' | 'csv';
  /** A file, or a folder when partitionBy is set. */
  readonly path: string;
  /** Hive-style partition columns, in path order. */
  readonly partitionBy?: readonly string[];
  /** File name inside each partition, without extension. */
  readonly fileName?: string;
  readonly rowGroupRows?: number;
  /** Key-value metadata written into Parquet footers. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Rows of a numeric query: one Float64Array per column, in the query's column order. */
export interface NumericChunk {
  readonly rows: number;
  readonly columns: readonly Float64Array[];
}

/** A column of a registered in-memory table. */
export interface ColumnDecl {
  readonly name: string;
  readonly type: 'text' | 'int' | 'bigint' | 'double' | 'bool' | 'timestamp';
}

/** How a column of each kind is declared for registerTable (lists have no declaration). */
const DECLARED: Partial<Record<ColumnKind, ColumnDecl['type']>> = {
  timestamp: 'timestamp', ip: 'text', text: 'text', port: 'int', int: 'int', count: 'bigint', bigint: 'bigint', double: 'double', bool: 'bool',
};

/** The declarations of a table's columns (all, or the names given), from the schema; list columns are left out. */
export function columnDecls(table: Pick<TableDef, 'columns' | 'columnNames'>, names: readonly string[] = table.columnNames): ColumnDecl[] {
  return names.flatMap((name): ColumnDecl[] => {
    const column = table.columns[name];
    if (column === undefined) throw new Error(`no column ${name}`);
    const type = DECLARED[column.kind];
    return type ? [{ name, type }] : [];
  });
}

/**
 * The only way stages reach SQL. Temporary views and tables live in a session; the engine
 * itself is a session too (its default one).
 */
export interface EngineSession {
  readonly dialect: Dialect;
  /** Run statements that return nothing. */
  run(sql: string, params?: SqlParams): Promise<void>;
  /** Run a query and return all its rows. */
  query<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T[]>;
  /**
   * Run a query whose columns are all numbers and get each as a Float64Array: the fast way to
   * bring millions of rows (document-word counts, topic mixes) into JavaScript. NULL reads as NaN.
   */
  numericColumns(sql: string, params?: SqlParams): Promise<{ rows: number; columns: Record<string, Float64Array> }>;
  /**
   * The same, a chunk at a time, for a caller that fills arrays it sized itself (the LDA corpus): no result is ever
   * held whole. Each chunk's columns, in the query's order, are valid until the next chunk is asked for.
   */
  numericChunks(sql: string, params?: SqlParams): AsyncIterable<NumericChunk>;
  /** Run a query and yield its rows in batches, without holding the whole result. */
  stream<T extends Row = Row>(sql: string, params?: SqlParams): AsyncIterable<T[]>;
  /**
   * Make the lake's rows of one type in a time range visible as a temporary view and return its
   * quoted name. Hours with no files make an empty view with the right columns.
   */
  lakeView(type: TelemetryType, range?: TimeRange, viewName?: string): Promise<string>;
  /**
   * Parquet files written by a stage (ML results, OA tables) as a temporary view; returns its quoted name. Missing
   * files are skipped; with none left the view is empty, with the columns of `empty`.
   */
  parquetView(viewName: string, paths: readonly string[], empty: TableDef): Promise<string>;
  /** The quarantined records of one type as a temporary view; returns its quoted name. */
  quarantineView(type: TelemetryType, viewName?: string): Promise<string>;
  /** Register small in-memory rows (context lists, feedback) as a temporary table. */
  registerTable(name: string, columns: readonly ColumnDecl[], rows: readonly (readonly SqlValue[])[]): Promise<void>;
  /** Create (or empty) a table that takes columnar batches synchronously: ingest's bulk load. */
  bulkTable(name: string, columns: readonly { readonly name: string; readonly kind: ColumnKind }[]): Promise<BulkTable>;
  /** Write a query's result to Parquet or CSV. */
  export(sql: string, target: ExportTarget): Promise<void>;
  /** A relation reading a delimited text file (ingest staging); lines that do not convert go to rejectsTable. */
  readText(path: string, options: ReadTextOptions): string;
  close(): Promise<void>;
}

export interface BulkTable {
  /** The table's name, a checked identifier. */
  readonly name: string;
  /** A relation (for FROM) yielding the appended rows, with the declared column names and types. */
  readonly relation: string;
  /** Append a batch holding the declared columns, in order. */
  append(columns: readonly BatchColumn[], rows: number): void;
  /** Make appended rows visible to queries; appending may go on afterwards. */
  flush(): void;
  /**
   * Remove every row, running the statement on `via`: another session of the same engine, so
   * that appending to other tables on this one can go on meanwhile.
   */
  clear(via: EngineSession): Promise<void>;
}

export interface ReadTextOptions {
  /** Column names in file order, with the SQL type each is read as. */
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly delimiter: string;
  /** The first line names the columns and is skipped. */
  readonly header?: boolean;
  /** Honour double quotes ("a,b" and "" escapes); off for tool output that never quotes. */
  readonly quoted: boolean;
  /** Name of a table that collects lines that cannot be split into the columns. */
  readonly rejectsTable?: string;
  readonly maxLineBytes?: number;
}

export interface Engine extends EngineSession {
  readonly name: 'duckdb';
  readonly lakePath: string;
  /** A separate session: its own temporary objects, runs concurrently with others. */
  session(): Promise<EngineSession>;
}
