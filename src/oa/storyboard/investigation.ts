import type { TelemetryType } from '../../schema/index.js';
import { CONTEXT_TABLES as T } from '../context-tables.js';
import { DNS_CLIENT } from '../peer-stats.js';

type Views = Readonly<Partial<Record<TelemetryType, string>>>;

/**
 * The rows of a view whose name column is a name anchor, or lies under one (a registered-domain anchor), with the
 * anchor as a column: equi-joins only, through the names table (every name of the day → its registered domain).
 */
function underNameAnchor(view: string, column: string, anchors: string, where = 'true'): string {
  return (
    `(SELECT a.anchor, q.* FROM ${view} AS q JOIN ${anchors} AS a ON NOT a.is_ip AND a.anchor = q.${column} WHERE ${where} ` +
    `UNION ALL SELECT a.anchor, q.* FROM ${view} AS q JOIN ${T.names} AS n ON n.name = q.${column} ` +
    `JOIN ${anchors} AS a ON NOT a.is_ip AND a.anchor = n.registered WHERE n.registered <> q.${column} AND ${where})`
  );
}

/** The rows of a view where an address column is an address anchor, with the anchor as a column. */
function atIpAnchor(view: string, column: string, anchors: string, where = 'true'): string {
  return `(SELECT a.anchor, q.* FROM ${view} AS q JOIN ${anchors} AS a ON a.is_ip AND a.anchor = ${column} WHERE ${where})`;
}

/*
 * Spot's threat investigation ("expanded search"), impact analysis, incident progression, globe and timeline, for
 * the anchors (the top threats, a table (anchor, is_ip)), all in one query per table.
 */

/**
 * Every peer of every anchor with counts, sizes and direction; the strongest `topPeers` per anchor by events, merged
 * with the strongest by bytes (as Spot's storyboard did). Context and location columns are left NULL here and filled
 * by the runner once the peers' addresses are enriched.
 */
export function peerSummarySql(views: Views, anchors: string, topPeers: number): string {
  const parts: string[] = [];
  if (views.flow) {
    const dir = (me: string, other: string, way: string) =>
      `SELECT a.anchor, 'flow' AS type, f.${other} AS peer, '${way}' AS way, f.sport, f.dport, f.tstart AS t, f.ibyt AS bytes, f.ipkt AS packets ` +
      `FROM ${views.flow} AS f JOIN ${anchors} AS a ON a.is_ip AND f.${me} = a.anchor`;
    parts.push(dir('sip', 'dip', 'out'), dir('dip', 'sip', 'in'));
  }
  if (views.dns) {
    parts.push(
      `SELECT q.anchor, 'dns', q.dns_qry_name, 'out', CAST(NULL AS INTEGER), CAST(NULL AS INTEGER), q.frame_time, q.frame_len, CAST(NULL AS BIGINT) ` +
        `FROM ${atIpAnchor(views.dns, 'q.ip_dst', anchors, 'q.dns_qr')} AS q`,
      `SELECT q.anchor, 'dns', q.ip_dst, 'in', CAST(NULL AS INTEGER), CAST(NULL AS INTEGER), q.frame_time, q.frame_len, CAST(NULL AS BIGINT) ` +
        `FROM ${underNameAnchor(views.dns, 'dns_qry_name', anchors, 'q.dns_qr')} AS q`,
    );
  }
  if (views.proxy) {
    parts.push(
      `SELECT q.anchor, 'proxy', q.host, 'out', CAST(NULL AS INTEGER), q.uriport, q.ts, q.scbytes + q.csbytes, CAST(NULL AS BIGINT) ` +
        `FROM ${atIpAnchor(views.proxy, 'q.clientip', anchors)} AS q`,
      `SELECT q.anchor, 'proxy', q.clientip, 'in', CAST(NULL AS INTEGER), q.uriport, q.ts, q.scbytes + q.csbytes, CAST(NULL AS BIGINT) ` +
        `FROM ${underNameAnchor(views.proxy, 'host', anchors)} AS q`,
    );
  }
  if (!parts.length) return '';
  const grouped =
    `SELECT anchor, type, peer, CASE WHEN min(way) <> max(way) THEN 'two-way' WHEN min(way) = 'in' THEN 'inbound-only' ELSE 'outbound-only' END AS direction, ` +
    `min(sport) AS sport, min(dport) AS dport, min(t) AS first_seen, max(t) AS last_seen, count(*) AS connections, max(bytes) AS max_bytes, avg(bytes) AS avg_bytes, ` +
    `max(packets) AS max_packets, avg(packets) AS avg_packets, sum(bytes) AS total_bytes FROM (${parts.join(' UNION ALL ')}) AS e WHERE peer IS NOT NULL GROUP BY anchor, type, peer`;
  return (
    `SELECT * FROM (SELECT g.*, row_number() OVER (PARTITION BY anchor ORDER BY connections DESC, peer) AS by_events, ` +
    `row_number() OVER (PARTITION BY anchor ORDER BY total_bytes DESC NULLS LAST, peer) AS by_bytes FROM (${grouped}) AS g) AS r ` +
    `WHERE by_events <= ${topPeers} OR by_bytes <= ${topPeers}`
  );
}

