import type { Dialect } from '../engine/dialect/index.js';
import type { ColumnSpec, DerivedSpec, TableDef } from './define.js';

/** SQL computing a derived column from the source columns it depends on. */
export function derivedSql(spec: DerivedSpec, dialect: Dialect): string {
  const from = dialect.ident(spec.from);
  if (spec.kind === 'part') return dialect.timePart(spec.part, from);
  return `(${dialect.epochMicros(dialect.ident(spec.to))} - ${dialect.epochMicros(from)}) / 1000000.0`;
}

/** Select list producing every column of a table in canonical order from its source columns. */
export function canonicalSelect(table: TableDef, dialect: Dialect): string[] {
  return table.columnNames.map((n) => {
    const c: ColumnSpec = table.columns[n]!;
    if (!c.derived) return dialect.ident(n);
    return `CAST(${derivedSql(c.derived, dialect)} AS ${dialect.type(c.kind)}) AS ${dialect.ident(n)}`;
  });
}
