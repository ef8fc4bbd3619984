import { join } from 'node:path';
import type { EngineSession, TimeRange } from '../engine/index.js';
import { resultsPath, resultsTable } from '../ml/index.js';
import type { OaTableName, TelemetryType } from '../schema/index.js';
import { CONTEXT_TABLES as T } from './context-tables.js';
import { buildDayContext, dayViews, historyViews, type Views } from './day-context.js';
import type { Enricher } from './enrich/index.js';
import type { Detector } from './heuristics/detector.js';
import { emptyOaSql, exportOaCsv, writeOaTable, type OaDay } from './output.js';
import { rankDay, type FilteredList, type RankFilter } from './rank-day.js';
import { scoresSql } from './scores.js';
import { dnsDendroSql, dnsEdgeSql, flowChordsSql, flowEdgeSql, proxyEdgeSql } from './storyboard/edges.js';
import { impactSql, peerSummarySql, timelineSql } from './storyboard/investigation.js';
import { ingestSummarySql } from './storyboard/ingest-summary.js';
import type { OaConfig } from './config.js';
import { stageTimer } from '../shared/stage-timer.js';

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
  /**
   * The analysts' noise filter (src/feedback): the CSV lists and the visible threat list (VISIBLE_THREATS) leave out
   * what it hides and damp what it learned. The lake's tables stay whole, so rules apply again at query time.
   */
  readonly filter?: RankFilter;
}

/** The temporary table holding the day's threat list as the analyst sees it, after a run. */
export const VISIBLE_THREATS = 'oa_visible_threats';

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
  const write = async (name: OaTableName, sql: string, options?: { csv?: boolean }) => (tables[name] = await writeOaTable(engine, name, sql, out, options));
  // A list as the analyst sees it: the noise filter's hidden rows left out (they stay in the lake's tables).
  const analystCopy = async (relation: string, list: FilteredList) =>
    request.filter ? { relation: `(${await request.filter.apply(relation, list)})`, visible: 'suppressed_by IS NULL' } : { relation, visible: '' };

  const views = await dayViews(engine, request.types, request.range, notes);
  const present = Object.keys(views) as TelemetryType[];
  const context = await buildDayContext(engine, views, enricher, { uris: true });
  notes.push(...enricher.warnings);
  stage('context', context);

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
  await write('evidence', evidence.length ? evidence.join(' UNION ALL ') : emptyOaSql('evidence', d), { csv: false });
  if (request.outDir) {
    // The analyst's copy: without what the noise filter hides; one CSV per detector besides, for the analyst who follows one heuristic.
    const { relation, visible } = await analystCopy(d.ident('oa_out_evidence'), 'evidence');
    await exportOaCsv(engine, 'evidence', relation, request.outDir, 'evidence', visible);
    for (const name of Object.keys(perDetector)) {
      await exportOaCsv(engine, 'evidence', relation, request.outDir, `evidence-${name}`, [visible, `detector = ${d.string(name)}`].filter(Boolean).join(' AND '));
    }
  }
  stage('detectors', `${tables.evidence} evidence rows`);

  // Spot's <type>_scores from the ML results of the day.
  const limit = config.scoresLimit || request.mlMaxResults;
  const scores: Views = {};
  for (const type of present) {
    const results = await engine.parquetView(`oa_results_${type}`, [resultsPath(engine.lakePath, type, request.day)], resultsTable(type));
    if (!(await engine.query(`SELECT 1 AS one FROM ${results} LIMIT 1`)).length) notes.push(`${type}: no ML results for ${request.day} (run spothreat ml ${type} first)`);
    await write(`${type}_scores`, scoresSql(type, results, limit, d), { csv: false });
    scores[type] = d.ident(`oa_out_${type}_scores`);
    if (request.outDir) {
      const { relation, visible } = await analystCopy(scores[type]!, `${type}_scores`);
      await exportOaCsv(engine, `${type}_scores`, relation, request.outDir, `${type}_scores`, visible);
    }
  }
  stage('scores', present.map((t) => `${t} ${tables[`${t}_scores`]}`).join(', '));

  // One ranked list across types: whole in the lake; the analyst's copy (CSV, printed) with the noise filter.
  const history = config.rank.historyDays > 0 ? await historyViews(engine, present, request.range.from, config.rank.historyDays) : null;
  const rankInputs = { evidence: d.ident('oa_out_evidence'), scores, views, history, scoresLimit: limit };
  await rankDay(engine, config.rank, rankInputs, 'oa_threats');
  await write('threats', 'SELECT * FROM oa_threats', { csv: !request.filter });
  if (request.filter) {
    await rankDay(engine, config.rank, { ...rankInputs, filter: request.filter, peerStats: 'oa_peer_stats' }, VISIBLE_THREATS);
    if (request.outDir) await exportOaCsv(engine, 'threats', VISIBLE_THREATS, request.outDir);
  } else {
    await engine.run(`CREATE OR REPLACE TEMP TABLE ${VISIBLE_THREATS} AS SELECT * FROM oa_threats`);
  }
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

