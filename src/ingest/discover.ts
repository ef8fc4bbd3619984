import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import type { SourceFile } from './decoder.js';

export interface Discovery {
  readonly files: SourceFile[];
  /** Paths that could not be read, with the reason: they are reported, the rest goes on. */
  readonly errors: { readonly path: string; readonly reason: string }[];
}

/**
 * Files still being written by a collector (nfcapd.current.*), hidden files and partial
 * downloads are never ingested.
 */
export function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || name.startsWith('nfcapd.current') || name.endsWith('.tmp') || name.endsWith('.part') || name.endsWith('.crdownload');
}

/** Expand files, globs and folders (recursively) into the files to ingest, sorted by path. */
export async function discover(paths: readonly string[]): Promise<Discovery> {
  const found = new Map<string, SourceFile>();
  const errors: { path: string; reason: string }[] = [];
  const addFile = async (path: string) => {
    const abs = resolve(path);
    if (found.has(abs) || isIgnoredName(basename(abs))) return;
    try {
      const s = await stat(abs);
      if (s.isFile()) found.set(abs, { path: abs, size: s.size, mtimeMs: s.mtimeMs });
    } catch (e) {
      errors.push({ path: abs, reason: describe(e) });
    }
  };
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      errors.push({ path: dir, reason: describe(e) });
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (isIgnoredName(entry.name)) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() || entry.isSymbolicLink()) await addFile(full);
    }
  };
  for (const p of paths) {
    if (isDynamicPattern(p)) {
      const matches = await glob(p, { absolute: true, onlyFiles: false, dot: false });
      if (matches.length === 0) errors.push({ path: p, reason: 'no file matches this pattern' });
      for (const m of matches.sort()) await visit(m);
    } else {
      await visit(p);
    }
  }
  async function visit(p: string): Promise<void> {
    const abs = resolve(p);
    let s;
    try {
      s = await stat(abs);
    } catch (e) {
      errors.push({ path: abs, reason: describe(e) });
      return;
    }
    if (s.isDirectory()) await walk(abs);
    else await addFile(abs);
  }
  return { files: [...found.values()].sort((a, b) => a.path.localeCompare(b.path)), errors };
}

function describe(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'ENOTDIR') return 'not a folder';
  return (e as Error).message;
}
