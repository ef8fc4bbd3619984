import { addressBits, networkContains, parseNetwork, type Network } from './cidr.js';
import { domainMatches, parseDomain, parseGlob, parsePorts, parseUriPrefix, portsContain } from './patterns.js';
import type { RatingRow, RuleRow } from './tables.js';

/**
 * Rules and ratings as matchers: for each role of a row (its source address, its name …) a test of the role's
 * value. A matcher matches a row when every role it names passes. Roles are tested on the distinct values of a
 * relation in JavaScript, once each, and the matches are joined back in SQL.
 */
export const ROLES = ['type', 'src', 'dst', 'addr', 'sport', 'dport', 'proto', 'name', 'uri', 'ua', 'detector'] as const;
export type Role = (typeof ROLES)[number];

export interface Matcher {
  readonly kind: 'rule' | 'rating';
  readonly id: number;
  /** What a hidden row names: "rule 3: backup job" or "rating 12". */
  readonly label: string;
  /** 1 high, 2 medium, 3 low risk; null for rules. */
  readonly rating: 1 | 2 | 3 | null;
  readonly tests: ReadonlyMap<Role, (value: string) => boolean>;
}

class TestSet {
  readonly tests = new Map<Role, ((value: string) => boolean)[]>();
  add(role: Role, test: (value: string) => boolean): void {
    this.tests.set(role, [...(this.tests.get(role) ?? []), test]);
  }
  done(): ReadonlyMap<Role, (value: string) => boolean> {
    return new Map([...this.tests].map(([role, ts]) => [role, (v: string) => ts.every((t) => t(v))]));
  }
}

const inNetwork = (net: Network) => (value: string) => {
  const bits = addressBits(value);
  return bits !== null && networkContains(net, bits);
};
const equalsText = (expected: string) => (value: string) => value === expected;
const equalsUpper = (expected: string) => (value: string) => value.toUpperCase() === expected.toUpperCase();
const inPorts = (text: string) => {
  const set = parsePorts(text);
  return (value: string) => portsContain(set, value);
};
const matchesDomain = (text: string) => {
  const p = parseDomain(text);
  return (value: string) => domainMatches(p, value);
};
const startsWithUri = (prefix: string) => (value: string) => {
  try {
    return parseUriPrefix(value).startsWith(prefix);
  } catch {
    return false;
  }
};
/** A threat lists its detectors (joined with commas): a detector rule covers it when that is its only detector. */
const onlyDetector = (name: string) => (value: string) => value !== '' && value.split(',').every((d) => d === name);

export function ruleMatcher(rule: RuleRow): Matcher {
  const t = new TestSet();
  if (rule.type) t.add('type', equalsText(rule.type));
  if (rule.cidr) t.add('addr', inNetwork(parseNetwork(rule.cidr)));
  if (rule.src_cidr) t.add('src', inNetwork(parseNetwork(rule.src_cidr)));
  if (rule.dst_cidr) t.add('dst', inNetwork(parseNetwork(rule.dst_cidr)));
  if (rule.domain) t.add('name', matchesDomain(rule.domain));
  if (rule.ports) t.add('dport', inPorts(rule.ports));
  if (rule.src_ports) t.add('sport', inPorts(rule.src_ports));
  if (rule.proto) t.add('proto', equalsUpper(rule.proto));
  if (rule.uri_prefix) t.add('uri', startsWithUri(rule.uri_prefix));
  if (rule.useragent) t.add('ua', parseGlob(rule.useragent).test);
  if (rule.detector) t.add('detector', onlyDetector(rule.detector));
  return { kind: 'rule', id: Number(rule.id), label: `rule ${rule.id}: ${rule.name}`, rating: null, tests: t.done() };
}

export function ratingMatcher(r: RatingRow): Matcher {
  const t = new TestSet();
  t.add('type', equalsText(r.type));
  if (r.sip) t.add('src', inNetwork(parseNetwork(r.sip)));
  if (r.dip) t.add('dst', inNetwork(parseNetwork(r.dip)));
  if (r.client) t.add('src', inNetwork(parseNetwork(r.client)));
  if (r.sport !== null) t.add('sport', equalsText(String(r.sport)));
  if (r.dport !== null) t.add('dport', equalsText(String(r.dport)));
  if (r.proto) t.add('proto', equalsUpper(r.proto));
  if (r.query) t.add('name', matchesDomain(r.query));
  if (r.host) t.add('name', matchesDomain(r.host));
  if (r.domain) t.add('name', matchesDomain(`*.${r.domain}`));
  if (r.uri_prefix) t.add('uri', startsWithUri(r.uri_prefix));
  return { kind: 'rating', id: Number(r.id), label: `rating ${r.id}`, rating: r.rating as 1 | 2 | 3, tests: t.done() };
}

/**
 * Precedence, when several match one row (docs/noise-filter.md): among rules, the one with more conditions (the
 * more specific), then the older (lower id); among ratings, more conditions, then the newer (higher id). Returns
 * the matchers in that order; a matcher's index is its rank.
 */
export function byPrecedence(matchers: readonly Matcher[]): Matcher[] {
  return [...matchers].sort((a, b) => {
    if (a.kind !== b.kind) return a.kind === 'rule' ? -1 : 1;
    if (a.tests.size !== b.tests.size) return b.tests.size - a.tests.size;
    return a.kind === 'rule' ? a.id - b.id : b.id - a.id;
  });
}
