import { getDomain } from 'tldts';
import type { TelemetryType } from '../schema/index.js';
import { canonicalIp } from '../shared/ip.js';
import { normaliseProto } from '../shared/iana-proto.js';
import { parseDomain, parseUriPrefix } from './patterns.js';

/**
 * What a rating matches, per type (Spot's scoring panel, with its faults fixed): flow any subset of sip, dip,
 * sport, dport, proto; dns the client, the exact query or the registered domain; proxy the client, the host or a
 * URI prefix. A rating matches a row only when every field it names matches: never on one shared address alone.
 */
export interface MatchSpec {
  readonly sip?: string;
  readonly dip?: string;
  readonly sport?: number;
  readonly dport?: number;
  readonly proto?: string;
  readonly client?: string;
  readonly query?: string;
  readonly domain?: string;
  readonly host?: string;
  readonly uri_prefix?: string;
}

export const SPEC_FIELDS: Readonly<Record<TelemetryType, readonly (keyof MatchSpec)[]>> = {
  flow: ['sip', 'dip', 'sport', 'dport', 'proto'],
  dns: ['client', 'query', 'domain'],
  proxy: ['client', 'host', 'uri_prefix'],
};

export const ALL_SPEC_FIELDS = ['sip', 'dip', 'sport', 'dport', 'proto', 'client', 'query', 'domain', 'host', 'uri_prefix'] as const satisfies readonly (keyof MatchSpec)[];

/** Check a spec for a type and put its values in canonical form. Throws with the reason. */
export function normaliseSpec(type: TelemetryType, spec: Readonly<Record<string, unknown>>): MatchSpec {
  const allowed = SPEC_FIELDS[type];
  const out: Record<string, string | number> = {};
  for (const [key, raw] of Object.entries(spec)) {
    if (raw === undefined || raw === null || raw === '') continue;
    if (!(allowed as readonly string[]).includes(key)) throw new Error(`a ${type} rating matches on ${allowed.join(', ')}; not on ${key}`);
    const text = String(raw).trim();
    switch (key as keyof MatchSpec) {
      case 'sip':
      case 'dip':
      case 'client': {
        const ip = canonicalIp(text);
        if (!ip) throw new Error(`${key} ${JSON.stringify(text)} is not an IP address`);
        out[key] = ip;
        break;
      }
      case 'sport':
      case 'dport':
        if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new Error(`${key} ${JSON.stringify(text)} is not a port (0-65535)`);
        out[key] = Number(text);
        break;
      case 'proto':
        out[key] = normaliseProto(text);
        break;
      case 'query':
      case 'host': {
        const d = parseDomain(text);
        if (d.wildcard) throw new Error(`${key} is an exact name; to match a whole domain rate its registered domain (domain) or write a rule`);
        out[key] = d.name;
        break;
      }
      case 'domain': {
        const name = parseDomain(text.replace(/^\*\./, '')).name;
        const registered = getDomain(name, { allowPrivateDomains: false });
        if (registered !== name) throw new Error(`domain ${JSON.stringify(text)} is not a registered domain${registered ? ` (that is ${registered})` : ''}`);
        out[key] = name;
        break;
      }
      case 'uri_prefix':
        out[key] = parseUriPrefix(text);
        break;
    }
  }
  if (Object.keys(out).length === 0) throw new Error(`a ${type} rating needs at least one of ${allowed.join(', ')}`);
  return out as MatchSpec;
}
