import type { Dialect } from '../engine/dialect/index.js';
import type { ColumnSpec, DerivedSpec, TableDef } from './define.js';

/** SQL computing a derived column from the source columns it depends on. */
export function derivedSql(spec: DerivedSpec, dialect: Dialect): string {
  switch (spec.kind) {
    case 'part':
      return dialect.timePart(spec.part, dialect.ident(spec.from));
    case 'duration':
      return `(${dialect.epochMicros(dialect.ident(spec.to))} - ${dialect.epochMicros(dialect.ident(spec.from))}) / 1000000.0`;
    case 'concat':
      // concat_ws skips NULLs in both engines (Spark's concat would return NULL); a part too short to carry meaning ("/", "?") is left out as Spot did.
      return `concat_ws('', ${spec.parts
        .map((p) => (p.minLength ? `CASE WHEN length(${dialect.ident(p.from)}) > ${p.minLength} THEN ${dialect.ident(p.from)} END` : dialect.ident(p.from)))
        .join(', ')})`;
  }
}

/** Select list producing every column of a table in canonical order from its source columns. */
export function canonicalSelect(table: TableDef, dialect: Dialect): string[] {
  return table.columnNames.map((n) => {
    const c: ColumnSpec = table.columns[n]!;
    if (!c.derived) return dialect.ident(n);
    return `CAST(${derivedSql(c.derived, dialect)} AS ${dialect.type(c.kind)}) AS ${dialect.ident(n)}`;
  });
}
