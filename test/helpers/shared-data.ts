import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Real third-party test data lives beside the repository, never inside it (see its SOURCES.md). */
export const SHARED_DATA = process.env.SPOTHREAT_SHARED_DATA ?? resolve(REPO_ROOT, '..', 'shared', 'data');

/** Absolute path of a shared data file, or null when this machine does not have it. */
export function sharedFile(relative: string): string | null {
  const path = join(SHARED_DATA, relative);
  return existsSync(path) ? path : null;
}

/** Why a test that needs this shared file is skipped here; null when the file is present. */
export function missingShared(relative: string): string | null {
  return sharedFile(relative) ? null : `shared test data ${relative} is not on this machine (${SHARED_DATA})`;
}

/** True when an executable is on PATH. In CI a missing reference tool is an error, not a skip. */
export function hasTool(name: string): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).status === 0;
  if (!found && process.env.CI === 'true') throw new Error(`${name} is required in CI; the test command installs it`);
  return found;
}
