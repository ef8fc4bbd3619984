import { readFile } from 'node:fs/promises';
import { Reader } from 'maxmind';
import { InputError } from '../../shared/errors.js';
import type { AddressKey } from './address.js';
import { fromMmdbRecord, type GeoRecord } from './geo-record.js';
import type { Warn } from './files.js';

/** One MMDB file opened with the maxmind reader; an IPv4-only database is skipped for IPv6 addresses. */
export class MmdbSource {
  #failed = false;

  private constructor(
    readonly path: string,
    readonly reader: Reader<Record<string, unknown>>,
    readonly warn: Warn,
  ) {}

  /** Open a database; a missing or corrupt file is an InputError naming it. */
  static async open(path: string, warn: Warn): Promise<MmdbSource> {
    const buffer = await readFile(path).catch((e: NodeJS.ErrnoException) => {
      throw new InputError(path, `cannot open the MMDB database: ${e.code ?? e.message}`);
    });
    try {
      return new MmdbSource(path, new Reader<Record<string, unknown>>(buffer), warn);
    } catch (e) {
      throw new InputError(path, `not a valid MMDB database: ${(e as Error).message}`);
    }
  }

  lookup(text: string, key: AddressKey): Partial<GeoRecord> {
    if (this.#failed || (key.family === 6 && this.reader.metadata.ipVersion === 4)) return {};
    try {
      return fromMmdbRecord(this.reader.get(text));
    } catch (e) {
      // A damaged tree or data section: say so once and stop asking this file.
      this.#failed = true;
      this.warn(new InputError(this.path, `corrupt MMDB database, no longer used: ${(e as Error).message}`).message);
      return {};
    }
  }
}
