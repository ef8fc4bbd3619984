import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalLayout, STAGED_REJECT_COLUMNS } from '../lake/staged.js';
import { EXCERPT_MAX, type RejectReason, type RowOf, type TableDef } from '../schema/index.js';
import type { Position, RowSink } from './decoder.js';

export interface StagedChunk {
  readonly path: string;
  readonly rows: number;
  readonly firstLine: number;
}

const FLUSH_BYTES = 1 << 18;

/**
 * RFC 4180 field: quoted when it holds a delimiter, quote or line break, or is the empty string
 * (not null). Lists are written as JSON arrays.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const s = Array.isArray(value) ? JSON.stringify(value) : String(value);
  if (s === '' || /[",\n\r]/.test(s)) return `"${s.replaceAll('"', '""')}"`;
  return s;
}

/**
 * The RowSink of row decoders: writes rows in the canonical staged layout into chunk files of at
 * most chunkRows rows, and rejects into one CSV beside them. Announces each finished chunk so the
 * lake writer can load it while decoding goes on.
 */
export class StageWriter<T extends TableDef> implements RowSink<T> {
  readonly #columns: readonly string[];
  readonly #timestamps: ReadonlySet<string>;
  #fd = -1;
  #buffer: string[] = [];
  #bufferBytes = 0;
  #chunkNo = 0;
  #chunkRows = 0;
  #chunkFirstLine = 1;
  #chunkPath = '';
  #rejectFd = -1;
  rows = 0;
  rejected = 0;

  constructor(
    table: T,
    private readonly dir: string,
    private readonly chunkRows: number,
    private readonly onChunk: (chunk: StagedChunk) => void,
  ) {
    this.#columns = canonicalLayout(table).fields.flatMap((f) => (f.column ? [f.column] : []));
    this.#timestamps = new Set(this.#columns.filter((c) => table.columns[c]!.kind === 'timestamp'));
  }

  get rejectsPath(): string {
    return join(this.dir, 'rejects.csv');
  }

  append(row: RowOf<T>, at: Position): void {
    if (this.#fd < 0) this.#open(at.line ?? at.offset ?? 0);
    const values = row as Record<string, unknown>;
    let line = String(at.line ?? at.offset ?? '');
    for (const c of this.#columns) {
      const v = values[c];
      line += ',' + (this.#timestamps.has(c) && typeof v === 'number' ? String(Math.round(v)) : csvField(v));
    }
    this.#buffer.push(line);
    this.#bufferBytes += line.length + 1;
    this.rows++;
    if (this.#bufferBytes >= FLUSH_BYTES) this.#flush();
    if (++this.#chunkRows >= this.chunkRows) this.#closeChunk();
  }

  reject(reason: RejectReason, at: Position, detail?: string, excerpt?: string): void {
    if (this.#rejectFd < 0) {
      this.#rejectFd = openSync(this.rejectsPath, 'w');
      writeSync(this.#rejectFd, STAGED_REJECT_COLUMNS.join(',') + '\n');
    }
    const fields = [at.line, at.offset, reason, detail?.slice(0, 2000), excerpt?.slice(0, EXCERPT_MAX)];
    writeSync(this.#rejectFd, fields.map(csvField).join(',') + '\n');
    this.rejected++;
  }

  /** Finish the last chunk and the rejects file. */
  close(): { rows: number; rejected: number; rejectsPath: string | null } {
    this.#closeChunk();
    if (this.#rejectFd >= 0) closeSync(this.#rejectFd);
    this.#rejectFd = -1;
    return { rows: this.rows, rejected: this.rejected, rejectsPath: this.rejected ? this.rejectsPath : null };
  }

  #open(firstLine: number): void {
    this.#chunkPath = join(this.dir, `chunk-${this.#chunkNo++}.csv`);
    this.#fd = openSync(this.#chunkPath, 'w');
    this.#chunkRows = 0;
    this.#chunkFirstLine = firstLine;
  }

  #flush(): void {
    if (this.#buffer.length === 0) return;
    writeSync(this.#fd, this.#buffer.join('\n') + '\n');
    this.#buffer = [];
    this.#bufferBytes = 0;
  }

  #closeChunk(): void {
    if (this.#fd < 0) return;
    this.#flush();
    closeSync(this.#fd);
    this.#fd = -1;
    this.onChunk({ path: this.#chunkPath, rows: this.#chunkRows, firstLine: this.#chunkFirstLine });
  }
}
