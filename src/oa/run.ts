import { join } from 'node:path';
import type { EngineSession, TimeRange } from '../engine/index.js';
import { resultsPath, resultsTable } from '../ml/index.js';
import { TABLES, type TelemetryType } from '../schema/index.js';
import { buildContributions } from './contributions.js';
import { CONTEXT_TABLES as T } from './context-tables.js';
import { enrichAddresses, enrichDomains, enrichUrls, registerIanaTables, type Enricher } from './enrich/index.js';
import type { Detector } from './heuristics/detector.js';
import { emptyOaSql, writeOaTable, type OaDay } from './output.js';
import { buildPeerStats } from './peer-stats.js';
import { buildThreats } from './rank.js';
import { scoresSql } from './scores.js';
import { dnsDendroSql, dnsEdgeSql, flowChordsSql, flowEdgeSql, proxyEdgeSql } from './storyboard/edges.js';
import { impactSql, peerSummarySql, timelineSql } from './storyboard/investigation.js';
import { ingestSummarySql } from './storyboard/ingest-summary.js';
import type { OaConfig } from './config.js';
import { stageTimer } from '../shared/stage-timer.js';

type Views = Partial<Record<TelemetryType, string>>;
const DAY_MS = 86_400_000;

export interface OaRequest {
  /** YYYY-MM-DD, UTC. */
  readonly day: string;
  /** The analysed hours, [from, to) in epoch ms (the whole day by default). */
  readonly range: Required<TimeRange>;
  /** Types to analyse; those without events in the range are skipped. */
  readonly types: readonly TelemetryType[];
  readonly outDir?: string;
  /** Results per type that ML kept: scores past it count as 0 strength. */
  readonly mlMaxResults: number;
  readonly onStage?: (stage: string, seconds: number, detail?: string) => void;
}

export interface OaDetector {
  readonly detector: Detector;
  readonly options: unknown;
}

export interface OaSummary {
  readonly types: readonly TelemetryType[];
  /** Rows written, per OA table. */
  readonly tables: Readonly<Record<string, number>>;
  /** Evidence rows per detector. */
  readonly detectors: Readonly<Record<string, number>>;
  readonly notes: readonly string[];
}

/**
 * Operational analytics of one day: context tables for every address and name of the window, the detectors'
 * evidence, Spot's <type>_scores from the ML results, the ranked threat list and the storyboard data. Every table is
 * rewritten whole, so a rerun gives the same files; analyst feedback lives elsewhere and is never touched.
 */
