import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BulkTable, EngineSession } from '../engine/index.js';
import { EXCERPT_MAX, PARTITION_COLUMNS, quarantine, type RejectReason, type TableDef } from '../schema/index.js';
import { canonicalSelect } from '../schema/sql.js';
import { ColumnBatch, type BatchColumn } from './column-batch.js';
import { partitionOf, partitionPath } from './layout.js';
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
const HOUR_MICROS = 3_600_000_000;

/** The hours (since the epoch) a chunk's rows fall in; unknown when a row has no time. */
interface ChunkHours {
  first: number;
  last: number;
  unknown: boolean;
}

const noHours = (): ChunkHours => ({ first: Infinity, last: -Infinity, unknown: false });
const REJECT_COLUMNS = ['line', 'offset', 'reason', 'detail', 'excerpt'] as const;

/**
 * The sink of row decoders: rows are gathered in columnar batches and bulk-appended to a table of
 * a private DuckDB, and every chunkRows rows that table is written as Parquet partitioned by hour
 * into the source's staging folder, while the next chunk fills another table. Rejected records
 * go to a table of their own and end as the source's staged quarantine file. Validation is the
 * decoder's: rows arrive typed.
 *
 * append() and reject() are synchronous (decoders call them in their hot loop); writing a chunk
 * is not. A chunk that fills while every copy session is writing keeps filling until one is
 * done; backlog() tells the producer to wait meanwhile. close() waits for everything.
 */
export class RowWriter {
  readonly #batch: ColumnBatch;
  readonly #rejects: ColumnBatch;
  /** The chunk table being filled, and the hours of its rows. */
  #current!: BulkTable;
  #hours = noHours();
  /** Where the partition column is among the source columns (-1: not one of them). */
  readonly #timeColumn: number;
  /** Empty chunk tables, one per idle copy session. */
  readonly #spare: BulkTable[] = [];
  /** Copy sessions not writing a chunk. */
  readonly #idle: EngineSession[];
  /** Chunk writes in progress. */
  readonly #writes = new Set<Promise<void>>();
  #rejectTable: BulkTable | null = null;
  #inCurrent = 0;
  #chunkNo = 0;
  #failure: unknown = null;
  rows = 0;
  rejected = 0;

  private constructor(
    private readonly appendSession: EngineSession,
    copySessions: readonly EngineSession[],
    private readonly table: TableDef,
    private readonly source: SourceInfo,
    private readonly options: RowWriterOptions,
  ) {
    this.#batch = new ColumnBatch(table, BATCH_ROWS);
    this.#rejects = new ColumnBatch(rejectTable, 1024);
    this.#idle = [...copySessions];
    this.#timeColumn = table.sourceColumns.indexOf(table.partitionBy);
  }

  /**
   * A writer on sessions of one engine: one appends, each of the others writes a chunk at a
   * time meanwhile. With a single-threaded DuckDB, two copy sessions write two chunks at once,
   * each on the thread that runs its query: ingest of one large file uses two cores.
   */
  static async open(appendSession: EngineSession, copySessions: readonly EngineSession[], table: TableDef, source: SourceInfo, options: RowWriterOptions): Promise<RowWriter> {
    if (copySessions.length === 0) throw new Error('a row writer needs a session to write chunks');
    const w = new RowWriter(appendSession, copySessions, table, source, options);
    const columns = (t: TableDef) => t.sourceColumns.map((name) => ({ name, kind: t.columns[name]!.kind }));
    w.#current = await appendSession.bulkTable('rows_0', columns(table));
    for (let i = 1; i <= copySessions.length; i++) w.#spare.push(await appendSession.bulkTable(`rows_${i}`, columns(table)));
    w.#rejectTable = await appendSession.bulkTable('rejects', columns(rejectTable));
    return w;
  }

