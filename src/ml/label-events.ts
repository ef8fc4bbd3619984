import type { Dialect, EngineSession } from '../engine/index.js';
import { labelMatcher, proxyLabelMatcher, type Label } from '../generate/index.js';
import type { TelemetryType } from '../schema/index.js';

/**
 * How the events of a type are matched against the generator's labels (labels.csv), with the
 * generator's own matchers so that the ground truth has one definition: a flow as itself, a DNS
 * response as the packet from the server (ip_src, port 53) back to the client (ip_dst), both by
 * `labelMatcher`; a proxy request by `proxyLabelMatcher` (client, host, time).
 */
interface TypeMatch {
  /** SQL of the fields the matcher reads, by name. */
  keys(d: Dialect): Record<string, string>;
  /** A SQL condition true for every event of the label (and few others). */
  candidates(label: Label, keys: Record<string, string>, d: Dialect): string[];
  matcher(label: Label): (row: Record<string, unknown>) => boolean;
}

const list = (d: Dialect, values: readonly string[]) => values.map((v) => d.string(v)).join(', ');
const exactHosts = (side: readonly string[]) => side.length > 0 && side.every((a) => !a.includes('/'));

const flowMatch = (keys: (d: Dialect) => Record<string, string>): TypeMatch => ({
  keys,
  candidates(l, k, d) {
    const parts = [`${k.tstart} >= ${d.timestamp(l.start)}`, `${k.tstart} <= ${d.timestamp(l.end)}`];
    if (l.proto.length) parts.push(`${k.proto} IN (${list(d, l.proto)})`);
    // When one side lists addresses only, one of them is at either end of every flow of the label.
    const hosts = [l.src, l.dst].find(exactHosts);
    if (hosts) parts.push(`(${k.sip} IN (${list(d, hosts)}) OR ${k.dip} IN (${list(d, hosts)}))`);
    return parts;
  },
  matcher(l) {
    const match = labelMatcher(l);
    return (r) =>
      match({ tstart: (r.tstart as Date).getTime(), sip: String(r.sip), dip: String(r.dip), sport: Number(r.sport), dport: Number(r.dport), proto: String(r.proto) });
  },
});

const MATCHES: Record<TelemetryType, TypeMatch> = {
  flow: flowMatch((d) => ({ tstart: d.ident('tstart'), sip: d.ident('sip'), dip: d.ident('dip'), sport: d.ident('sport'), dport: d.ident('dport'), proto: d.ident('proto') })),
  dns: flowMatch((d) => ({
    tstart: d.ident('frame_time'),
    sip: d.ident('ip_src'),
    dip: d.ident('ip_dst'),
    sport: `coalesce(${d.ident('sport')}, 53)`,
    dport: `coalesce(${d.ident('dport')}, 0)`,
    proto: `upper(coalesce(${d.ident('transport')}, 'udp'))`,
  })),
  proxy: {
    keys: (d) => ({ ts: d.ident('ts'), clientip: d.ident('clientip'), host: `lower(${d.ident('host')})` }),
    candidates(l, k, d) {
      if (l.hosts.length === 0) return ['false'];
      const parts = [`${k.ts} >= ${d.timestamp(Math.floor(l.start / 1000) * 1000)}`, `${k.ts} <= ${d.timestamp(l.end)}`, `${k.host} IN (${list(d, l.hosts.map((h) => h.toLowerCase()))})`];
      if (exactHosts(l.src)) parts.push(`${k.clientip} IN (${list(d, l.src)})`);
      return parts;
    },
    matcher(l) {
      const match = proxyLabelMatcher(l);
      return (r) => match({ ts: (r.ts as Date).getTime(), clientip: String(r.clientip), host: String(r.host) });
    },
  },
};

/** The label fields of the events of a relation, plus any `extra` columns, as SQL select items. */
export function labelKeySelect(type: TelemetryType, d: Dialect, extra: readonly string[] = []): string {
  return [...Object.entries(MATCHES[type].keys(d)).map(([name, sql]) => `${sql} AS ${d.ident(name)}`), ...extra].join(', ');
}

/**
 * A SQL condition true for every event that may belong to one of the labels (and for few others):
 * the label's time window and what else narrows it cheaply. The exact test is the generator's
 * matcher, in JavaScript, on these candidates only.
 */
export function labelCandidates(type: TelemetryType, d: Dialect, labels: readonly Label[]): string {
  if (labels.length === 0) return 'false';
  const keys = MATCHES[type].keys(d);
  return labels.map((l) => `(${MATCHES[type].candidates(l, keys, d).join(' AND ')})`).join(' OR ');
}

/** Tests an event's label fields (a row of `labelKeySelect`) against every label: the indexes of those it belongs to. */
export function labelIndex(type: TelemetryType, labels: readonly Label[]): (row: Record<string, unknown>) => number[] {
  const matchers = labels.map((l) => MATCHES[type].matcher(l));
  return (row) => {
    const hits: number[] = [];
    matchers.forEach((m, i) => {
      if (m(row)) hits.push(i);
    });
    return hits;
  };
}

/** How many events of `events` belong to each label, and to at least one attack label; streamed over the candidates only. */
export async function countLabelledEvents(
  engine: EngineSession,
  type: TelemetryType,
  events: string,
  labels: readonly Label[],
): Promise<{ perLabel: number[]; attackEvents: number }> {
  const perLabel = labels.map(() => 0);
  let attackEvents = 0;
  const match = labelIndex(type, labels);
  const sql = `SELECT ${labelKeySelect(type, engine.dialect)} FROM ${events} AS e WHERE ${labelCandidates(type, engine.dialect, labels)}`;
  for await (const rows of engine.stream(sql)) {
    for (const row of rows) {
      const hits = match(row);
      for (const i of hits) perLabel[i]!++;
      if (hits.some((i) => labels[i]!.category === 'attack')) attackEvents++;
    }
  }
  return { perLabel, attackEvents };
}
