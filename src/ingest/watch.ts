import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { SourceFile } from './decoder.js';
import { discover } from './discover.js';
import type { IngestReporter, IngestRequest, IngestSummary, Ingestor } from './run.js';

export interface WatchOptions {
  readonly intervalSeconds: number;
  /** A file must be unchanged this long, so that one still being written is left alone. */
  readonly settleSeconds: number;
  /** Called after each round that ingested something. */
  readonly onRound?: (summary: IngestSummary) => void;
  readonly onError?: (path: string, reason: string) => void;
}

/**
 * Continuous ingest: rescan the paths every interval (and as soon as a watched folder changes),
 * ingest files that are new or changed and have settled, until the ingestor is aborted.
 * Collectors that write to a temporary name and rename on rotation (nfcapd.current.* →
 * nfcapd.YYYYMMDDhhmm) are picked up at the rename.
 */
export async function watchAndIngest(ingestor: Ingestor, request: IngestRequest, options: WatchOptions, reporter: IngestReporter = {}): Promise<void> {
  const signal = ingestor.signal;
  let wake: (() => void) | null = null;
  const watchers: FSWatcher[] = [];
  for (const p of request.paths) {
    try {
      const w = watch(p, { recursive: true }, () => wake?.());
      w.on('error', () => w.close());
      watchers.push(w);
    } catch {
      /* a glob or a file: the periodic rescan covers it */
    }
  }
  const reported = new Set<string>();
  try {
    while (!signal.aborted) {
      const { files, errors } = await discover(request.paths);
      for (const e of errors) {
        if (!reported.has(e.path)) options.onError?.(e.path, e.reason);
        reported.add(e.path);
      }
      const ready = await settled(await ingestor.pending(request.type, files), options.settleSeconds);
      if (ready.length && !signal.aborted) {
        const summary = await ingestor.ingest({ ...request, paths: ready.map((f) => f.path) }, reporter);
        options.onRound?.(summary);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, options.intervalSeconds * 1000);
        function done() {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          wake = null;
          resolve();
        }
        wake = done;
        signal.addEventListener('abort', done, { once: true });
      });
    }
  } finally {
    for (const w of watchers) w.close();
  }
}

async function settled(files: readonly SourceFile[], seconds: number): Promise<SourceFile[]> {
  const now = Date.now();
  const out: SourceFile[] = [];
  for (const f of files) {
    const s = await stat(f.path).catch(() => null);
    if (s && s.size === f.size && now - s.mtimeMs >= seconds * 1000) out.push(f);
  }
  return out;
}
