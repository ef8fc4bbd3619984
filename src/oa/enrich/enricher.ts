import { join } from 'node:path';
import { DEFAULT_INTERNAL_NETWORKS } from '../../shared/ip.js';
import { addressKey } from './address.js';
import { AddressMap } from './address-map.js';
import type { EnrichConfig } from './config.js';
import { resolveDataFile, type Warn } from './files.js';
import { GeoLookup } from './geo.js';
import { loadNetworkContext } from './network-context.js';
import { AbuseIpDb } from './reputation/abuseipdb.js';
import { VerdictCache } from './reputation/disk-cache.js';
import type { ReputationProvider } from './reputation/provider.js';
import { Reputation } from './reputation/reputation.js';
import { ThreatIntelList } from './reputation/ti-list.js';

/** Beside the lake's own folders (_manifest, _staging …): data that can be thrown away. */
const CACHE_DIR = '_cache';

export interface EnricherOptions {
  /** The internal networks (config.network.internal); default RFC 1918, CGNAT, loopback, link-local, ULA. */
  readonly internal?: readonly string[];
  /** The lake: online answers are cached under <lake>/_cache/reputation unless reputation.cacheDir says otherwise. */
  readonly lakePath: string;
  /** Where skipped data is reported; the enricher also keeps every message in `warnings`. */
  readonly warn?: Warn;
  /** Environment to read API keys from. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Everything enrichment knows, opened once per run. Network context is read at once (every address needs it);
 * geolocation and reputation are opened on first use, since the hosts table of a day needs neither.
 */
export class Enricher {
  readonly warnings: string[] = [];
  readonly #warn: Warn;
  #geo: Promise<GeoLookup> | null = null;
  #reputation: Promise<Reputation> | null = null;
  #context = new AddressMap<string>();

  private constructor(
    readonly config: EnrichConfig,
    readonly options: EnricherOptions,
    readonly internal: AddressMap<true>,
  ) {
    this.#warn = (m) => {
      this.warnings.push(m);
      options.warn?.(m);
    };
  }

  static async open(config: EnrichConfig, options: EnricherOptions): Promise<Enricher> {
    const internal = new AddressMap<true>();
    for (const net of options.internal ?? DEFAULT_INTERNAL_NETWORKS) internal.add(net, true);
    const enricher = new Enricher(config, options, internal);
    if (config.networkContext) {
      try {
        enricher.#context = await loadNetworkContext(resolveDataFile(config.networkContext), enricher.#warn);
      } catch (e) {
        enricher.#warn(`${(e as Error).message}; addresses get no network-context label`);
      }
    }
    return enricher;
  }

  /** Whether an address is internal, and its network-context label (the most specific entry), or null. */
  classify(ip: string): { internal: boolean; context: string | null } {
    const key = addressKey(ip);
    return { internal: this.internal.get(key) === true, context: this.#context.get(key) ?? null };
  }

  geo(): Promise<GeoLookup> {
    return (this.#geo ??= GeoLookup.open(this.config.geo, this.#warn));
  }

  reputation(): Promise<Reputation> {
    return (this.#reputation ??= this.#openReputation());
  }

  async #openReputation(): Promise<Reputation> {
    const r = this.config.reputation;
    const providers: ReputationProvider[] = [];
    for (const list of r.lists) {
      try {
        providers.push(await ThreatIntelList.load(list, resolveDataFile(list.path), this.#warn));
      } catch (e) {
        this.#warn(`${(e as Error).message}; reputation goes on without this list`);
      }
    }
    if (r.abuseipdb.enabled) {
      const key = (this.options.env ?? process.env)[r.abuseipdb.apiKeyEnv];
      if (!key) this.#warn(`abuseipdb: no API key in $${r.abuseipdb.apiKeyEnv}; the service is not asked`);
      else {
        const dir = r.cacheDir || join(this.options.lakePath, CACHE_DIR, 'reputation');
        const cache = await VerdictCache.open(join(dir, 'abuseipdb.jsonl'), r.abuseipdb.cacheHours * 3_600_000);
        providers.push(new AbuseIpDb(r.abuseipdb, key, cache, this.#warn));
      }
    }
    return new Reputation(providers);
  }

  /** Flush the online caches. */
  async close(): Promise<void> {
    if (this.#reputation) await (await this.#reputation).close();
  }
}