/** Peers of each anchor by direction × network context (internal/external when the peer has no label). */
export function impactSql(peerSummary: string): string {
  return (
    `SELECT anchor, direction, coalesce(context, CASE WHEN internal THEN 'internal' WHEN internal IS NULL THEN 'unknown' ELSE 'external' END) AS context, ` +
    `count(*) AS peers, sum(connections) AS connections, sum(CAST(avg_bytes * connections AS BIGINT)) AS bytes, min(first_seen) AS first_seen ` +
    `FROM ${peerSummary} GROUP BY 1, 2, 3`
  );
}

/** Each anchor's events with its `peers` strongest peers, grouped, at most `limit` groups per anchor. */
export function timelineSql(views: Views, anchors: string, peerSummary: string, peers: number, limit: number): string {
  const top = `(SELECT anchor, type, peer FROM (SELECT anchor, type, peer, row_number() OVER (PARTITION BY anchor ORDER BY connections DESC, peer) AS n FROM ${peerSummary}) AS p WHERE n <= ${peers})`;
  const parts: string[] = [];
  // Both directions as equi-joins: the anchor on one side, one of its top peers on the other.
  const pair = (rows: string, a: string, b: string, type: string) =>
    `SELECT t.anchor, q.* FROM ${rows} AS q JOIN ${top} AS t ON t.type = '${type}' AND t.anchor = q.${a} AND t.peer = q.${b}`;
  if (views.flow) {
    const rows = `(${pair(views.flow, 'sip', 'dip', 'flow')} UNION ALL ${pair(views.flow, 'dip', 'sip', 'flow')})`;
    parts.push(
      `SELECT f.anchor, 'flow' AS type, min(f.tstart) AS tstart, max(f.tend) AS tend, f.sip AS srcip, f.dip AS dstip, f.proto, f.sport, f.dport, count(*) AS events, ` +
        `sum(f.ipkt) AS ipkt, sum(f.ibyt) AS ibyt, CAST(NULL AS INTEGER) AS respcode FROM ${rows} AS f GROUP BY f.anchor, f.sip, f.dip, f.proto, f.sport, f.dport`,
    );
  }
  if (views.dns) {
    const cols = 'client, dns_qry_name, dns_qry_type, dns_qry_rcode, frame_time, frame_len';
    const base = `(SELECT ${DNS_CLIENT} AS client, q.dns_qry_name, q.dns_qry_type, q.dns_qry_rcode, q.frame_time, q.frame_len FROM ${views.dns} AS q WHERE q.dns_qr)`;
    const rows =
      `(SELECT t.anchor, ${cols} FROM ${base} AS q JOIN ${top} AS t ON t.type = 'dns' AND t.anchor = q.client AND t.peer = q.dns_qry_name ` +
      `UNION ALL SELECT t.anchor, ${cols.split(', ').map((c) => `q.${c}`).join(', ')} FROM ${underNameAnchor(base, 'dns_qry_name', anchors)} AS q ` +
      `JOIN ${top} AS t ON t.type = 'dns' AND t.anchor = q.anchor AND t.peer = q.client)`;
    parts.push(
      `SELECT q.anchor, 'dns', min(q.frame_time), max(q.frame_time), q.client, q.dns_qry_name, CAST(q.dns_qry_type AS VARCHAR), CAST(NULL AS INTEGER), CAST(NULL AS INTEGER), ` +
        `count(*), CAST(NULL AS BIGINT), sum(q.frame_len), q.dns_qry_rcode FROM ${rows} AS q GROUP BY q.anchor, q.client, q.dns_qry_name, q.dns_qry_type, q.dns_qry_rcode`,
    );
  }
  if (views.proxy) {
    const cols = 'clientip, host, reqmethod, uriport, respcode, ts, scbytes, csbytes';
    const base = `(SELECT ${cols} FROM ${views.proxy})`;
    const rows =
      `(SELECT t.anchor, ${cols.split(', ').map((c) => `q.${c}`).join(', ')} FROM ${base} AS q JOIN ${top} AS t ON t.type = 'proxy' AND t.anchor = q.clientip AND t.peer = q.host ` +
      `UNION ALL SELECT t.anchor, ${cols.split(', ').map((c) => `q.${c}`).join(', ')} FROM ${underNameAnchor(base, 'host', anchors)} AS q ` +
      `JOIN ${top} AS t ON t.type = 'proxy' AND t.anchor = q.anchor AND t.peer = q.clientip)`;
    parts.push(
      `SELECT q.anchor, 'proxy', min(q.ts), max(q.ts), q.clientip, q.host, q.reqmethod, CAST(NULL AS INTEGER), q.uriport, count(*), CAST(NULL AS BIGINT), ` +
        `sum(q.scbytes + q.csbytes), q.respcode FROM ${rows} AS q GROUP BY q.anchor, q.clientip, q.host, q.reqmethod, q.uriport, q.respcode`,
    );
  }
  if (!parts.length) return '';
  return `SELECT * FROM (SELECT x.*, row_number() OVER (PARTITION BY anchor ORDER BY events DESC, tstart) AS pick FROM (${parts.join(' UNION ALL ')}) AS x) AS y WHERE pick <= ${limit}`;
}
