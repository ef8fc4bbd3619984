import type { Dialect } from '../engine/index.js';
import type { Role } from './matchers.js';

/**
 * Which column of each kind of relation plays each role, as SQL over the alias `r`. The telemetry kinds serve the
 * lake's rows and the ML results (<type>_results: the same columns); the OA kinds serve their tables.
 */
export const RELATION_KINDS = ['flow', 'dns', 'proxy', 'flow_scores', 'dns_scores', 'proxy_scores', 'evidence', 'threats'] as const;
export type RelationKind = (typeof RELATION_KINDS)[number];

export function isRelationKind(name: string): name is RelationKind {
  return (RELATION_KINDS as readonly string[]).includes(name);
}

type RoleExprs = Partial<Record<Exclude<Role, 'addr'>, string>>;

export function roleExpressions(kind: RelationKind, d: Dialect): RoleExprs {
  const c = (name: string) => `r.${d.ident(name)}`;
  const text = (expr: string) => `CAST(${expr} AS ${d.type('text')})`;
  const lit = (v: string) => d.string(v);
  const when = (test: string, expr: string) => `CASE WHEN ${test} THEN ${expr} END`;
  switch (kind) {
    case 'flow':
      return { type: lit('flow'), src: c('sip'), dst: c('dip'), sport: text(c('sport')), dport: text(c('dport')), proto: c('proto') };
    case 'flow_scores':
      return { type: lit('flow'), src: c('srcip'), dst: c('dstip'), sport: text(c('sport')), dport: text(c('dport')), proto: c('proto') };
    case 'dns':
    case 'dns_scores':
      // A DNS row is a response: its destination is the client, its source the server.
      return { type: lit('dns'), src: c('ip_dst'), dst: c('ip_src'), name: c('dns_qry_name') };
    case 'proxy':
    case 'proxy_scores':
      return { type: lit('proxy'), src: c('clientip'), dst: c('serverip'), dport: text(c('uriport')), name: c('host'), uri: c('fulluri'), ua: c('useragent') };
    case 'evidence': {
      const peer = (kinds: string) => when(`${c('peer_kind')} IN (${kinds})`, c('peer'));
      return {
        type: c('type'),
        detector: c('detector'),
        src: c('entity'),
        dst: peer(lit('ip')),
        name: peer(`${lit('domain')}, ${lit('fqdn')}`),
        uri: peer(lit('url')),
        dport: peer(lit('port')),
      };
    }
    case 'threats': {
      const entity = (k: string) => when(`${c('entity_kind')} = ${lit(k)}`, c('entity'));
      return { src: entity('host'), dst: entity('destination-ip'), name: entity('destination-domain'), detector: d.joinList(c('detectors'), ',') };
    }
  }
}
