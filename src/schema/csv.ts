import type { TableDef } from './define.js';

/** CSV header of a table: its columns in canonical order, Spot's first. */
export function csvHeader(table: TableDef): string {
  return table.columnNames.join(',');
}
