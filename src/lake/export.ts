import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { EngineSession, TimeRange } from '../engine/index.js';
import { tableFor, type TelemetryType } from '../schema/index.js';

/**
 * Write the lake's rows of one type and time range to a CSV file, with the canonical header
 * (Spot's columns first, in Spot's order), sorted by time. Returns the number of rows.
 */
export async function exportCsv(engine: EngineSession, type: TelemetryType, range: TimeRange, path: string): Promise<number> {
  const table = tableFor(type);
  const view = await engine.lakeView(type, range, `export_${type}`);
  const d = engine.dialect;
  const time = d.ident(table.partitionBy);
  const bounds: string[] = [];
  const params: Record<string, Date> = {};
  if (range.from !== undefined) {
    bounds.push(`${time} >= $from`);
    params.from = new Date(range.from);
  }
  if (range.to !== undefined) {
    bounds.push(`${time} < $to`);
    params.to = new Date(range.to);
  }
  const where = bounds.length ? ` WHERE ${bounds.join(' AND ')}` : '';
  // Lists become JSON arrays, so that a CSV field holds one value whatever the list contains.
  const columns = table.columnNames.map((c) => (table.columns[c]!.kind === 'textList' ? `CAST(to_json(${d.ident(c)}) AS VARCHAR) AS ${d.ident(c)}` : d.ident(c)));
  const select = `SELECT ${columns.join(', ')} FROM ${view}${where} ORDER BY ${time}`;
  await mkdir(dirname(path), { recursive: true });
  const [count] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${view}${where}`, params);
  await engine.export(inlineParams(select, params, d), { format: 'csv', path });
  return Number(count?.n ?? 0);
}

/** COPY takes no parameters; the bounds are Dates we made, rendered as timestamp literals. */
function inlineParams(sql: string, params: Record<string, Date>, d: EngineSession['dialect']): string {
  return sql.replace(/\$(from|to)\b/g, (_, k: string) => d.timestamp(params[k]!.getTime()));
}
