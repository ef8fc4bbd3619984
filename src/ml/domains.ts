import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'tldts';
import { InputError } from '../shared/errors.js';

/** What a DNS or proxy word needs of a name: its registered domain (Public Suffix List) and subdomain. */
export interface NameParts {
  readonly name: string;
  /** Registered domain (example.co.uk), or null for addresses, reverse zones and bare suffixes. */
  readonly domain: string | null;
  /** Labels left of the registered domain ("a.b"), "" when none. */
  readonly subdomain: string;
  /** Labels of the whole name. */
  readonly labels: number;
}

/**
 * Spot cut names at a hard-coded list of seven gTLDs and ~250 ccTLDs; the Public Suffix List
 * (tldts) knows co.uk, com.au and the rest. Reverse lookups (in-addr.arpa, ip6.arpa) have no
 * domain or subdomain, as in Spot.
 */
export function nameParts(name: string): NameParts {
  const n = name.toLowerCase().replace(/\.$/, '');
  const labels = n === '' || n === '.' ? 0 : n.split('.').length;
  if (/\.(in-addr|ip6)\.arpa$/.test(n)) return { name, domain: null, subdomain: '', labels };
  const p = parse(n, { allowPrivateDomains: false, extractHostname: false });
  if (p.isIp || !p.domain) return { name, domain: null, subdomain: '', labels };
  return { name, domain: p.domain, subdomain: p.subdomain ?? '', labels };
}

/**
 * The first `top` registered domains of a Tranco list ("rank,domain" lines; a header or any line without a domain is
 * skipped; subdomains count as their registered domain). Read line by line, and only as far as needed.
 */
export async function readPopularList(path: string, top: number): Promise<Set<string>> {
  const out = new Set<string>();
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      const cells = line.trim().split(',');
      const domain = (cells.length > 1 ? cells[1] : cells[0])?.trim().toLowerCase();
      if (!domain || !/^[a-z0-9.-]+\.[a-z0-9-]+$/.test(domain)) continue;
      out.add(nameParts(domain).domain ?? domain);
      if (out.size >= top) break;
    }
  } catch (e) {
    throw new InputError(path, `cannot read the popular-domain list: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  } finally {
    lines.close();
  }
  if (out.size === 0) throw new InputError(path, 'no domain found: expected Tranco CSV lines "rank,domain"');
  return out;
}
