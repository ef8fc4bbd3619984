import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { columnDecls, type ColumnDecl, type Engine, type SqlValue } from '../../engine/index.js';
import { partitionDir, partitionOf } from '../../lake/index.js';
import { nameParts } from '../../ml/domains.js';
import { TABLES, type TableDef, type TelemetryType } from '../../schema/index.js';
import { CONTEXT_TABLES as T } from '../context-tables.js';
import type { Detector, DetectorContext } from './detector.js';

export { withEngine } from '../../../test/helpers/engine.js';

/*
 * Test fixtures for the detectors: hand-built telemetry registered with the canonical columns (from src/schema, never
 * retyped), the runner's hosts and names tables, and a run that returns the evidence with parsed measures.
 */

export const DAY = Date.UTC(2026, 10, 24);
/** A time on the test day: hours, minutes, seconds. */
export const at = (h: number, m = 0, s = 0) => new Date(DAY + ((h * 60 + m) * 60 + s) * 1000);

/** Rows of a telemetry type as a table named after it; columns left out are NULL. Returns its name. */
export async function telemetry(e: Engine, type: TelemetryType, rows: readonly Readonly<Record<string, SqlValue>>[], name = `t_${type}`): Promise<string> {
  const table: TableDef = TABLES[type];
  const columns = columnDecls(table);
  const known = new Set(columns.map((c) => c.name));
  for (const row of rows) for (const k of Object.keys(row)) if (!known.has(k)) throw new Error(`${type} has no column ${k}`);
  await e.registerTable(name, columns, rows.map((row) => columns.map((c) => row[c.name] ?? null)));
  return name;
}

/** The runner's hosts table: every address given, internal when it starts with "10." (the tests' network). */
export async function hosts(e: Engine, ips: readonly string[]): Promise<string> {
  const decl: ColumnDecl[] = [{ name: 'ip', type: 'text' }, { name: 'internal', type: 'bool' }, { name: 'context', type: 'text' }];
  await e.registerTable(T.hosts, decl, [...new Set(ips)].map((ip) => [ip, ip.startsWith('10.'), null]));
  return T.hosts;
}

/** The runner's names table, from the Public Suffix List as the enrichment builds it. */
export async function names(e: Engine, list: readonly string[]): Promise<void> {
  const decl: ColumnDecl[] = [
    { name: 'name', type: 'text' }, { name: 'registered', type: 'text' }, { name: 'subdomain', type: 'text' }, { name: 'rep', type: 'text' }, { name: 'rep_level', type: 'int' },
  ];
  await e.registerTable(T.names, decl, [...new Set(list)].map((n) => { const p = nameParts(n); return [n, p.domain, p.subdomain, null, null]; }));
}

export interface Finding {
  detector: string;
  type: string;
  entity: string;
  peer: string | null;
  peer_kind: string;
  window_start: Date;
  window_end: Date;
  events: number;
  score: number;
  measures: Record<string, unknown>;
  explanation: string;
}

/** Runs a detector over the given views for the test day and returns its evidence, strongest first. */
export async function detect<O>(e: Engine, detector: Detector<O>, options: O, views: DetectorContext['views'], hostsTable = T.hosts): Promise<Finding[]> {
  await detector.run({ engine: e, range: { from: DAY, to: DAY + 86_400_000 }, views, hosts: hostsTable, names: T.names }, options, 'evidence_out');
  const rows = await e.query(`SELECT * FROM evidence_out ORDER BY score DESC, entity, peer`);
  return rows.map((r) => ({ ...r, measures: JSON.parse(String(r.measures)) as Record<string, unknown> }) as Finding);
}

/** The formulas' rounding. */
export const round3 = (x: number) => Math.round(x * 1000) / 1000;
export const clamp01 = (x: number) => Math.max(0, Math.min(1, x));
export const ramp = (x: number, lo: number, hi: number) => clamp01((x - lo) / (hi - lo));

/** Shannon entropy of a string's characters, in bits (what dialect.stringEntropy computes). */
export function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / text.length) * Math.log2(n / text.length);
  return h;
}

export const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Rows of earlier days written into the lake as Parquet, one file per hour partition, for detectors' history. */
export async function lakeHistory(e: Engine, type: TelemetryType, rows: readonly Readonly<Record<string, SqlValue>>[]): Promise<void> {
  const time = TABLES[type].partitionBy;
  const byHour = new Map<string, Readonly<Record<string, SqlValue>>[]>();
  for (const row of rows) {
    const dir = partitionDir(e.lakePath, type, partitionOf((row[time] as Date).getTime()));
    byHour.set(dir, [...(byHour.get(dir) ?? []), row]);
  }
  for (const [dir, part] of byHour) {
    const table = await telemetry(e, type, part, `t_history_${type}`);
    mkdirSync(dir, { recursive: true });
    await e.export(`SELECT * FROM ${table}`, { format: 'parquet', path: join(dir, 'history.parquet') });
  }
}
