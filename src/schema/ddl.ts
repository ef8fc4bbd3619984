import type { Dialect } from '../engine/dialect/index.js';
import { PARTITION_COLUMNS, type TableDef } from './define.js';

export interface DdlOptions {
  /** Table name; defaults to the schema's name. */
  name?: string;
  /** For Spark: the lake folder of this type, making an external Parquet table partitioned by y/m/d/h. */
  location?: string;
}

/** CREATE TABLE for a canonical table in the given dialect. */
export function createTableSql(table: TableDef, dialect: Dialect, options: DdlOptions = {}): string {
  const name = dialect.ident(options.name ?? table.name);
  const cols = table.columnNames.map((n) => `  ${dialect.ident(n)} ${dialect.type(table.columns[n]!.kind)}`);
  if (dialect.name === 'spark' && options.location !== undefined) {
    const parts = PARTITION_COLUMNS.map((p) => `  ${dialect.ident(p)} INT`);
    return (
      `CREATE TABLE IF NOT EXISTS ${name} (\n${[...cols, ...parts].join(',\n')}\n)\nUSING PARQUET\n` +
      `PARTITIONED BY (${PARTITION_COLUMNS.map((p) => dialect.ident(p)).join(', ')})\nLOCATION ${dialect.string(options.location)}`
    );
  }
  return `CREATE TABLE ${name} (\n${cols.join(',\n')}\n)`;
}
