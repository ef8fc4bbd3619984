import { readFileSync, unlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../shared/errors.js';
import { processIsRunning } from '../shared/process.js';

/**
 * One ingest at a time per lake: a lock file holding the owner's pid. A lock left by a process
 * that no longer runs (killed, crashed) is taken over.
 */
export class LakeLock {
  private constructor(readonly file: string) {}

  static acquire(lake: string): LakeLock {
    mkdirSync(lake, { recursive: true });
    const file = join(lake, '_ingest.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        writeFileSync(file, String(process.pid), { flag: 'wx' });
        return new LakeLock(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const owner = Number(readFileSync(file, 'utf8').trim());
        if (owner && owner !== process.pid && processIsRunning(owner)) {
          throw new InputError(lake, `another ingest (pid ${owner}) is writing to this lake; wait for it or stop it`);
        }
        unlinkSync(file);
      }
    }
    throw new InputError(lake, 'could not take the ingest lock');
  }

  release(): void {
    try {
      unlinkSync(this.file);
    } catch {
      /* already gone */
    }
  }
}
