import type { DuckDBConnection } from '@duckdb/node-api';
import { PARTITION_COLUMNS, quarantine, tableFor, type TableDef, type TelemetryType } from '../../schema/index.js';
import { LAKE_DIRS, listPartitions, partitionDir, partitionStart, typeDir } from '../../lake/layout.js';
import { assertIdentifier } from '../dialect/index.js';
import { DuckDbDialect } from '../dialect/duckdb.js';
import type { ColumnDecl, EngineSession, ExportTarget, NumericChunk, ReadTextOptions, Row, SqlParams, SqlValue, BulkTable, TimeRange } from '../engine.js';
import duckdb from '@duckdb/node-bindings';
import { BulkAppender, bulkTableDdl, bulkTableRelation, type BulkColumn } from './bulk-table.js';
import { rowToJs, toDuckDbParams } from './convert.js';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

const DECL_TYPES: Record<ColumnDecl['type'], string> = {
  text: 'VARCHAR',
  int: 'INTEGER',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  bool: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
};

/** One DuckDB connection: its temporary views and tables are its own. */
export class DuckDbSession implements EngineSession {
  readonly dialect = new DuckDbDialect();

  constructor(
    protected readonly connection: DuckDBConnection,
    readonly lakePath: string,
  ) {}

  async run(sql: string, params?: SqlParams): Promise<void> {
    await this.connection.run(sql, toDuckDbParams(params));
  }

