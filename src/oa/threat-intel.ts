import type { Detector } from './heuristics/detector.js';
import { CONTEXT_TABLES as T } from './context-tables.js';
import { DNS_CLIENT } from './peer-stats.js';

/*
 * Threat-intel hits: an internal host that exchanged traffic with an address, asked for a name or fetched a URI that
 * a reputation source rates at least low (1). The verdicts are in the addresses, names and uris tables the runner
 * builds through the reputation providers; one evidence row per host and indicator, scored level / 3.
 */

const explanation = (what: string) =>
  `${what} || ' rated ' || CASE x.level WHEN 3 THEN 'high' WHEN 2 THEN 'medium' ELSE 'low' END || ' risk by ' || coalesce(x.rep, 'threat intelligence')`;

export const threatIntelDetector: Detector = {
  name: 'threat-intel',
  description: 'hosts talking to addresses, names or URIs that threat-intelligence lists or services rate as risky',
  types: ['flow', 'dns', 'proxy'],
  async run(ctx, _options, table) {
    const d = ctx.engine.dialect;
    const parts: string[] = [];
    const row = (type: string, peerKind: string, what: string) =>
      `SELECT 'threat-intel' AS detector, '${type}' AS type, x.host AS entity, x.indicator AS peer, ${peerKind} AS peer_kind, x.first_seen AS window_start, ` +
      `x.last_seen AS window_end, x.events, CAST(x.level AS DOUBLE) / 3 AS score, ` +
      `${d.jsonObject({ level: 'x.level', reputation: 'x.rep', bytes: 'x.bytes' })} AS measures, ${explanation(what)} AS explanation`;
    const { flow, dns, proxy } = ctx.views;
    if (flow) {
      const side = (me: string, other: string) =>
        `SELECT f.${me} AS host, f.${other} AS indicator, r.rep_level AS level, r.rep, f.tstart AS t, f.ibyt + coalesce(f.obyt, 0) AS bytes FROM ${flow} AS f ` +
        `JOIN ${T.addresses} AS h ON h.ip = f.${me} AND h.internal JOIN ${T.addresses} AS r ON r.ip = f.${other} AND r.rep_level >= 1`;
      parts.push(
        `${row('flow', "'ip'", `x.host || ' exchanged ' || CAST(x.events AS VARCHAR) || ' flows with ' || x.indicator || ','`)} FROM (SELECT host, indicator, max(level) AS level, max(rep) AS rep, ` +
          `min(t) AS first_seen, max(t) AS last_seen, count(*) AS events, sum(bytes) AS bytes FROM (${side('sip', 'dip')} UNION ALL ${side('dip', 'sip')}) AS u GROUP BY host, indicator) AS x`,
      );
    }
    if (dns) {
      parts.push(
        `${row('dns', "'fqdn'", `x.host || ' asked ' || CAST(x.events AS VARCHAR) || ' times for ' || x.indicator || ','`)} FROM (SELECT ${DNS_CLIENT} AS host, q.dns_qry_name AS indicator, ` +
          `max(n.rep_level) AS level, max(n.rep) AS rep, min(q.frame_time) AS first_seen, max(q.frame_time) AS last_seen, count(*) AS events, sum(q.frame_len) AS bytes ` +
          `FROM ${dns} AS q JOIN ${T.names} AS n ON n.name = q.dns_qry_name AND n.rep_level >= 1 WHERE q.dns_qr GROUP BY ${DNS_CLIENT}, q.dns_qry_name) AS x`,
      );
    }
    if (proxy) {
      const hits =
        `SELECT q.clientip AS host, q.fulluri AS indicator, u.rep_level AS level, u.rep, q.ts, q.scbytes + q.csbytes AS bytes FROM ${proxy} AS q JOIN ${T.uris} AS u ON u.uri = q.fulluri AND u.rep_level >= 1 ` +
        `UNION ALL SELECT q.clientip, q.host, n.rep_level, n.rep, q.ts, q.scbytes + q.csbytes FROM ${proxy} AS q JOIN ${T.names} AS n ON n.name = q.host AND n.rep_level >= 1`;
      parts.push(
        `${row('proxy', "CASE WHEN x.indicator LIKE '%/%' THEN 'url' ELSE 'fqdn' END", `x.host || ' made ' || CAST(x.events AS VARCHAR) || ' requests to ' || x.indicator || ','`)} FROM (SELECT host, indicator, max(level) AS level, max(rep) AS rep, ` +
          `min(ts) AS first_seen, max(ts) AS last_seen, count(*) AS events, sum(bytes) AS bytes FROM (${hits}) AS h GROUP BY host, indicator) AS x`,
      );
    }
    await ctx.engine.run(`CREATE OR REPLACE TEMP TABLE ${d.ident(table)} AS ${parts.join(' UNION ALL ')}`);
  },
};
