import type { EngineSession, TimeRange } from '../engine/index.js';
import { TABLES, type TelemetryType } from '../schema/index.js';
import { DAY_MS } from '../shared/time.js';
import { CONTEXT_TABLES as T } from './context-tables.js';
import { enrichAddresses, enrichDomains, enrichUrls, registerIanaTables, type Enricher } from './enrich/index.js';

export type Views = Partial<Record<TelemetryType, string>>;

/** The window's events as one view per type that has any; the notes say which have none. */
export async function dayViews(engine: EngineSession, types: readonly TelemetryType[], range: Required<TimeRange>, notes: string[]): Promise<Views> {
  const d = engine.dialect;
  const views: Views = {};
  for (const type of types) {
    const lake = await engine.lakeView(type, range, `oa_lake_${type}`);
    const time = d.ident(TABLES[type].partitionBy);
    const view = d.ident(`oa_${type}`);
    await engine.run(`CREATE OR REPLACE TEMP VIEW ${view} AS SELECT * FROM ${lake} WHERE ${time} >= ${d.timestamp(range.from)} AND ${time} < ${d.timestamp(range.to)}`);
    if ((await engine.query(`SELECT 1 AS one FROM ${view} LIMIT 1`)).length) views[type] = view;
    else notes.push(`${type}: no events in the window`);
  }
  return views;
}

/** The days before the window, per type: whether a peer is new. */
export async function historyViews(engine: EngineSession, types: readonly TelemetryType[], dayStart: number, days: number): Promise<Views> {
  const views: Views = {};
  for (const type of types) views[type] = await engine.lakeView(type, { from: dayStart - days * DAY_MS, to: dayStart }, `oa_history_${type}`);
  return views;
}

/**
 * Context of every address and name of the window, once (CONTEXT_TABLES): what detectors, ranking and storyboard
 * join. URIs only when asked (the detectors' reputation of URLs); the IANA tables always. Returns what it counted.
 */
export async function buildDayContext(engine: EngineSession, views: Views, enricher: Enricher, options: { uris: boolean }): Promise<string> {
  const ips = [
    ...(views.flow ? [`SELECT sip AS ip FROM ${views.flow}`, `SELECT dip FROM ${views.flow}`] : []),
    ...(views.dns ? [`SELECT ip_src FROM ${views.dns}`, `SELECT ip_dst FROM ${views.dns}`] : []),
    ...(views.proxy ? [`SELECT clientip FROM ${views.proxy}`, `SELECT serverip FROM ${views.proxy}`] : []),
  ];
  const distinct = (parts: string[], col: string) => (parts.length ? `SELECT DISTINCT ${col} FROM (${parts.join(' UNION ALL ')}) AS u WHERE ${col} IS NOT NULL` : `SELECT CAST(NULL AS VARCHAR) AS ${col} WHERE false`);
  const nAddr = await enrichAddresses(engine, distinct(ips, 'ip'), T.addresses, enricher);
  await engine.run(`CREATE OR REPLACE TEMP VIEW ${T.hosts} AS SELECT ip, internal, context FROM ${T.addresses}`);
  const names = [...(views.dns ? [`SELECT dns_qry_name AS name FROM ${views.dns}`] : []), ...(views.proxy ? [`SELECT host FROM ${views.proxy}`] : [])];
  const nNames = await enrichDomains(engine, distinct(names, 'name'), T.names, enricher);
  const nUris = options.uris ? await enrichUrls(engine, distinct(views.proxy ? [`SELECT fulluri AS uri FROM ${views.proxy}`] : [], 'uri'), T.uris, enricher) : 0;
  await registerIanaTables(engine, { dnsClass: T.dnsClass, dnsType: T.dnsType, dnsRcode: T.dnsRcode, httpStatus: T.httpStatus });
  return `${nAddr} addresses, ${nNames} names${options.uris ? `, ${nUris} URIs` : ''}`;
}