  async query<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, toDuckDbParams(params));
    return reader.getRowObjects().map(rowToJs) as T[];
  }

  async numericColumns(sql: string, params?: SqlParams): Promise<{ rows: number; columns: Record<string, Float64Array> }> {
    const names = await this.#columnNames(sql, params);
    let capacity = 1 << 16;
    let rows = 0;
    let columns = names.map(() => new Float64Array(capacity));
    for await (const chunk of this.#numericChunks(sql, params, names)) {
      if (rows + chunk.rows > capacity) {
        while (rows + chunk.rows > capacity) capacity *= 2;
        columns = columns.map((c) => {
          const grown = new Float64Array(capacity);
          grown.set(c.subarray(0, rows));
          return grown;
        });
      }
      chunk.columns.forEach((c, i) => columns[i]!.set(c, rows));
      rows += chunk.rows;
    }
    return { rows, columns: Object.fromEntries(names.map((name, i) => [name, columns[i]!.subarray(0, rows)])) };
  }

  async *numericChunks(sql: string, params?: SqlParams): AsyncIterable<NumericChunk> {
    yield* this.#numericChunks(sql, params, await this.#columnNames(sql, params));
  }

  /** The chunks of a query whose column names are known already. */
  async *#numericChunks(sql: string, params: SqlParams | undefined, names: readonly string[]): AsyncIterable<NumericChunk> {
    // Every column cast to DOUBLE so that one raw copy per vector brings it over.
    const cast = await this.connection.stream(
      `SELECT ${names.map((n) => `CAST(${this.dialect.ident(n)} AS DOUBLE) AS ${this.dialect.ident(n)}`).join(', ')} FROM (${sql}) AS q`,
      toDuckDbParams(params),
    );
    for (let chunk = await cast.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await cast.fetchChunk()) {
      const n = chunk.rowCount;
      const columns = names.map((_, i) => {
        const vector = duckdb.data_chunk_get_vector(chunk!.chunk, i);
        const data = new Float64Array(duckdb.vector_get_data(vector, n * 8).slice().buffer, 0, n);
        const validity = duckdb.vector_get_validity(vector, Math.ceil(n / 64) * 8) as Uint8Array | null;
        if (validity?.length) for (let r = 0; r < n; r++) if (!(validity[r >> 3]! & (1 << (r & 7)))) data[r] = NaN;
        return data;
      });
      yield { rows: n, columns };
    }
  }

  async #columnNames(sql: string, params?: SqlParams): Promise<string[]> {
    return (await this.connection.runAndReadAll(`SELECT * FROM (${sql}) AS q LIMIT 0`, toDuckDbParams(params))).columnNames();
  }

  async *stream<T extends Row = Row>(sql: string, params?: SqlParams): AsyncIterable<T[]> {
    const result = await this.connection.stream(sql, toDuckDbParams(params));
    for await (const batch of result.yieldRowObjects()) yield batch.map(rowToJs) as T[];
  }

  async lakeView(type: TelemetryType, range: TimeRange = {}, viewName: string = type): Promise<string> {
    const view = this.dialect.ident(assertIdentifier(viewName));
    const globs = await this.#lakeGlobs(type, range);
    const table = tableFor(type);
    let body: string;
    if (globs.length === 0) {
      const cols = [
        ...table.columnNames.map((n) => `CAST(NULL AS ${this.dialect.type(table.columns[n]!.kind)}) AS ${this.dialect.ident(n)}`),
        ...PARTITION_COLUMNS.map((p) => `CAST(NULL AS INTEGER) AS ${p}`),
      ];
      body = `SELECT ${cols.join(', ')} WHERE false`;
    } else {
      const list = globs.map((g) => this.dialect.string(g)).join(', ');
      const hiveTypes = PARTITION_COLUMNS.map((p) => `${p}: 'INTEGER'`).join(', ');
      body = `SELECT * FROM read_parquet([${list}], hive_partitioning = true, hive_types = {${hiveTypes}}, union_by_name = true)`;
    }
    await this.run(`CREATE OR REPLACE TEMP VIEW ${view} AS ${body}`);
    return view;
  }

  async parquetView(viewName: string, paths: readonly string[], empty: TableDef): Promise<string> {
    const view = this.dialect.ident(assertIdentifier(viewName));
    const present = (await Promise.all(paths.map(async (p) => ((await stat(p).catch(() => null))?.isFile() ? p : null)))).filter((p) => p !== null);
    const body = present.length
      ? `SELECT * FROM read_parquet([${present.map((p) => this.dialect.string(p)).join(', ')}], union_by_name = true, hive_partitioning = false)`
      : `SELECT ${empty.columnNames.map((n) => `CAST(NULL AS ${this.dialect.type(empty.columns[n]!.kind)}) AS ${this.dialect.ident(n)}`).join(', ')} WHERE false`;
    await this.run(`CREATE OR REPLACE TEMP VIEW ${view} AS ${body}`);
    return view;
  }

  async quarantineView(type: TelemetryType, viewName = `${type}_quarantine`): Promise<string> {
    const view = this.dialect.ident(assertIdentifier(viewName));
    const dir = join(this.lakePath, LAKE_DIRS.quarantine, type);
    const names = await readdir(dir).catch(() => [] as string[]);
    const q: TableDef = quarantine;
    const body = names.some((n) => n.endsWith('.parquet'))
      ? `SELECT * FROM read_parquet(${this.dialect.string(join(dir, '*.parquet'))}, union_by_name = true)`
      : `SELECT ${q.columnNames.map((n) => `CAST(NULL AS ${this.dialect.type(q.columns[n]!.kind)}) AS ${this.dialect.ident(n)}`).join(', ')} WHERE false`;
    await this.run(`CREATE OR REPLACE TEMP VIEW ${view} AS ${body}`);
    return view;
  }

  async #lakeGlobs(type: TelemetryType, range: TimeRange): Promise<string[]> {
    const parts = (await listPartitions(this.lakePath, type)).filter((p) => {
      const t = partitionStart(p);
      return (range.from === undefined || t >= range.from - (range.from % 3_600_000)) && (range.to === undefined || t < range.to);
    });
    const out: string[] = [];
    for (const p of parts) {
      const dir = partitionDir(this.lakePath, type, p);
      const names = await readdir(dir).catch(() => [] as string[]);
      if (names.some((n) => n.endsWith('.parquet'))) out.push(join(dir, '*.parquet'));
    }
    // One glob reads faster than thousands when the whole lake is wanted.
    if (range.from === undefined && range.to === undefined && out.length > 64) return [join(typeDir(this.lakePath, type), '*', '*', '*', '*', '*.parquet')];
    return out;
  }

  async registerTable(name: string, columns: readonly ColumnDecl[], rows: readonly (readonly SqlValue[])[]): Promise<void> {
    const table = this.dialect.ident(assertIdentifier(name));
    const cols = columns.map((c) => `${this.dialect.ident(assertIdentifier(c.name))} ${DECL_TYPES[c.type]}`).join(', ');
    await this.run(`CREATE OR REPLACE TEMP TABLE ${table} (${cols})`);
    const batch = 500;
    for (let i = 0; i < rows.length; i += batch) {
      const slice = rows.slice(i, i + batch);
      const params: Record<string, SqlValue> = {};
      const values = slice.map((row, r) => {
        if (row.length !== columns.length) throw new Error(`registerTable ${name}: row ${i + r} has ${row.length} values for ${columns.length} columns`);
        return `(${row.map((v, c) => ((params[`p${r}_${c}`] = v), `$p${r}_${c}`)).join(', ')})`;
      });
      await this.run(`INSERT INTO ${table} VALUES ${values.join(', ')}`, params);
    }
  }

  async bulkTable(name: string, columns: readonly BulkColumn[]): Promise<BulkTable> {
    const table = assertIdentifier(name);
    await this.run(bulkTableDdl(this.dialect, table, columns));
    // node-api keeps the C connection private; the bulk appender needs it.
    const raw = (this.connection as unknown as { connection: ConstructorParameters<typeof BulkAppender>[0] }).connection;
    let appender: BulkAppender | null = null;
    return {
      name: table,
      relation: bulkTableRelation(this.dialect, table, columns),
      append: (batch, rows) => {
        appender ??= new BulkAppender(raw, table, columns);
        appender.append(batch, rows);
      },
      flush: () => {
        appender?.close();
        appender = null;
      },
      clear: async (via: EngineSession) => {
        appender?.close();
        appender = null;
        // Replacing the table frees its memory at once; DELETE would only mark the rows.
        await via.run(bulkTableDdl(this.dialect, table, columns));
      },
    };
  }

  async export(sql: string, target: ExportTarget): Promise<void> {
    const opts: string[] = [`FORMAT ${target.format}`];
    if (target.format === 'parquet') {
      opts.push('COMPRESSION zstd');
      if (target.rowGroupRows) opts.push(`ROW_GROUP_SIZE ${Math.floor(target.rowGroupRows)}`);
      if (target.metadata) {
        const kv = Object.entries(target.metadata).map(([k, v]) => `${assertIdentifier(k)}: ${this.dialect.string(v)}`);
        opts.push(`KV_METADATA {${kv.join(', ')}}`);
      }
    } else {
      opts.push('HEADER true');
    }
    if (target.partitionBy?.length) {
      opts.push(`PARTITION_BY (${target.partitionBy.map((c) => this.dialect.ident(assertIdentifier(c))).join(', ')})`, 'OVERWRITE_OR_IGNORE');
      if (target.fileName) opts.push(`FILENAME_PATTERN ${this.dialect.string(`${target.fileName}`)}`);
    }
    await this.run(`COPY (${sql}) TO ${this.dialect.string(target.path)} (${opts.join(', ')})`);
  }

  readText(path: string, o: ReadTextOptions): string {
    const columns = o.columns.map((c) => `${this.dialect.string(assertIdentifier(c.name))}: ${this.dialect.string(c.type)}`).join(', ');
    const args = [
      this.dialect.string(path),
      'auto_detect = false',
      `header = ${o.header ? 'true' : 'false'}`,
      `columns = {${columns}}`,
      `delim = ${this.dialect.string(o.delimiter)}`,
      o.quoted ? `quote = '"', escape = '"', allow_quoted_nulls = false` : `quote = '', escape = ''`,
      `max_line_size = ${Math.max(o.maxLineBytes ?? 0, 2_097_152)}`,
    ];
    if (o.rejectsTable) {
      const t = assertIdentifier(o.rejectsTable);
      args.push('store_rejects = true', `rejects_table = '${t}'`, `rejects_scan = '${t}_scan'`);
    }
    return `read_csv(${args.join(', ')})`;
  }

  async close(): Promise<void> {
    this.connection.closeSync();
  }
}
