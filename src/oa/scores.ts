import type { EngineSession } from '../engine/index.js';
import type { dnsScores, flowScores, proxyScores } from '../schema/oa-scores.js';
import type { TelemetryType } from '../schema/index.js';
import { CONTEXT_TABLES as T } from './context-tables.js';

/*
 * Spot's <type>_scores: the day's ML results, ranked, joined with their context. Each builder maps every column of
 * the table to an expression, so a column added to the schema without one is a type error.
 */

type Exprs<Table extends { columns: object }> = Record<keyof Table['columns'], string>;

const int01 = (e: string) => `CASE WHEN ${e} THEN 1 ELSE 0 END`;
const geo = (a: string) => `nullif(concat_ws(';', ${a}.country, ${a}.city), '')`;

function select(exprs: Record<string, string>, from: string, where: string): string {
  return `SELECT ${Object.entries(exprs).map(([name, e]) => `${e} AS ${name}`).join(', ')} FROM ${from} WHERE ${where} ORDER BY r.rank`;
}

function iana(table: string, alias: string, code: string): { join: string; name: string } {
  return { join: `LEFT JOIN ${table} AS ${alias} ON ${alias}.code = ${code}`, name: `coalesce(${alias}.name, 'Unknown (' || CAST(${code} AS VARCHAR) || ')')` };
}

export function flowScoresSql(results: string, limit: number): string {
  const e: Exprs<typeof flowScores> = {
    tstart: 'r.tstart', srcip: 'r.sip', dstip: 'r.dip', sport: 'r.sport', dport: 'r.dport', proto: 'r.proto',
    ipkt: 'r.ipkt', ibyt: 'r.ibyt', opkt: 'r.opkt', obyt: 'r.obyt', ml_score: 'r.score', rank: 'r.rank',
    srcip_internal: int01('s.internal'), dstip_internal: int01('t.internal'),
    src_geoloc: geo('s'), dst_geoloc: geo('t'), src_domain: 's.as_org', dst_domain: 't.as_org',
    src_rep: 's.rep', dst_rep: 't.rep', src_context: 's.context', dst_context: 't.context',
    src_asn: 's.asn', dst_asn: 't.asn', src_rep_level: 's.rep_level', dst_rep_level: 't.rep_level',
    src_word: 'r.src_word', dst_word: 'r.dst_word', sensor: 'r.sensor',
  };
  return select(e, `${results} AS r LEFT JOIN ${T.addresses} AS s ON s.ip = r.sip LEFT JOIN ${T.addresses} AS t ON t.ip = r.dip`, `r.rank <= ${limit}`);
}

export function dnsScoresSql(results: string, limit: number, d: EngineSession['dialect']): string {
  const cls = iana(T.dnsClass, 'ic', 'r.dns_qry_class');
  const typ = iana(T.dnsType, 'it', 'r.dns_qry_type');
  const rc = iana(T.dnsRcode, 'ir', 'r.dns_qry_rcode');
  const e: Exprs<typeof dnsScores> = {
    frame_time: 'r.frame_time', unix_tstamp: 'r.unix_tstamp', frame_len: 'r.frame_len', ip_dst: 'r.ip_dst',
    dns_qry_name: 'r.dns_qry_name', dns_qry_class: 'r.dns_qry_class', dns_qry_type: 'r.dns_qry_type',
    dns_qry_rcode: 'r.dns_qry_rcode', ml_score: 'r.score', tld: 'n.registered', query_rep: 'n.rep',
    hh: d.timePart('hour', 'r.frame_time'), dns_qry_class_name: cls.name, dns_qry_type_name: typ.name,
    dns_qry_rcode_name: rc.name, network_context: 'c.context', rank: 'r.rank', ip_src: 'r.ip_src', dns_a: 'r.dns_a',
    subdomain: 'n.subdomain', query_rep_level: 'n.rep_level', client_internal: int01('c.internal'), word: 'r.word',
  };
  const from = `${results} AS r LEFT JOIN ${T.names} AS n ON n.name = r.dns_qry_name LEFT JOIN ${T.addresses} AS c ON c.ip = r.ip_dst ${cls.join} ${typ.join} ${rc.join}`;
  return select(e, from, `r.rank <= ${limit}`);
}

export function proxyScoresSql(results: string, limit: number): string {
  const st = iana(T.httpStatus, 'hs', 'r.respcode');
  const e: Exprs<typeof proxyScores> = {
    tdate: 'r.p_date', time: 'r.p_time', clientip: 'r.clientip', host: 'r.host', reqmethod: 'r.reqmethod',
    useragent: 'r.useragent', resconttype: 'r.resconttype', duration: 'r.duration', username: 'r.username',
    webcat: 'r.webcat', referer: 'r.referer', respcode: 'r.respcode', uriport: 'r.uriport', uripath: 'r.uripath',
    uriquery: 'r.uriquery', serverip: 'r.serverip', scbytes: 'r.scbytes', csbytes: 'r.csbytes', fulluri: 'r.fulluri',
    word: 'r.word', ml_score: 'r.score',
    // The URI's own verdict, else its host's.
    uri_rep: 'coalesce(u.rep, n.rep)', respcode_name: st.name, network_context: 'c.context', ts: 'r.ts', rank: 'r.rank',
    host_domain: 'n.registered', uri_rep_level: 'greatest(u.rep_level, n.rep_level)', client_internal: int01('c.internal'),
  };
  const from = `${results} AS r LEFT JOIN ${T.uris} AS u ON u.uri = r.fulluri LEFT JOIN ${T.names} AS n ON n.name = r.host LEFT JOIN ${T.addresses} AS c ON c.ip = r.clientip ${st.join}`;
  return select(e, from, `r.rank <= ${limit}`);
}

export function scoresSql(type: TelemetryType, results: string, limit: number, d: EngineSession['dialect']): string {
  return type === 'flow' ? flowScoresSql(results, limit) : type === 'dns' ? dnsScoresSql(results, limit, d) : proxyScoresSql(results, limit);
}
