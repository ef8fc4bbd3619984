import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LAKE_DIRS } from './layout.js';

/**
 * done: read to its end (some records may be quarantined). partial: the decoder stopped early;
 * what came before was kept. failed: nothing could be read. committing: files were being moved
 * into place when the process stopped; the next run replaces them.
 */
export type SourceStatus = 'committing' | 'done' | 'partial' | 'failed';

export interface ManifestEntry {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** sha256 of size, first and last 64 KiB: recognises a copy of a file under another name. */
  readonly fingerprint: string;
  /** Stable id of the source path; names its Parquet files. */
  readonly sourceId: string;
  readonly decoder: string;
  readonly status: SourceStatus;
  readonly rows: number;
  readonly quarantined: number;
  /** Lake files holding this source's rows, relative to the type folder. */
  readonly files: readonly string[];
  /** While committing: files of an earlier ingest of this path that the new files replace. */
  readonly stale?: readonly string[];
  readonly at: string;
  readonly error?: string;
}

/**
 * The record of ingested sources of one type: an append-only JSON-lines log, fsynced per entry.
 * The last entry of a path wins; a torn last line (crash mid-write) is ignored.
 */
export class Manifest {
  readonly #file: string;
  readonly #latest = new Map<string, ManifestEntry>();
  readonly #byFingerprint = new Map<string, ManifestEntry>();

  private constructor(file: string) {
    this.#file = file;
  }

  static async open(lake: string, type: string): Promise<Manifest> {
    const dir = join(lake, LAKE_DIRS.manifest);
    await mkdir(dir, { recursive: true });
    const m = new Manifest(join(dir, `${type}.jsonl`));
    const text = await readFile(m.#file, 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? '' : Promise.reject(e)));
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        m.#remember(JSON.parse(line) as ManifestEntry);
      } catch {
        /* a torn line from a crash: the entry never committed */
      }
    }
    return m;
  }

  get(path: string): ManifestEntry | undefined {
    return this.#latest.get(path);
  }

  /** A finished source with this content, under any path. */
  byFingerprint(fingerprint: string): ManifestEntry | undefined {
    return this.#byFingerprint.get(fingerprint);
  }

  entries(): ManifestEntry[] {
    return [...this.#latest.values()];
  }

  /** Append and fsync, so that the entry survives a crash right after. */
  append(entry: ManifestEntry): void {
    const fd = openSync(this.#file, 'a');
    try {
      writeSync(fd, `${JSON.stringify(entry)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.#remember(entry);
  }

  #remember(entry: ManifestEntry): void {
    const previous = this.#latest.get(entry.path);
    if (previous && this.#byFingerprint.get(previous.fingerprint)?.path === entry.path) this.#byFingerprint.delete(previous.fingerprint);
    this.#latest.set(entry.path, entry);
    if (entry.status === 'done' || entry.status === 'partial') this.#byFingerprint.set(entry.fingerprint, entry);
  }
}

export function sourceIdOf(path: string): string {
  return createHash('sha256').update(path).digest('hex').slice(0, 16);
}

const EDGE = 64 * 1024;

export async function fingerprintOf(path: string, size: number): Promise<string> {
  const h = createHash('sha256').update(String(size));
  const fd = await open(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(EDGE, size));
    await fd.read(head, 0, head.length, 0);
    h.update(head);
    if (size > EDGE) {
      const tail = Buffer.alloc(Math.min(EDGE, size - EDGE));
      await fd.read(tail, 0, tail.length, size - tail.length);
      h.update(tail);
    }
  } finally {
    await fd.close();
  }
  return h.digest('hex').slice(0, 32);
}
