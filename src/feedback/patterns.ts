/**
 * The value patterns of rules and ratings, parsed once and tested against the distinct values of a relation:
 * port sets, domain patterns, URI prefixes and user-agent globs. Parsers throw with the reason.
 */

/** "22", "22,443", "8000-8100": inclusive ranges. */
export interface PortSet {
  readonly text: string;
  readonly ranges: readonly (readonly [number, number])[];
}

export function parsePorts(text: string): PortSet {
  const ranges = text.split(',').map((part) => {
    const m = /^\s*(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?$/.exec(part);
    if (!m) throw new Error(`${JSON.stringify(text)}: ports are numbers or ranges separated by commas, such as 22,443,8000-8100`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi > 65535 || lo > hi) throw new Error(`${JSON.stringify(part.trim())}: a port is 0 to 65535 and a range goes upwards`);
    return [lo, hi] as const;
  });
  return { text: ranges.map(([lo, hi]) => (lo === hi ? String(lo) : `${lo}-${hi}`)).join(','), ranges };
}

export function portsContain(set: PortSet, value: string): boolean {
  if (!/^\d+$/.test(value)) return false;
  const n = Number(value);
  return set.ranges.some(([lo, hi]) => n >= lo && n <= hi);
}

/**
 * A domain pattern: "example.com" matches that name only; "*.example.com" matches example.com itself and every
 * name under it (RITA users asked for the apex too, activecm/rita #74). Case and a trailing dot are ignored.
 */
export interface DomainPattern {
  readonly text: string;
  readonly name: string;
  readonly wildcard: boolean;
}

export function parseDomain(text: string): DomainPattern {
  const t = text.trim().toLowerCase().replace(/\.$/, '');
  const wildcard = t.startsWith('*.');
  const name = wildcard ? t.slice(2) : t;
  if (!/^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/.test(name) || name.length > 253) {
    throw new Error(`${JSON.stringify(text)} is not a domain name or a wildcard such as *.example.com`);
  }
  return { text: wildcard ? `*.${name}` : name, name, wildcard };
}

export function domainMatches(p: DomainPattern, value: string): boolean {
  const v = value.toLowerCase().replace(/\.$/, '');
  return v === p.name || (p.wildcard && v.endsWith(`.${p.name}`));
}

/**
 * A URI prefix, compared with the proxy's fulluri (host + path + query, no scheme): a scheme in the pattern is
 * dropped and its host part lower-cased; the path keeps its case.
 */
export function parseUriPrefix(text: string): string {
  const t = text.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  if (!t) throw new Error(`${JSON.stringify(text)}: a URI prefix needs at least a host, such as updates.example.com/`);
  const slash = t.indexOf('/');
  return slash < 0 ? t.toLowerCase() : t.slice(0, slash).toLowerCase() + t.slice(slash);
}

/** A user agent: exact text, or a glob with * (any run) and ? (one character) over the whole value. */
export interface Glob {
  readonly text: string;
  readonly test: (value: string) => boolean;
}

export function parseGlob(text: string): Glob {
  if (text === '') throw new Error('an empty user-agent pattern would match nothing useful');
  if (!/[*?]/.test(text)) return { text, test: (v) => v === text };
  const re = new RegExp(`^${text.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.')}$`, 's');
  return { text, test: (v) => re.test(v) };
}
