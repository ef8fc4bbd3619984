import type { EngineSession } from '../engine/index.js';
import type { TelemetryType } from '../schema/index.js';
import { CONTEXT_TABLES as T } from './context-tables.js';

type Views = Readonly<Partial<Record<TelemetryType, string>>>;

/** The client of a DNS row: the destination of a response, the source of a query. */
export const DNS_CLIENT = 'CASE WHEN q.dns_qr THEN q.ip_dst ELSE q.ip_src END';

/**
 * For every peer an accused entity is linked to: its prevalence, the largest share of the day's internal clients
 * (flow sources, DNS clients, proxy clients) that talked to it or asked for it; and whether it is new, never seen in
 * the history views (NULL when there is no history). Peers are addresses, query names or hosts, or registered
 * domains (matched through the names table). Writes (peer, prevalence, new_peer).
 */
export async function buildPeerStats(engine: EngineSession, contributions: string, day: Views, history: Views | null, table: string): Promise<void> {
  await engine.run(
    `CREATE OR REPLACE TEMP TABLE oa_peer_list AS SELECT DISTINCT peer FROM ${contributions} WHERE role = 'accused' AND peer IS NOT NULL AND peer <> ''`,
  );
  const shares: string[] = [];
  if (day.flow) {
    shares.push(
      `SELECT f.dip AS peer, CAST(count(DISTINCT f.sip) AS DOUBLE) / greatest((SELECT count(DISTINCT f2.sip) FROM ${day.flow} AS f2 JOIN ${T.hosts} AS h2 ON h2.ip = f2.sip WHERE h2.internal), 1) AS share ` +
        `FROM ${day.flow} AS f JOIN oa_peer_list AS p ON p.peer = f.dip JOIN ${T.hosts} AS h ON h.ip = f.sip WHERE h.internal GROUP BY f.dip`,
    );
  }
  const named = (view: string, name: string, client: string) => {
    const total = `greatest((SELECT count(DISTINCT ${client}) FROM ${view} AS q), 1)`;
    return [
      `SELECT q.${name} AS peer, CAST(count(DISTINCT ${client}) AS DOUBLE) / ${total} AS share FROM ${view} AS q JOIN oa_peer_list AS p ON p.peer = q.${name} GROUP BY q.${name}`,
      `SELECT n.registered AS peer, CAST(count(DISTINCT ${client}) AS DOUBLE) / ${total} AS share FROM ${view} AS q JOIN ${T.names} AS n ON n.name = q.${name} ` +
        `JOIN oa_peer_list AS p ON p.peer = n.registered GROUP BY n.registered`,
    ];
  };
  if (day.dns) shares.push(...named(day.dns, 'dns_qry_name', DNS_CLIENT));
  if (day.proxy) shares.push(...named(day.proxy, 'host', 'q.clientip'));

  const seen: string[] = [];
  if (history?.flow) seen.push(`SELECT f.dip AS peer FROM ${history.flow} AS f JOIN oa_peer_list AS p ON p.peer = f.dip`, `SELECT f.sip FROM ${history.flow} AS f JOIN oa_peer_list AS p ON p.peer = f.sip`);
  if (history?.dns) {
    seen.push(
      `SELECT q.dns_qry_name FROM ${history.dns} AS q JOIN oa_peer_list AS p ON p.peer = q.dns_qry_name`,
      `SELECT ${DNS_CLIENT} FROM ${history.dns} AS q JOIN oa_peer_list AS p ON p.peer = ${DNS_CLIENT}`,
    );
  }
  if (history?.proxy) seen.push(`SELECT q.host FROM ${history.proxy} AS q JOIN oa_peer_list AS p ON p.peer = q.host`);
  let hasHistory = false;
  for (const view of Object.values(history ?? {})) {
    if (view && (await engine.query(`SELECT 1 AS one FROM ${view} LIMIT 1`)).length) hasHistory = true;
  }
  const prevalence = shares.length ? `(SELECT peer, max(share) AS prevalence FROM (${shares.join(' UNION ALL ')}) AS s GROUP BY peer)` : `(SELECT CAST(NULL AS VARCHAR) AS peer, CAST(NULL AS DOUBLE) AS prevalence WHERE false)`;
  const isNew = hasHistory && seen.length ? `(o.peer IS NULL)` : 'CAST(NULL AS BOOLEAN)';
  const old = hasHistory && seen.length ? `LEFT JOIN (SELECT DISTINCT peer FROM (${seen.join(' UNION ALL ')}) AS x) AS o ON o.peer = l.peer` : '';
  await engine.run(
    `CREATE OR REPLACE TEMP TABLE ${engine.dialect.ident(table)} AS SELECT l.peer, v.prevalence, ${isNew} AS new_peer FROM oa_peer_list AS l ` +
      `LEFT JOIN ${prevalence} AS v ON v.peer = l.peer ${old}`,
  );
}
