/**
 * Canonical schemas: each table is defined once here; DDL, CSV headers, Parquet types,
 * API types and docs/schema.md are derived from these definitions.
 * @module
 */
import type { TableDef } from './define.js';
import { dns } from './dns.js';
import { flow } from './flow.js';
import { proxy } from './proxy.js';

export { COLUMN_KINDS, type ColumnKind, type TimePart } from './columns.js';
export { col, defineTable, PARTITION_COLUMNS, type ColumnMap, type ColumnSpec, type DerivedSpec, type RowOf, type TableDef, type PartitionColumn } from './define.js';
export { flow, type FlowRow } from './flow.js';
export { dns, type DnsRow } from './dns.js';
export { proxy, type ProxyRow } from './proxy.js';
export { evidence, type EvidenceRow } from './evidence.js';
export { quarantine, REJECT_REASONS, EXCERPT_MAX, type RejectReason, type QuarantineRow } from './quarantine.js';
export { csvHeader } from './csv.js';
export { createTableSql } from './ddl.js';

/** Telemetry tables of the lake, by type name. */
export const TABLES = { flow, dns, proxy } as const;

export type TelemetryType = keyof typeof TABLES;

export function isTelemetryType(name: string): name is TelemetryType {
  return Object.hasOwn(TABLES, name);
}

export function tableFor(type: TelemetryType): TableDef {
  return TABLES[type];
}
export { OA_TABLES, type OaTableName } from './oa.js';
