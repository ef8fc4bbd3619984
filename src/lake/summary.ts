import type { EngineSession } from '../engine/index.js';
import { TABLES, type TelemetryType } from '../schema/index.js';
import { readdir } from 'node:fs/promises';
import { listPartitions, partitionDir, partitionPath } from './layout.js';
import { Manifest, type SourceStatus } from './manifest.js';

export interface HourCount {
  readonly type: TelemetryType;
  /** Start of the hour, UTC, "YYYY-MM-DD HH:00". */
  readonly hour: string;
  readonly rows: number;
  readonly files: number;
}

export interface QuarantineCount {
  readonly type: TelemetryType;
  readonly reason: string;
  readonly records: number;
  readonly sources: number;
}

export interface SourceCount {
  readonly type: TelemetryType;
  readonly status: SourceStatus;
  readonly sources: number;
  readonly rows: number;
}

export interface LakeSummary {
  readonly hours: HourCount[];
  readonly quarantine: QuarantineCount[];
  readonly sources: SourceCount[];
}

/** Rows per type per hour, quarantined records by reason, and sources by status. */
export async function summariseLake(engine: EngineSession & { lakePath: string }, types: readonly TelemetryType[] = Object.keys(TABLES) as TelemetryType[]): Promise<LakeSummary> {
  const hours: HourCount[] = [];
  const quarantine: QuarantineCount[] = [];
  const sources: SourceCount[] = [];
  for (const type of types) {
    const view = await engine.lakeView(type, {}, `summary_${type}`);
    const files = new Map<string, number>();
    for (const p of await listPartitions(engine.lakePath, type)) {
      const names = await readdir(partitionDir(engine.lakePath, type, p)).catch(() => [] as string[]);
      files.set(partitionPath(p), names.filter((n) => n.endsWith('.parquet')).length);
    }
    const rows = await engine.query<{ y: number; m: number; d: number; h: number; rows: number }>(
      `SELECT y, m, d, h, count(*) AS rows FROM ${view} GROUP BY ALL ORDER BY ALL`,
    );
    for (const r of rows) {
      const hour = `${r.y}-${pad(r.m)}-${pad(r.d)} ${pad(r.h)}:00`;
      hours.push({ type, hour, rows: Number(r.rows), files: files.get(partitionPath(r)) ?? 0 });
    }
    const qview = await engine.quarantineView(type, `summary_${type}_q`);
    for (const r of await engine.query<{ reason: string; records: number; sources: number }>(
      `SELECT reason, count(*) AS records, count(DISTINCT source) AS sources FROM ${qview} GROUP BY reason ORDER BY records DESC, reason`,
    )) {
      quarantine.push({ type, reason: r.reason, records: Number(r.records), sources: Number(r.sources) });
    }
    const byStatus = new Map<SourceStatus, { sources: number; rows: number }>();
    for (const e of (await Manifest.open(engine.lakePath, type)).entries()) {
      const s = byStatus.get(e.status) ?? { sources: 0, rows: 0 };
      s.sources++;
      s.rows += e.rows;
      byStatus.set(e.status, s);
    }
    for (const [status, s] of byStatus) sources.push({ type, status, ...s });
  }
  return { hours, quarantine, sources };
}

const pad = (n: number) => String(n).padStart(2, '0');
