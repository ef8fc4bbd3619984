import { mkdir, rename, rm, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LAKE_DIRS, typeDir } from './layout.js';
import type { Manifest, ManifestEntry, SourceStatus } from './manifest.js';

export interface CommitInput {
  readonly lake: string;
  readonly type: string;
  readonly stagingDir: string;
  /** Staged data files, relative to <stagingDir>/data and to the type folder alike. */
  readonly dataFiles: readonly string[];
  readonly quarantineFile: string | null;
  readonly entry: Omit<ManifestEntry, 'status' | 'files' | 'at'>;
  readonly status: Exclude<SourceStatus, 'committing'>;
}

/** Lake files an earlier ingest of this path left, including one interrupted while committing. */
export function previousFiles(entry: ManifestEntry | undefined): string[] {
  if (!entry) return [];
  return [...entry.files, ...(entry.stale ?? [])];
}

/**
 * Make a source's staged files visible. Each file appears whole (rename within one file system);
 * the manifest first records what is being moved, so that a crash at any point is repaired by
 * the next run, which re-ingests the source and removes whatever this attempt left.
 */
export async function commitSource(manifest: Manifest, input: CommitInput): Promise<ManifestEntry> {
  const base = typeDir(input.lake, input.type);
  const fresh = new Set(input.dataFiles);
  const stale = [...new Set(previousFiles(manifest.get(input.entry.path)))].filter((f) => !fresh.has(f));
  manifest.append({ ...input.entry, status: 'committing', files: input.dataFiles, stale, at: new Date().toISOString() });

  const madeDirs = new Set<string>();
  for (const rel of input.dataFiles) {
    const target = join(base, rel);
    const dir = dirname(target);
    if (!madeDirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      madeDirs.add(dir);
    }
    await rename(join(input.stagingDir, 'data', rel), target);
  }
  for (const rel of stale) await unlink(join(base, rel)).catch(ignoreMissing);

  const quarantineTarget = join(input.lake, LAKE_DIRS.quarantine, input.type, `${input.entry.sourceId}.parquet`);
  if (input.quarantineFile) {
    await mkdir(dirname(quarantineTarget), { recursive: true });
    await rename(input.quarantineFile, quarantineTarget);
  } else {
    await unlink(quarantineTarget).catch(ignoreMissing);
  }

  const done: ManifestEntry = { ...input.entry, status: input.status, files: input.dataFiles, at: new Date().toISOString() };
  manifest.append(done);
  await rm(input.stagingDir, { recursive: true, force: true });
  return done;
}

function ignoreMissing(e: NodeJS.ErrnoException): void {
  if (e.code !== 'ENOENT') throw e;
}
