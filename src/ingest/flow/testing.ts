/** Test helpers for row decoders: a sink that keeps what it is given, and one-call decoding. */
import { statSync } from 'node:fs';
import type { FlowRow, RejectReason, flow } from '../../schema/index.js';
import { ingestConfig } from '../config.js';
import type { DecodeContext, Position, RowDecoder, RowSink, SourceFile } from '../decoder.js';
import { readHead } from '../source.js';

export interface Rejected {
  readonly reason: RejectReason;
  readonly line: number | undefined;
  readonly offset: number | undefined;
  readonly detail: string | undefined;
  readonly excerpt: string | undefined;
}

export class CollectingSink implements RowSink<typeof flow> {
  readonly rows: FlowRow[] = [];
  /** The line of each row, in the same order. */
  readonly lines: number[] = [];
  readonly rejects: Rejected[] = [];

  append(row: FlowRow, at: Position): void {
    this.rows.push(row);
    this.lines.push(at.line ?? -1);
  }

  reject(reason: RejectReason, at: Position, detail?: string, excerpt?: string): void {
    this.rejects.push({ reason, line: at.line, offset: at.offset, detail, excerpt });
  }
}

export function sourceFile(path: string): SourceFile {
  const st = statSync(path);
  return { path, size: st.size, mtimeMs: st.mtimeMs };
}

/** A decode context from ingest settings (defaults for the rest), sensor "test". */
export function decodeContext(ingest: Record<string, unknown> = {}): DecodeContext {
  return { config: ingestConfig.parse(ingest), sensor: 'test', signal: new AbortController().signal };
}

/** Decode a whole file into a collecting sink. */
export async function decodeFile(decoder: RowDecoder<typeof flow>, path: string, ingest: Record<string, unknown> = {}): Promise<CollectingSink> {
  const sink = new CollectingSink();
  await decoder.decode(sourceFile(path), sink, decodeContext(ingest));
  return sink;
}

/** Whether the decoder recognises the file from its first bytes, as ingest detects formats. */
export async function accepts(decoder: RowDecoder<typeof flow>, path: string): Promise<boolean> {
  return decoder.accepts(sourceFile(path), await readHead(path));
}

/** Epoch microseconds of a UTC time written "2019-04-04T14:24:47.672448Z" (microsecond digits optional). */
export function utcMicros(iso: string): number {
  const m = /^(.*?)(?:\.(\d{1,6}))?Z$/.exec(iso);
  if (!m) throw new Error(`not a UTC time: ${iso}`);
  return Date.parse(`${m[1]}Z`) * 1000 + Number((m[2] ?? '').padEnd(6, '0'));
}

/** How many rows have each value of a column ("null" for null). */
export function countBy(rows: readonly FlowRow[], column: keyof FlowRow): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of rows) {
    const key = String(row[column]);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
