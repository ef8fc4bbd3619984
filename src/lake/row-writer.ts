import { join } from 'node:path';
import type { BulkTable, EngineSession } from '../engine/index.js';
import { EXCERPT_MAX, PARTITION_COLUMNS, quarantine, type RejectReason, type TableDef } from '../schema/index.js';
import { canonicalSelect } from '../schema/sql.js';
import { ColumnBatch } from './column-batch.js';
import type { SourceInfo } from './load.js';

export interface RowWriterOptions {
  /** Folder this source's Parquet files are staged in before commit. */
  readonly stagingDir: string;
  readonly rowGroupRows: number;
  /** Rows per staged chunk (a Parquet file per hour per chunk). */
  readonly chunkRows: number;
}

/** Where a record is: a line (text) or a byte offset (binary). */
export interface RowPosition {
  readonly line?: number;
  readonly offset?: number;
}

const BATCH_ROWS = 8192;
const REJECT_COLUMNS = ['line', 'offset', 'reason', 'detail', 'excerpt'] as const;

/**
 * The sink of row decoders: rows are gathered in columnar batches and bulk-appended to a table of
 * a private DuckDB, and every chunkRows rows that table is written as Parquet partitioned by hour
 * into the source's staging folder, while the next chunk fills a second table. Rejected records
 * go to a table of their own and end as the source's staged quarantine file. Validation is the
 * decoder's: rows arrive typed.
 *
 * append() and reject() are synchronous (decoders call them in their hot loop); writing a chunk
 * is not. A chunk that fills while the previous one is still being written keeps filling until
 * that write is done; backlog() tells the producer to wait meanwhile. close() waits for everything.
 */
export class RowWriter {
  readonly #batch: ColumnBatch;
  readonly #rejects: ColumnBatch;
  #tables: BulkTable[] = [];
  #rejectTable: BulkTable | null = null;
  #current = 0;
  #inCurrent = 0;
  #chunkNo = 0;
  #writing: Promise<void> | null = null;
  #failure: unknown = null;
  rows = 0;
  rejected = 0;

  private constructor(
    private readonly appendSession: EngineSession,
    private readonly copySession: EngineSession,
    private readonly table: TableDef,
    private readonly source: SourceInfo,
    private readonly options: RowWriterOptions,
  ) {
    this.#batch = new ColumnBatch(table, BATCH_ROWS);
    this.#rejects = new ColumnBatch(rejectTable, 1024);
  }

  /** A writer on two sessions of one engine: one appends, the other writes chunks meanwhile. */
  static async open(appendSession: EngineSession, copySession: EngineSession, table: TableDef, source: SourceInfo, options: RowWriterOptions): Promise<RowWriter> {
    const w = new RowWriter(appendSession, copySession, table, source, options);
    const columns = (t: TableDef) => t.sourceColumns.map((name) => ({ name, kind: t.columns[name]!.kind }));
    w.#tables = [await appendSession.bulkTable('rows_a', columns(table)), await appendSession.bulkTable('rows_b', columns(table))];
    w.#rejectTable = await appendSession.bulkTable('rejects', columns(rejectTable));
    return w;
  }

  append(row: object, _at: RowPosition): void {
    this.#batch.push(row as Record<string, unknown>);
    this.rows++;
    if (this.#batch.full) this.#flushBatch();
  }

  reject(reason: RejectReason, at: RowPosition, detail?: string, excerpt?: string): void {
    this.#rejects.push({ line: at.line ?? null, offset: at.offset ?? null, reason, detail: detail?.slice(0, 2000) ?? null, excerpt: excerpt?.slice(0, EXCERPT_MAX) ?? null });
    this.rejected++;
    if (this.#rejects.full) this.#flushRejects();
  }

  /**
   * What a producer should wait for before handing more rows: the chunk being written, once the
   * next one is already full; null while there is room. Bounds memory when decoding outpaces
   * writing.
   */
  backlog(): Promise<void> | null {
    return this.#inCurrent >= this.options.chunkRows ? this.#writing : null;
  }

  /** Write what is left; returns the staged quarantine file, if any record was rejected. */
  async close(): Promise<{ rows: number; rejected: number; quarantineFile: string | null }> {
    this.#flushBatch();
    this.#flushRejects();
    await this.#writing;
    if (this.#failure) throw this.#failure;
    if (this.#inCurrent > 0) await this.#writeChunk(this.#tables[this.#current]!);
    let quarantineFile: string | null = null;
    if (this.rejected > 0) {
      const d = this.appendSession.dialect;
      quarantineFile = join(this.options.stagingDir, 'decoder-quarantine.parquet');
      const meta = [`CAST(now() AS TIMESTAMP) AS ingested`, `${d.string(this.source.type)} AS type`, `${d.string(this.source.path)} AS source`, `${d.string(this.source.decoder)} AS decoder`];
      this.#rejectTable!.flush();
      await this.appendSession.export(`SELECT ${meta.join(', ')}, ${REJECT_COLUMNS.map((c) => d.ident(c)).join(', ')} FROM ${this.#rejectTable!.relation}`, {
        format: 'parquet',
        path: quarantineFile,
      });
    }
    for (const t of ['rows_a', 'rows_b', 'rejects']) await this.appendSession.run(`DROP TABLE IF EXISTS ${t}`);
    return { rows: this.rows, rejected: this.rejected, quarantineFile };
  }

  #flushBatch(): void {
    if (this.#batch.rows === 0) return;
    if (this.#failure) throw this.#failure;
    this.#tables[this.#current]!.append(this.#batch.columns, this.#batch.rows);
    this.#inCurrent += this.#batch.rows;
    this.#batch.clear();
    if (this.#inCurrent >= this.options.chunkRows && this.#writing === null) {
      const full = this.#tables[this.#current]!;
      this.#current = 1 - this.#current;
      this.#inCurrent = 0;
      this.#writing = this.#writeChunk(full).then(
        () => {
          this.#writing = null;
        },
        (e: unknown) => {
          this.#failure = e;
          this.#writing = null;
        },
      );
    }
  }

  #flushRejects(): void {
    if (this.#rejects.rows === 0) return;
    this.#rejectTable!.append(this.#rejects.columns, this.#rejects.rows);
    this.#rejects.clear();
  }

  /** One chunk table to Parquet under the staging folder, partitioned by hour; then empty it. */
  async #writeChunk(table: BulkTable): Promise<void> {
    table.flush();
    const d = this.copySession.dialect;
    const part = d.ident(this.table.partitionBy);
    const partitions = ['year', 'month', 'day', 'hour'].map((fn, i) => `${fn}(${part}) AS ${PARTITION_COLUMNS[i]}`);
    await this.copySession.export(`SELECT ${[...canonicalSelect(this.table, d), ...partitions].join(', ')} FROM ${table.relation} AS r`, {
      format: 'parquet',
      path: join(this.options.stagingDir, 'data'),
      partitionBy: PARTITION_COLUMNS,
      fileName: `${this.source.sourceId}-${this.#chunkNo++}-{i}`,
      rowGroupRows: this.options.rowGroupRows,
      metadata: { spothreat_schema: this.table.hash, spothreat_source: this.source.path },
    });
    await table.clear(this.copySession);
  }
}

/** The columns of a rejected record a decoder reports, typed as the quarantine table has them. */
const rejectTable: TableDef = {
  ...quarantine,
  sourceColumns: REJECT_COLUMNS,
  columnNames: REJECT_COLUMNS,
};