export async function runOa(engine: EngineSession & { lakePath: string }, config: OaConfig, enricher: Enricher, detectors: readonly OaDetector[], request: OaRequest): Promise<OaSummary> {
  const d = engine.dialect;
  const out: OaDay = { lakePath: engine.lakePath, day: request.day, ...(request.outDir ? { outDir: request.outDir } : {}) };
  const stage = stageTimer(request.onStage);
  const tables: Record<string, number> = {};
  const notes: string[] = [];
  const write = async (name: Parameters<typeof writeOaTable>[1], sql: string) => (tables[name] = await writeOaTable(engine, name, sql, out));

  // The window's events, per type that has any.
  const views: Views = {};
  for (const type of request.types) {
    const lake = await engine.lakeView(type, request.range, `oa_lake_${type}`);
    const time = d.ident(TABLES[type].partitionBy);
    const view = d.ident(`oa_${type}`);
    await engine.run(`CREATE OR REPLACE TEMP VIEW ${view} AS SELECT * FROM ${lake} WHERE ${time} >= ${d.timestamp(request.range.from)} AND ${time} < ${d.timestamp(request.range.to)}`);
    if ((await engine.query(`SELECT 1 AS one FROM ${view} LIMIT 1`)).length) views[type] = view;
    else notes.push(`${type}: no events in the window`);
  }
  const present = Object.keys(views) as TelemetryType[];

  // Context of every address and name of the window, once.
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
  const nUris = await enrichUrls(engine, distinct(views.proxy ? [`SELECT fulluri AS uri FROM ${views.proxy}`] : [], 'uri'), T.uris, enricher);
  await registerIanaTables(engine, { dnsClass: T.dnsClass, dnsType: T.dnsType, dnsRcode: T.dnsRcode, httpStatus: T.httpStatus });
  notes.push(...enricher.warnings);
  stage('context', `${nAddr} addresses, ${nNames} names, ${nUris} URIs`);

  // Attack heuristics.
  const evidence: string[] = [];
  const perDetector: Record<string, number> = {};
  for (const { detector, options } of detectors) {
    const own: Views = Object.fromEntries(detector.types.filter((t) => views[t]).map((t) => [t, views[t]!]));
    if (!Object.keys(own).length) {
      notes.push(`${detector.name}: skipped, no ${detector.types.join(' or ')} events`);
      continue;
    }
    const table = `oa_ev_${detector.name.replace(/-/g, '_')}`;
    const started = performance.now();
    await detector.run({ engine, range: request.range, views: own, hosts: T.hosts, names: T.names }, options, table);
    const [row] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${d.ident(table)}`);
    perDetector[detector.name] = Number(row?.n ?? 0);
    evidence.push(`SELECT * FROM ${d.ident(table)}`);
    request.onStage?.(`  ${detector.name}`, (performance.now() - started) / 1000, `${perDetector[detector.name]} findings`);
  }
  await write('evidence', evidence.length ? evidence.join(' UNION ALL ') : emptyOaSql('evidence', d));
  if (request.outDir) {
    // One CSV per detector besides the whole table, for the analyst who follows one heuristic.
    for (const name of Object.keys(perDetector)) {
      await engine.export(`SELECT * FROM ${d.ident('oa_out_evidence')} WHERE detector = ${d.string(name)} ORDER BY score DESC, entity, peer, window_start`, {
        format: 'csv',
        path: join(request.outDir, `evidence-${name}.csv`),
      });
    }
  }
  stage('detectors', `${tables.evidence} evidence rows`);

  // Spot's <type>_scores from the ML results of the day.
  const limit = config.scoresLimit || request.mlMaxResults;
  const scores: Views = {};
  for (const type of present) {
    const results = await engine.parquetView(`oa_results_${type}`, [resultsPath(engine.lakePath, type, request.day)], resultsTable(type));
    if (!(await engine.query(`SELECT 1 AS one FROM ${results} LIMIT 1`)).length) notes.push(`${type}: no ML results for ${request.day} (run spothreat ml ${type} first)`);
    await write(`${type}_scores`, scoresSql(type, results, limit, d));
    scores[type] = d.ident(`oa_out_${type}_scores`);
  }
  stage('scores', present.map((t) => `${t} ${tables[`${t}_scores`]}`).join(', '));

  // One ranked list across types.
  await buildContributions(engine, { evidence: d.ident('oa_out_evidence'), scores, scoresLimit: limit, peerFactor: config.rank.peerFactor }, 'oa_contrib');
  const history = config.rank.historyDays > 0 ? await historyViews(engine, present, request.range.from, config.rank.historyDays) : null;
  await buildPeerStats(engine, 'oa_contrib', views, history, 'oa_peer_stats');
  await buildThreats(engine, { contributions: 'oa_contrib', peerStats: 'oa_peer_stats', scoresLimit: limit }, config.rank, 'oa_threats');
  await write('threats', 'SELECT * FROM oa_threats');
  stage('threats', `${tables.threats} threats`);

  // Storyboard and investigation data.
  const sb = config.storyboard;
  if (views.flow) {
    await write('flow_edge', flowEdgeSql(views.flow, scores.flow!, sb.detailsLimit, d));
    await write('flow_chords', flowChordsSql(views.flow, scores.flow!));
  }
  if (views.dns) {
    await write('dns_edge', dnsEdgeSql(views.dns, scores.dns!, sb.detailsLimit, d));
    await write('dns_dendro', dnsDendroSql(views.dns, scores.dns!, sb.detailsLimit));
  }
  if (views.proxy) await write('proxy_edge', proxyEdgeSql(views.proxy, scores.proxy!, sb.detailsLimit, d));
  await engine.run(
    `CREATE OR REPLACE TEMP TABLE oa_anchors AS SELECT entity AS anchor, entity_kind <> 'destination-domain' AS is_ip FROM oa_threats WHERE rank <= ${sb.topThreats}`,
  );
  const peers = peerSummarySql(views, 'oa_anchors', sb.topPeers);
  await write(
    'peer_summary',
    peers
      ? `SELECT p.*, a.context, a.internal, a.country, a.lat, a.lon FROM (${peers}) AS p LEFT JOIN ${T.addresses} AS a ON a.ip = p.peer`
      : emptyOaSql('peer_summary', d),
  );
  await write('impact', impactSql(d.ident('oa_out_peer_summary')));
  const timeline = timelineSql(views, 'oa_anchors', d.ident('oa_out_peer_summary'), sb.timelinePeers, sb.timelineLimit);
  await write('timeline', timeline || emptyOaSql('timeline', d));
  await write('ingest_summary', ingestSummarySql(views, d));
  stage('storyboard', `${tables.peer_summary} peers, ${tables.timeline} timeline rows`);
  return { types: present, tables, detectors: perDetector, notes };
}


async function historyViews(engine: EngineSession, types: readonly TelemetryType[], dayStart: number, days: number): Promise<Views> {
  const views: Views = {};
  for (const type of types) views[type] = await engine.lakeView(type, { from: dayStart - days * DAY_MS, to: dayStart }, `oa_history_${type}`);
  return views;
}