  append(row: object, _at: RowPosition): void {
    this.#batch.push(row as Record<string, unknown>);
    this.rows++;
    if (this.#batch.full) this.#flushBatch();
  }

  /** Rows a decoder gathered in a batch of its own (a JoinedBatch); the batch may be cleared once this returns. */
  appendBatch(columns: readonly BatchColumn[], rows: number): void {
    if (rows === 0) return;
    this.#appendColumns(columns, rows);
    this.rows += rows;
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
    return this.#inCurrent >= this.options.chunkRows && this.#writes.size > 0 ? Promise.race(this.#writes) : null;
  }

  /** Write what is left; returns the staged quarantine file, if any record was rejected. */
  async close(): Promise<{ rows: number; rejected: number; quarantineFile: string | null }> {
    this.#flushBatch();
    this.#flushRejects();
    await Promise.all(this.#writes);
    if (this.#failure) throw this.#failure;
    if (this.#inCurrent > 0) await this.#writeChunk(this.#current, this.#hours, this.#idle[0]!);
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
    for (const t of [this.#current, ...this.#spare, this.#rejectTable!]) await this.appendSession.run(`DROP TABLE IF EXISTS ${t.name}`);
    return { rows: this.rows, rejected: this.rejected, quarantineFile };
  }

  #flushBatch(): void {
    if (this.#batch.rows === 0) return;
    this.#appendColumns(this.#batch.columns, this.#batch.rows);
    this.#batch.clear();
  }

  #appendColumns(columns: readonly BatchColumn[], rows: number): void {
    if (this.#failure) throw this.#failure;
    this.#current.append(columns, rows);
    this.#inCurrent += rows;
    this.#addHours(columns, rows);
    if (this.#inCurrent >= this.options.chunkRows && this.#idle.length > 0) this.#startWrite();
  }

  /** Write the current chunk on an idle session while the next one fills a spare table. */
  #startWrite(): void {
    const full = this.#current;
    const hours = this.#hours;
    const session = this.#idle.pop()!;
    this.#current = this.#spare.pop()!;
    this.#hours = noHours();
    this.#inCurrent = 0;
    const done = (): void => {
      this.#spare.push(full);
      this.#idle.push(session);
      this.#writes.delete(write);
    };
    const write: Promise<void> = this.#writeChunk(full, hours, session).then(done, (e: unknown) => {
      this.#failure = e;
      done();
    });
    this.#writes.add(write);
  }

  #flushRejects(): void {
    if (this.#rejects.rows === 0) return;
    this.#rejectTable!.append(this.#rejects.columns, this.#rejects.rows);
    this.#rejects.clear();
  }

  /** The first and last hour of the rows of a batch, into the current chunk's. */
  #addHours(columns: readonly BatchColumn[], rows: number): void {
    const hours = this.#hours;
    const column = columns[this.#timeColumn];
    if (column === undefined || !(column.values instanceof Float64Array)) {
      hours.unknown = true;
      return;
    }
    const { values, validity } = column;
    for (let r = 0; r < rows; r++) {
      if ((validity[r >> 3]! & (1 << (r & 7))) === 0) {
        hours.unknown = true;
        continue;
      }
      const hour = Math.floor(values[r]! / HOUR_MICROS);
      if (hour < hours.first) hours.first = hour;
      if (hour > hours.last) hours.last = hour;
    }
  }

  /**
   * One chunk table to Parquet under the staging folder, partitioned by hour; then empty it. A
   * chunk within one hour, as most are (logs come in time order), is written straight into its
   * hour's folder: DuckDB's partitioned write copies every row once more to sort them by hour.
   */
  async #writeChunk(table: BulkTable, hours: ChunkHours, session: EngineSession): Promise<void> {
    table.flush();
    const d = session.dialect;
    const fileName = `${this.source.sourceId}-${this.#chunkNo++}-`;
    const common = { format: 'parquet', rowGroupRows: this.options.rowGroupRows, metadata: { spothreat_schema: this.table.hash, spothreat_source: this.source.path } } as const;
    const select = canonicalSelect(this.table, d);
    // Hours since the epoch a Date can hold (±100,000,000 days).
    if (!hours.unknown && hours.first === hours.last && Math.abs(hours.first) < 2.4e9) {
      const dir = join(this.options.stagingDir, 'data', partitionPath(partitionOf((hours.first * HOUR_MICROS) / 1000)));
      await mkdir(dir, { recursive: true });
      await session.export(`SELECT ${select.join(', ')} FROM ${table.relation} AS r`, { ...common, path: join(dir, `${fileName}0.parquet`) });
    } else {
      const part = d.ident(this.table.partitionBy);
      const partitions = ['year', 'month', 'day', 'hour'].map((fn, i) => `${fn}(${part}) AS ${PARTITION_COLUMNS[i]}`);
      await session.export(`SELECT ${[...select, ...partitions].join(', ')} FROM ${table.relation} AS r`, {
        ...common,
        path: join(this.options.stagingDir, 'data'),
        partitionBy: PARTITION_COLUMNS,
        fileName: `${fileName}{i}`,
      });
    }
    await table.clear(session);
  }
}

/** The columns of a rejected record a decoder reports, typed as the quarantine table has them. */
const rejectTable: TableDef = {
  ...quarantine,
  sourceColumns: REJECT_COLUMNS,
  columnNames: REJECT_COLUMNS,
};
