import { InputError } from '../shared/errors.js';
import type { IngestConfig } from './config.js';
import type { RowDecoder, SourceFile } from './decoder.js';
import { decoderNamed } from './registry.js';
import { StageWriter, type StagedChunk } from './stage-writer.js';

export interface DecodeTask {
  readonly decoder: string;
  readonly file: SourceFile;
  readonly config: IngestConfig;
  readonly sensor: string | null;
  readonly dir: string;
}

export type DecodeMessage =
  | { readonly kind: 'chunk'; readonly chunk: StagedChunk }
  | { readonly kind: 'progress'; readonly rows: number };

export interface DecodeResult {
  readonly rows: number;
  readonly rejected: number;
  readonly rejectsPath: string | null;
  /** Set when the decoder stopped before the end of the file. */
  readonly error?: { readonly message: string; readonly line?: number; readonly offset?: number };
}

const PROGRESS_EVERY = 50_000;

/** Run a row decoder over one file into staged chunks. Runs in a worker thread or in-process. */
export async function runDecodeTask(task: DecodeTask, emit: (m: DecodeMessage) => void, signal: AbortSignal): Promise<DecodeResult> {
  const decoder = decoderNamed(task.decoder);
  if (!decoder || decoder.kind !== 'rows') throw new Error(`no row decoder named ${task.decoder}`);
  const writer = new StageWriter(decoder.table, task.dir, task.config.chunkRows, (chunk) => emit({ kind: 'chunk', chunk }));
  let reported = 0;
  const progress: typeof writer.append = (row, at) => {
    writer.append(row, at);
    if (writer.rows - reported >= PROGRESS_EVERY) {
      reported = writer.rows;
      emit({ kind: 'progress', rows: reported });
    }
  };
  let error: DecodeResult['error'];
  try {
    await (decoder as RowDecoder).decode(task.file, { append: progress, reject: writer.reject.bind(writer) }, { config: task.config, sensor: task.sensor, signal });
  } catch (e) {
    if (!(e instanceof InputError) && !isIoError(e)) throw e;
    error = { message: e instanceof InputError ? e.reason : (e as Error).message, line: e instanceof InputError ? e.where?.line : undefined };
  }
  const closed = writer.close();
  return { rows: closed.rows, rejected: closed.rejected, rejectsPath: closed.rejectsPath, ...(error ? { error } : {}) };
}

/** Read errors of the file itself (permission, I/O, broken gzip) end the file, not the run. */
function isIoError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^(E[A-Z]+|Z_[A-Z_]+)$/.test(code);
}
