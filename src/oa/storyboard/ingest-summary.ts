import type { Dialect } from '../../engine/index.js';
import { TABLES, type TelemetryType } from '../../schema/index.js';
import { emptyOaSql } from '../output.js';

/** Events per minute per type over the window: Spot's <type>_ingest_summary, all types in one table. */
export function ingestSummarySql(views: Readonly<Partial<Record<TelemetryType, string>>>, d: Dialect): string {
  const parts = (Object.entries(views) as [TelemetryType, string][]).map(([type, view]) => {
    const minute = `date_trunc('minute', ${d.ident(TABLES[type].partitionBy)})`;
    return `SELECT '${type}' AS type, ${minute} AS minute, count(*) AS total FROM ${view} GROUP BY ${minute}`;
  });
  if (!parts.length) return emptyOaSql('ingest_summary', d);
  const tdate = `${d.timePart('date', 'minute')} || ' ' || substr(${d.timePart('time', 'minute')}, 1, 5)`;
  return `SELECT type, minute, ${tdate} AS tdate, total FROM (${parts.join(' UNION ALL ')}) AS m`;
}
