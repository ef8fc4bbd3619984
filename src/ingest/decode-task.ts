import type { Engine, EngineSession } from '../engine/index.js';
import type { SourceInfo } from '../lake/load.js';
import { RowWriter } from '../lake/row-writer.js';
import { tableFor, type TelemetryType } from '../schema/index.js';
import { InputError } from '../shared/errors.js';
import type { IngestConfig } from './config.js';
import type { RowDecoder, RowSink, SourceFile } from './decoder.js';
import { decoderNamed } from './registry.js';
import { withInputPacing } from './source.js';

export interface DecodeTask {
  readonly decoder: string;
  readonly type: TelemetryType;
  readonly file: SourceFile;
  readonly sourceId: string;
  readonly config: IngestConfig;
  readonly sensor: string | null;
  /** The source's staging folder: Parquet chunks go to <stagingDir>/data. */
  readonly stagingDir: string;
  readonly rowGroupRows: number;
}

export type DecodeMessage = { readonly kind: 'progress'; readonly rows: number };

export interface DecodeResult {
  readonly rows: number;
  readonly rejected: number;
  /** The decoder's rejects, staged as quarantine rows; null when there were none. */
  readonly quarantineFile: string | null;
  /** Set when the decoder stopped before the end of the file. */
  readonly error?: { readonly message: string; readonly line?: number; readonly offset?: number };
}

const PROGRESS_EVERY = 50_000;

/**
 * Run a row decoder over one file, writing its rows as staged Parquet through a RowWriter on the
 * given (worker-private) engine. Runs in a worker thread, or in-process in tests.
 */
export async function runDecodeTask(task: DecodeTask, engine: Engine, emit: (m: DecodeMessage) => void, signal: AbortSignal): Promise<DecodeResult> {
  const decoder = decoderNamed(task.decoder);
  if (!decoder || decoder.kind !== 'rows') throw new Error(`no row decoder named ${task.decoder}`);
  const source: SourceInfo = { type: task.type, path: task.file.path, sourceId: task.sourceId, decoder: task.decoder };
  // One session appends; two write chunks at once (see RowWriter).
  const sessions = [await engine.session(), await engine.session(), await engine.session()];
  const [a, ...copies] = sessions as [EngineSession, ...EngineSession[]];
  try {
    const writer = await RowWriter.open(a, copies, tableFor(task.type), source, {
      stagingDir: task.stagingDir,
      rowGroupRows: task.rowGroupRows,
      chunkRows: task.config.writerChunkRows,
    });
    let reported = 0;
    const progress = (): void => {
      if (writer.rows - reported < PROGRESS_EVERY) return;
      reported = writer.rows;
      emit({ kind: 'progress', rows: reported });
    };
    const sink: RowSink<never> = {
      append(row, at) {
        writer.append(row, at);
        progress();
      },
      appendBatch(columns, rows) {
        writer.appendBatch(columns, rows);
        progress();
      },
      reject: writer.reject.bind(writer),
    };
    let error: DecodeResult['error'];
    try {
      await withInputPacing(
        () => writer.backlog(),
        () => (decoder as RowDecoder).decode(task.file, sink, { config: task.config, sensor: task.sensor, signal }),
      );
    } catch (e) {
      if (!(e instanceof InputError) && !isIoError(e)) throw e;
      error = { message: e instanceof InputError ? e.reason : (e as Error).message, line: e instanceof InputError ? e.where?.line : undefined };
    }
    const closed = await writer.close();
    return { rows: closed.rows, rejected: closed.rejected, quarantineFile: closed.quarantineFile, ...(error ? { error } : {}) };
  } finally {
    for (const s of sessions) await s.close();
  }
}

/** Read errors of the file itself (permission, I/O, broken gzip) end the file, not the run. */
function isIoError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^(E[A-Z]+|Z_[A-Z_]+)$/.test(code);
}
