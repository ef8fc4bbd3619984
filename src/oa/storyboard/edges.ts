import type { Dialect } from '../../engine/index.js';
import { CONTEXT_TABLES as T } from '../context-tables.js';
import { DNS_CLIENT } from '../peer-stats.js';

/*
 * Spot's edge, chord and dendrogram data: for each suspicious event, the raw events around it. One query per table,
 * whatever the number of suspicious events; `limit` caps the rows per suspicious event (Spot: 250).
 */

const capped = (sql: string, key: string, order: string, limit: number) =>
  `SELECT * FROM (SELECT x.*, row_number() OVER (PARTITION BY ${key} ORDER BY ${order}) AS pick FROM (${sql}) AS x) AS y WHERE pick <= ${limit}`;

/** The flows of the same pair, either direction, in the same minute as each suspicious flow. */
export function flowEdgeSql(flow: string, scores: string, limit: number, d: Dialect): string {
  const side = (a: string, b: string) =>
    `SELECT s.rank AS score_rank, f.tstart, f.sip AS srcip, f.dip AS dstip, f.sport, f.dport, f.proto, f.flag AS flags, f.stos AS tos, f.ibyt, f.ipkt, ` +
    `f.input, f.output, f.rip, f.obyt, f.opkt, ${d.timePart('hour', 'f.tstart')} AS hh, ${d.timePart('minute', 'f.tstart')} AS mn ` +
    `FROM ${scores} AS s JOIN ${flow} AS f ON f.sip = s.${a} AND f.dip = s.${b} AND date_trunc('minute', f.tstart) = date_trunc('minute', s.tstart)`;
  return capped(`${side('srcip', 'dstip')} UNION ALL ${side('dstip', 'srcip')}`, 'score_rank', 'tstart, srcip, sport', limit);
}

/** Traffic between each address seen more than once, with more than one peer, among the suspicious flows and those peers. */
export function flowChordsSql(flow: string, scores: string): string {
  const ends = `SELECT srcip AS ip, dstip AS peer FROM ${scores} UNION ALL SELECT dstip, srcip FROM ${scores}`;
  const pairs = `SELECT DISTINCT e.ip, e.peer FROM (${ends}) AS e JOIN (SELECT ip FROM (${ends}) AS t GROUP BY ip HAVING count(*) > 1 AND count(DISTINCT peer) > 1) AS t ON t.ip = e.ip`;
  const dir = (a: string, b: string) =>
    `SELECT p.ip AS ip_threat, f.sip AS srcip, f.dip AS dstip, f.ibyt, f.ipkt, f.tstart FROM (${pairs}) AS p JOIN ${flow} AS f ON f.${a} = p.ip AND f.${b} = p.peer`;
  return (
    `SELECT ip_threat, srcip, dstip, sum(ibyt) AS ibyt, sum(ipkt) AS ipkt, count(*) AS flows, min(tstart) AS first_seen, max(tstart) AS last_seen ` +
    `FROM (${dir('sip', 'dip')} UNION ALL ${dir('dip', 'sip')}) AS c GROUP BY ip_threat, srcip, dstip`
  );
}

/** The DNS messages for the same name in the same hour as each suspicious response. */
export function dnsEdgeSql(dns: string, scores: string, limit: number, d: Dialect): string {
  const name = (alias: string, code: string) => `coalesce(${alias}.name, 'Unknown (' || CAST(${code} AS VARCHAR) || ')')`;
  const sql =
    `SELECT s.rank AS score_rank, q.frame_time, q.unix_tstamp, q.frame_len, q.ip_dst, q.ip_src, q.dns_qry_name, q.dns_qry_class, q.dns_qry_type, ` +
    `q.dns_qry_rcode, q.dns_a, ${d.timePart('hour', 'q.frame_time')} AS hh, ${name('ic', 'q.dns_qry_class')} AS dns_qry_class_name, ` +
    `${name('it', 'q.dns_qry_type')} AS dns_qry_type_name, ${name('ir', 'q.dns_qry_rcode')} AS dns_qry_rcode_name, h.context AS network_context ` +
    `FROM ${dns} AS q JOIN ${scores} AS s ON q.dns_qry_name = s.dns_qry_name AND date_trunc('hour', q.frame_time) = date_trunc('hour', s.frame_time) ` +
    `LEFT JOIN ${T.dnsClass} AS ic ON ic.code = q.dns_qry_class LEFT JOIN ${T.dnsType} AS it ON it.code = q.dns_qry_type ` +
    `LEFT JOIN ${T.dnsRcode} AS ir ON ir.code = q.dns_qry_rcode LEFT JOIN ${T.hosts} AS h ON h.ip = ${DNS_CLIENT}`;
  return capped(sql, 'score_rank', 'frame_time, ip_src', limit);
}

/** Client → queries → answers of each suspicious DNS client, over the day. */
export function dnsDendroSql(dns: string, scores: string, limit: number): string {
  const sql =
    `SELECT c.ip_dst, q.frame_time, q.unix_tstamp, q.dns_qry_name, q.dns_a FROM ${dns} AS q ` +
    `JOIN (SELECT DISTINCT ip_dst FROM ${scores}) AS c ON c.ip_dst = q.ip_dst WHERE q.dns_qr`;
  return capped(sql, 'ip_dst', 'frame_time, dns_qry_name', limit);
}

/** The requests of the same client for the same URI in the same hour as each suspicious request. */
export function proxyEdgeSql(proxy: string, scores: string, limit: number, d: Dialect): string {
  const sql =
    `SELECT s.rank AS score_rank, q.ts, q.p_date AS tdate, q.p_time AS time, q.clientip, q.host, q.webcat, q.respcode, q.reqmethod, q.useragent, ` +
    `q.resconttype, q.referer, q.uriport, q.serverip, q.scbytes, q.csbytes, q.fulluri, ${d.timePart('hour', 'q.ts')} AS hh, ` +
    `coalesce(hs.name, 'Unknown (' || CAST(q.respcode AS VARCHAR) || ')') AS respcode_name ` +
    `FROM ${proxy} AS q JOIN ${scores} AS s ON q.fulluri = s.fulluri AND q.clientip = s.clientip AND date_trunc('hour', q.ts) = date_trunc('hour', s.ts) ` +
    `LEFT JOIN ${T.httpStatus} AS hs ON hs.code = q.respcode`;
  return capped(sql, 'score_rank', 'ts', limit);
}
