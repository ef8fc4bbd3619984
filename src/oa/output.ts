import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { EngineSession } from '../engine/index.js';
import { LAKE_DIRS } from '../lake/layout.js';
import { OA_TABLES, type OaTableName, type TableDef } from '../schema/index.js';

export interface OaDay {
  readonly lakePath: string;
  /** YYYY-MM-DD, UTC. */
  readonly day: string;
  /** Also write <name>.csv here. */
  readonly outDir?: string;
}

/** The order rows are written in, so that files and CSVs read top-down as an analyst would. */
const ORDER: Readonly<Record<OaTableName, string>> = {
  flow_scores: 'rank',
  dns_scores: 'rank',
  proxy_scores: 'rank',
  evidence: 'score DESC, detector, entity, peer, window_start',
  threats: 'rank',
  flow_edge: 'score_rank, tstart, srcip, sport',
  flow_chords: 'ip_threat, srcip, dstip',
  dns_edge: 'score_rank, frame_time, ip_src',
  dns_dendro: 'ip_dst, frame_time, dns_qry_name',
  proxy_edge: 'score_rank, ts',
  peer_summary: 'anchor, type, connections DESC, peer',
  impact: 'anchor, direction, context',
  timeline: 'anchor, tstart, srcip, dstip',
  ingest_summary: 'type, minute',
};

/** <lake>/oa/<table>/y=/m=/d=/<table>.parquet: one file per table and day, replaced whole by a rerun. */
export function oaTablePath(lakePath: string, name: OaTableName, day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return join(lakePath, LAKE_DIRS.oa, name, `y=${y}`, `m=${m}`, `d=${d}`, `${name}.parquet`);
}

/** The table's columns, in schema order and cast to their schema types, from any relation that has them. */
export function conformSql(table: TableDef, relation: string, d: EngineSession['dialect']): string {
  const cols = table.columnNames.map((c) => `CAST(${d.ident(c)} AS ${d.type(table.columns[c]!.kind)}) AS ${d.ident(c)}`);
  return `SELECT ${cols.join(', ')} FROM ${relation}`;
}

/**
 * Materialise a query as an OA table of the day: Parquet in the lake, written beside and renamed into place so a
 * reader never sees half a file, and CSV (lists as JSON arrays) when the day has an output folder, unless
 * `csv: false` (the caller exports the analyst's filtered copy itself). The query may return its columns in any
 * order; they are conformed to the schema. Returns the row count.
 */
export async function writeOaTable(engine: EngineSession, name: OaTableName, sql: string, day: OaDay, options: { csv?: boolean } = {}): Promise<number> {
  const table = OA_TABLES[name] as TableDef;
  const d = engine.dialect;
  const temp = d.ident(`oa_out_${name}`);
  await engine.run(`CREATE OR REPLACE TEMP TABLE ${temp} AS ${conformSql(table, `(${sql}) AS q`, d)} ORDER BY ${ORDER[name]}`);
  const path = oaTablePath(day.lakePath, name, day.day);
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  try {
    await engine.export(`SELECT * FROM ${temp}`, { format: 'parquet', path: partial, metadata: { spothreat_schema: table.hash } });
    await rename(partial, path);
  } finally {
    await rm(partial, { force: true });
  }
  if (day.outDir && options.csv !== false) await exportOaCsv(engine, name, temp, day.outDir);
  const [row] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${temp}`);
  return Number(row?.n ?? 0);
}

/**
 * An OA table's columns from any relation holding them (extra columns are dropped), as <dir>/<file>.csv in the
 * table's order; lists become JSON arrays.
 */
export async function exportOaCsv(engine: EngineSession, name: OaTableName, relation: string, dir: string, file: string = name, where = ''): Promise<void> {
  const table = OA_TABLES[name] as TableDef;
  const d = engine.dialect;
  const cols = table.columnNames.map((c) => (table.columns[c]!.kind === 'textList' ? `CAST(to_json(${d.ident(c)}) AS VARCHAR) AS ${d.ident(c)}` : d.ident(c)));
  await mkdir(dir, { recursive: true });
  await engine.export(`SELECT ${cols.join(', ')} FROM ${relation} AS r ${where ? `WHERE ${where}` : ''} ORDER BY ${ORDER[name]}`, { format: 'csv', path: join(dir, `${file}.csv`) });
}

/** A day's OA table as a view (empty with the right columns when it was not written). */
export function oaTableView(engine: EngineSession, name: OaTableName, day: OaDay, viewName: string = `oa_view_${name}`): Promise<string> {
  return engine.parquetView(viewName, [oaTablePath(day.lakePath, name, day.day)], OA_TABLES[name] as TableDef);
}

/** No rows, with an OA table's columns and types. */
export function emptyOaSql(name: OaTableName, d: EngineSession['dialect']): string {
  const table = OA_TABLES[name] as TableDef;
  return `SELECT ${table.columnNames.map((c) => `CAST(NULL AS ${d.type(table.columns[c]!.kind)}) AS ${d.ident(c)}`).join(', ')} WHERE false`;
}
