/** A DNS name in lower case without the root dot, or null when it is not a host name. */
export function normaliseDomain(text: string): string | null {
  const name = text.trim().toLowerCase().replace(/\.$/, '');
  return /^(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/.test(name) ? name : null;
}

/** A URL in canonical form (WHATWG: scheme and host lower case, default port and fragment dropped), or null. */
export function normaliseUrl(text: string): string | null {
  try {
    const url = new URL(text.trim());
    url.hash = '';
    return url.href;
  } catch {
    return null;
  }
}

/**
 * Names with wildcard semantics: an exact entry matches the name itself; a wildcard entry ("*.example.com") matches
 * example.com and every name under it, the longest such suffix winning. An exact entry beats a wildcard one.
 */
export class DomainIndex<T> {
  readonly #exact = new Map<string, T>();
  readonly #wildcard = new Map<string, T>();

  add(name: string, wildcard: boolean, value: T): void {
    (wildcard ? this.#wildcard : this.#exact).set(name, value);
  }

  get(text: string): T | undefined {
    const name = normaliseDomain(text);
    if (name === null) return undefined;
    const exact = this.#exact.get(name);
    if (exact !== undefined || this.#wildcard.size === 0) return exact;
    for (let suffix = name; ; ) {
      const hit = this.#wildcard.get(suffix);
      if (hit !== undefined) return hit;
      const dot = suffix.indexOf('.');
      if (dot < 0) return undefined;
      suffix = suffix.slice(dot + 1);
    }
  }
}
