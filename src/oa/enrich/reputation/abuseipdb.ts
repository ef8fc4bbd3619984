import type { AbuseIpDbConfig } from '../config.js';
import type { Warn } from '../files.js';
import { RateLimiter, VerdictCache } from './disk-cache.js';
import type { IndicatorKind, Level, ReputationProvider, Verdict } from './provider.js';

/** The part of AbuseIPDB's APIv2 /check answer we read (https://docs.abuseipdb.com/#check-endpoint). */
interface CheckAnswer {
  data?: { abuseConfidenceScore?: number; totalReports?: number; isWhitelisted?: boolean | null; usageType?: string | null };
}

const IN_FLIGHT = 4;

/**
 * AbuseIPDB as a reputation provider, for external IP addresses only (the caller never passes internal ones). One GET
 * per address, spaced by the rate limit, at most maxLookupsPerRun uncached ones per run; answers are cached on disk.
 * An address that could not be asked (limit reached, timeout, HTTP error) is -1, unverified.
 */
export class AbuseIpDb implements ReputationProvider {
  readonly name = 'abuseipdb';
  readonly kinds: readonly IndicatorKind[] = ['ip'];
  readonly online = true;
  readonly #limiter: RateLimiter;
  #asked = 0;
  #stopped: string | null = null;
  #failures = 0;

  constructor(
    readonly config: AbuseIpDbConfig,
    readonly apiKey: string,
    readonly cache: VerdictCache,
    readonly warn: Warn,
  ) {
    this.#limiter = new RateLimiter(config.requestsPerMinute);
  }

  async lookup(kind: IndicatorKind, values: readonly string[]): Promise<Map<string, Verdict>> {
    const out = new Map<string, Verdict>();
    if (kind !== 'ip') return out;
    const pending: Promise<void>[] = [];
    for (const ip of values) {
      const cached = this.cache.get(ip);
      if (cached) {
        out.set(ip, cached);
        continue;
      }
      if (this.#stopped !== null || this.#asked >= this.config.maxLookupsPerRun) {
        this.#stop(`${this.#asked} lookups made, the per-run limit (maxLookupsPerRun)`);
        out.set(ip, unverified('limit'));
        continue;
      }
      this.#asked++;
      await this.#limiter.slot();
      pending.push(this.#check(ip).then((v) => void out.set(ip, v)));
      if (pending.length >= IN_FLIGHT) await Promise.all(pending.splice(0));
    }
    await Promise.all(pending);
    return out;
  }

  async #check(ip: string): Promise<Verdict> {
    const url = new URL(this.config.url);
    url.searchParams.set('ipAddress', ip);
    url.searchParams.set('maxAgeInDays', String(this.config.maxAgeInDays));
    try {
      const res = await fetch(url, { headers: { Key: this.apiKey, Accept: 'application/json' }, signal: AbortSignal.timeout(this.config.timeoutMs) });
      if (res.status === 429) {
        this.#stop('the service answered 429 (rate limit or daily quota reached)');
        return unverified('rate limited');
      }
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const verdict = this.#verdict((await res.json()) as CheckAnswer);
      await this.cache.put(ip, verdict);
      return verdict;
    } catch (e) {
      const reason = (e as Error).name === 'TimeoutError' ? `timed out after ${this.config.timeoutMs} ms` : (e as Error).message;
      if (++this.#failures <= 3) this.warn(`abuseipdb: ${ip}: ${reason}; left unverified`);
      return unverified('error');
    }
  }

  #verdict(answer: CheckAnswer): Verdict {
    const d = answer.data;
    if (!d || typeof d.abuseConfidenceScore !== 'number') throw new Error('answer without data.abuseConfidenceScore');
    const score = d.abuseConfidenceScore;
    const level: Level = d.isWhitelisted ? 0 : score >= this.config.highAt ? 3 : score >= this.config.mediumAt ? 2 : (d.totalReports ?? 0) > 0 ? 1 : 0;
    return { level, source: this.name, label: `confidence ${score}% reports ${d.totalReports ?? 0}` };
  }

  #stop(reason: string): void {
    if (this.#stopped !== null) return;
    this.#stopped = reason;
    this.warn(`abuseipdb: ${reason}; the remaining addresses stay unverified (-1)`);
  }

  async close(): Promise<void> {
    if (this.#failures > 3) this.warn(`abuseipdb: ${this.#failures} lookups failed in all`);
    await this.cache.close();
  }
}

const unverified = (label: string): Verdict => ({ level: -1, source: 'abuseipdb', label: `unverified ${label}` });
