/**
 * SQL dialects: the one import surface. Callers take the dialect from their Engine.
 * @module
 */
import { DuckDbDialect } from './duckdb.js';
import { SparkDialect } from './spark.js';
import type { Dialect } from './dialect.js';

export type { Dialect } from './dialect.js';
export { assertIdentifier } from './dialect.js';

const DIALECTS = { duckdb: new DuckDbDialect(), spark: new SparkDialect() } satisfies Record<Dialect['name'], Dialect>;

export function dialectFor(name: Dialect['name']): Dialect {
  return DIALECTS[name];
}
