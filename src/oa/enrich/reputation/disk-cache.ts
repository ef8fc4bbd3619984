import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Verdict } from './provider.js';

interface CachedVerdict {
  readonly value: string;
  readonly at: number;
  readonly verdict: Verdict;
}

/**
 * Answers of an online service kept on disk (JSON lines, one answer a line, appended as they come) so that reruns and
 * the next days do not ask again within the TTL. Expired lines are dropped when the file is rewritten on close.
 */
export class VerdictCache {
  readonly #entries = new Map<string, CachedVerdict>();
  #added = 0;

  private constructor(
    readonly path: string,
    readonly ttlMs: number,
    readonly now: () => number,
  ) {}

  static async open(path: string, ttlMs: number, now: () => number = Date.now): Promise<VerdictCache> {
    const cache = new VerdictCache(path, ttlMs, now);
    const text = await readFile(path, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        const e = JSON.parse(line) as CachedVerdict;
        if (typeof e.value === 'string' && typeof e.at === 'number' && e.verdict) cache.#entries.set(e.value, e);
      } catch {
        // A line cut by a crash: the answer is simply asked again.
      }
    }
    return cache;
  }

  get(value: string): Verdict | undefined {
    const e = this.#entries.get(value);
    return e && this.now() - e.at < this.ttlMs ? e.verdict : undefined;
  }

  async put(value: string, verdict: Verdict): Promise<void> {
    const e = { value, at: this.now(), verdict };
    this.#entries.set(value, e);
    this.#added++;
    await mkdir(dirname(this.path), { recursive: true });
    await appendFile(this.path, `${JSON.stringify(e)}\n`);
  }

  /** Rewrite the file with the live answers only. */
  async close(): Promise<void> {
    if (this.#added === 0 && this.#entries.size === 0) return;
    const live = [...this.#entries.values()].filter((e) => this.now() - e.at < this.ttlMs);
    await mkdir(dirname(this.path), { recursive: true });
    await writeFile(`${this.path}.tmp`, live.map((e) => `${JSON.stringify(e)}\n`).join(''));
    await rename(`${this.path}.tmp`, this.path);
  }
}

/** Spaces the starts of requests so that at most `perMinute` start in any minute. */
export class RateLimiter {
  #next = 0;

  constructor(readonly perMinute: number) {}

  async slot(): Promise<void> {
    const interval = 60_000 / this.perMinute;
    const now = Date.now();
    const at = Math.max(now, this.#next);
    this.#next = at + interval;
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  }
}
