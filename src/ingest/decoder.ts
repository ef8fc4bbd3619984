import type { Readable } from 'node:stream';
import type { BatchColumn } from '../lake/column-batch.js';
import type { StagedLayout } from '../lake/staged.js';
import type { RejectReason, RowOf, TableDef } from '../schema/index.js';
import type { IngestConfig } from './config.js';

/** A file to ingest, as discovered. */
export interface SourceFile {
  /** Absolute path. */
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface DecodeContext {
  readonly config: IngestConfig;
  /** Sensor name for rows of sources that carry none. */
  readonly sensor: string | null;
  readonly signal: AbortSignal;
  /** A private folder for a tool decoder's intermediate files, inside the source's staging area. */
  readonly workDir?: string;
}

/** Where a record is in its file: a 1-based line for text, a record number or byte offset for binary. */
export interface Position {
  readonly line?: number;
  readonly offset?: number;
}

export interface RowSink<T extends TableDef> {
  append(row: RowOf<T>, at: Position): void;
  /**
   * Rows a byte-level decoder gathered itself (its text already joined, see JoinedBatch), in the
   * table's source column order; lines[i] is row i's line. Decoders use it when the sink has it.
   */
  appendBatch?(columns: readonly BatchColumn[], rows: number, lines: Int32Array): void;
  reject(reason: RejectReason, at: Position, detail?: string, excerpt?: string): void;
}

interface DecoderInfo<T extends TableDef> {
  /** The format, kebab-case: nfcapd, nfdump-csv, zeek-conn, argus-binetflow. */
  readonly name: string;
  readonly table: T;
  readonly description: string;
  /** Recognise the format from the file name and its first (decompressed) bytes. */
  accepts(file: SourceFile, head: Buffer): boolean;
}

/** Decodes records in JavaScript, one row at a time, in a worker thread. */
export interface RowDecoder<T extends TableDef = TableDef> extends DecoderInfo<T> {
  readonly kind: 'rows';
  /** Throwing InputError stops the file: rows before it are kept, the error is quarantined. */
  decode(file: SourceFile, sink: RowSink<T>, ctx: DecodeContext): Promise<void>;
}

export interface ToolRun {
  readonly layout: StagedLayout;
  /** Records as text lines in the layout. */
  readonly stdout: Readable;
  /** Settles when the tool exits: error set when it stopped early. */
  readonly finished: Promise<{ error?: string }>;
  /** Input the tool could not read, known before its output (e.g. datagrams that are no flow exports): quarantined. */
  readonly rejects?: readonly SourceReject[];
}

/** A part of a source a tool decoder could not read, quarantined with the source's rows. */
export interface SourceReject {
  readonly reason: RejectReason;
  /** What and where: the byte offset belongs here when the reject has no line. */
  readonly detail: string;
  /** Frame or record number, when there is one. */
  readonly line?: number;
}

/** Runs an external decoder (nfdump) whose text output the lake writer loads directly. */
export interface ToolDecoder<T extends TableDef = TableDef> extends DecoderInfo<T> {
  readonly kind: 'tool';
  /** Check the tool is installed; throws with how to install it. */
  check(ctx: DecodeContext): Promise<void>;
  start(file: SourceFile, ctx: DecodeContext): Promise<ToolRun>;
}

export type Decoder<T extends TableDef = TableDef> = RowDecoder<T> | ToolDecoder<T>;
