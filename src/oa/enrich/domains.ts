import { getPublicSuffix } from 'tldts';
import { nameParts } from '../../ml/domains.js';

/** A name split on the Public Suffix List: registered domain, labels left of it, and the public suffix. */
export interface DomainParts {
  readonly registered: string | null;
  readonly subdomain: string;
  readonly tld: string | null;
}

/** The ML words' own split (nameParts), plus the public suffix: one rule for ML, heuristics and OA tables. */
export function domainParts(name: string): DomainParts {
  const p = nameParts(name);
  if (p.domain === null) return { registered: null, subdomain: '', tld: null };
  return { registered: p.domain, subdomain: p.subdomain, tld: getPublicSuffix(p.domain, { allowPrivateDomains: false }) };
}
