import type { Config } from '../config/index.js';
import type { EngineSession } from '../engine/index.js';
import { utcDayRange } from '../shared/time.js';
import { oaTableView, rankStoredDay, type FilteredList } from '../oa/index.js';
import { OA_TABLES, TABLES, type TelemetryType } from '../schema/index.js';
import { feedbackRankFilter } from './rank-filter.js';
import type { FeedbackStore } from './store.js';

/** Columns of each stored list that name a threat's entity. */
const ENTITY_COLUMNS: Readonly<Record<Exclude<FilteredList, 'threats'>, readonly string[]>> = {
  evidence: ['entity', 'peer'],
  flow_scores: ['srcip', 'dstip'],
  dns_scores: ['ip_dst', 'dns_qry_name'],
  proxy_scores: ['clientip', 'host'],
};

/**
 * A stored day's threat list with today's rules and ratings, at query time: ranked again from the day's evidence
 * and scores without what they hide (src/oa rankStoredDay), and the threats of the stored list that this leaves
 * out, each with the rules and ratings that hid its evidence. A SELECT of the threat columns and `suppressed_by`
 * (NULL for visible threats, whose ranks are consecutive).
 */
export async function threatListSql(engine: EngineSession & { lakePath: string }, config: Config, store: FeedbackStore, day: string, now?: Date): Promise<string> {
  const d = engine.dialect;
  const filter = feedbackRankFilter(engine, store, { day, lookbackDays: config.ml.feedbackDays, ...(now ? { now } : {}) });
  await rankStoredDay(engine, config, { day, range: utcDayRange(day), types: Object.keys(TABLES) as TelemetryType[], filter }, 'fb_visible_threats');

  const lake = { lakePath: engine.lakePath, day };
  const reasons: string[] = [];
  for (const list of Object.keys(ENTITY_COLUMNS) as (keyof typeof ENTITY_COLUMNS)[]) {
    const filtered = await filter.apply(await oaTableView(engine, list, lake, `fb_stored_${list}`), list);
    for (const col of ENTITY_COLUMNS[list]) reasons.push(`SELECT CAST(${d.ident(col)} AS VARCHAR) AS entity, suppressed_by FROM (${filtered}) AS f WHERE suppressed_by IS NOT NULL`);
  }
  const stored = await oaTableView(engine, 'threats', lake, 'fb_stored_threats');
  const ownRule = await filter.apply(stored, 'threats');
  await engine.run(
    `CREATE OR REPLACE TEMP TABLE fb_threat_reasons AS SELECT entity, ${d.joinList(d.listByDesc('suppressed_by', 'suppressed_by'), '; ')} AS reason FROM (SELECT DISTINCT entity, suppressed_by FROM (${reasons.join(' UNION ALL ')}) AS u) AS x GROUP BY entity`,
  );
  const cols = (alias: string) => OA_TABLES.threats.columnNames.map((c) => `${alias}.${d.ident(c)}`).join(', ');
  return (
    `SELECT ${cols('v')}, CAST(NULL AS VARCHAR) AS suppressed_by FROM fb_visible_threats AS v UNION ALL ` +
    `SELECT ${cols('s')}, ` +
    `coalesce(s.suppressed_by, r.reason, 'no evidence left once the filter applies') AS suppressed_by ` +
    `FROM (${ownRule}) AS s LEFT JOIN fb_threat_reasons AS r ON r.entity = s.entity WHERE s.entity NOT IN (SELECT entity FROM fb_visible_threats)`
  );
}
