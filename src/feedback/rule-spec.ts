import { isTelemetryType } from '../schema/index.js';
import { normaliseProto } from '../shared/iana-proto.js';
import { parseNetwork } from './cidr.js';
import { parseDomain, parseGlob, parsePorts, parseUriPrefix } from './patterns.js';
import type { RuleRow } from './tables.js';

/** What a rule says, as written by hand or in a rule file: everything but its id and bookkeeping. */
export type RuleFields = Omit<RuleRow, 'id' | 'created_at' | 'from_rating'>;

/** The conditions of a rule; a row is hidden when it meets all the conditions the rule has. */
export const CONDITION_FIELDS = ['cidr', 'src_cidr', 'dst_cidr', 'domain', 'ports', 'src_ports', 'proto', 'uri_prefix', 'useragent', 'detector'] as const;
export type ConditionField = (typeof CONDITION_FIELDS)[number];

/** The fields of a rule file, in file order: the rules table's own columns but its bookkeeping. */
export const RULE_FILE_FIELDS = ['name', 'type', ...CONDITION_FIELDS, 'owner', 'comment', 'expires_at'] as const satisfies readonly (keyof RuleFields)[];

/** Check a rule and put its values in canonical form. Throws "field: reason". */
export function normaliseRule(input: Readonly<Record<string, unknown>>): RuleFields {
  for (const key of Object.keys(input)) {
    if (!(RULE_FILE_FIELDS as readonly string[]).includes(key) && key !== 'id') throw new Error(`${key}: not a rule field (fields: ${RULE_FILE_FIELDS.join(', ')})`);
  }
  const text = (key: string): string | null => {
    const v = input[key];
    if (v === undefined || v === null) return null;
    if (v instanceof Date) return v.toISOString();
    if (typeof v !== 'string' && typeof v !== 'number') throw new Error(`${key}: expected text, got ${JSON.stringify(v)}`);
    const t = String(v).trim();
    return t === '' ? null : t;
  };
  const field = <T>(key: string, parse: (t: string) => T): T | null => {
    const t = text(key);
    if (t === null) return null;
    try {
      return parse(t);
    } catch (e) {
      throw new Error(`${key}: ${(e as Error).message}`);
    }
  };
  const name = text('name');
  if (!name) throw new Error('name: a rule needs a name');
  if (name.length > 200 || /[\r\n]/.test(name)) throw new Error('name: at most 200 characters on one line');
  const owner = text('owner');
  if (!owner) throw new Error('owner: a rule needs an owner');
  const type = field('type', (t) => {
    if (!isTelemetryType(t)) throw new Error(`${JSON.stringify(t)} is not flow, dns or proxy`);
    return t;
  });
  const rule: RuleFields = {
    name,
    type,
    cidr: field('cidr', (t) => parseNetwork(t).text),
    src_cidr: field('src_cidr', (t) => parseNetwork(t).text),
    dst_cidr: field('dst_cidr', (t) => parseNetwork(t).text),
    domain: field('domain', (t) => parseDomain(t).text),
    ports: field('ports', (t) => parsePorts(t).text),
    src_ports: field('src_ports', (t) => parsePorts(t).text),
    proto: field('proto', (t) => normaliseProto(t)),
    uri_prefix: field('uri_prefix', parseUriPrefix),
    useragent: (() => {
      const v = input.useragent;
      if (v === undefined || v === null || v === '') return null;
      return parseGlob(String(v)).text; // kept as written: spaces are part of a user agent
    })(),
    detector: field('detector', (t) => {
      if (!/^[a-z0-9][a-z0-9-]*$/.test(t)) throw new Error(`${JSON.stringify(t)} is not a detector name (lower case, digits and dashes)`);
      return t;
    }),
    owner,
    comment: text('comment'),
    expires_at: field('expires_at', parseExpiry),
  };
  if (CONDITION_FIELDS.every((f) => rule[f] === null)) throw new Error(`a rule needs at least one condition: ${CONDITION_FIELDS.join(', ')}`);
  return rule;
}

/** An ISO date (the start of that day, UTC) or date-time; a time without a zone is UTC. */
export function parseExpiry(text: string): Date {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  const dayMs = m ? Date.parse(`${m[1]}T00:00Z`) : NaN;
  const validDay = m !== null && !Number.isNaN(dayMs) && new Date(dayMs).toISOString().slice(0, 10) === m[1];
  const t = validDay ? Date.parse(`${m[1]}T${m[2] ?? '00:00'}${m[3] ?? 'Z'}`) : NaN;
  if (Number.isNaN(t)) throw new Error(`${JSON.stringify(text)} is not a date or date-time such as 2026-12-31 or 2026-12-31T18:00Z`);
  return new Date(t);
}
