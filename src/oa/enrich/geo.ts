import type { EnrichConfig } from './config.js';
import { resolveDataFile, type Warn } from './files.js';
import { emptyGeo, fillGeo, type GeoRecord } from './geo-record.js';
import { MmdbSource } from './mmdb.js';
import { AsnRangeSource } from './range-csv.js';
import { addressKey } from './address.js';

interface GeoSource {
  lookup(text: string, key: NonNullable<ReturnType<typeof addressKey>>): Partial<GeoRecord>;
}

/** Country, city, coordinates and AS of addresses from the configured databases, the first that knows a field winning. */
export class GeoLookup {
  private constructor(readonly sources: readonly GeoSource[]) {}

  /**
   * Open every configured database: city ones first (their country is the more precise), then country, then AS. A
   * database that is missing or corrupt is reported and left out; the others still answer.
   */
  static async open(config: EnrichConfig['geo'], warn: Warn): Promise<GeoLookup> {
    if (!config.enabled) return new GeoLookup([]);
    const sources: GeoSource[] = [];
    for (const spec of [...config.city, ...config.country, ...config.asn]) {
      try {
        const path = resolveDataFile(spec);
        sources.push(path.toLowerCase().endsWith('.csv') ? await AsnRangeSource.open(path, warn) : await MmdbSource.open(path, warn));
      } catch (e) {
        warn(`${(e as Error).message}; geolocation goes on without it`);
      }
    }
    return new GeoLookup(sources);
  }

  lookup(ip: string): GeoRecord {
    const out = emptyGeo();
    const key = addressKey(ip);
    if (!key || this.sources.length === 0) return out;
    // The readers take text; an IPv4-mapped address is asked as its IPv4 form.
    const text = key.family === 4 ? [key.value >>> 24, (key.value >>> 16) & 255, (key.value >>> 8) & 255, key.value & 255].join('.') : ip;
    for (const s of this.sources) fillGeo(out, s.lookup(text, key));
    return out;
  }
}
