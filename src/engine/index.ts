/**
 * The engine: every set-based stage runs SQL through this interface. Only composition points
 * (CLI commands, the API server) open one.
 * @module
 */
import type { Config } from '../config/index.js';
import { DuckDbEngine } from './duckdb/engine.js';
import type { Engine } from './engine.js';

export type { Engine, EngineSession, Row, SqlParams, SqlValue, TimeRange, ExportTarget, ColumnDecl, ReadTextOptions, BulkTable, NumericChunk } from './engine.js';
export { dialectFor, assertIdentifier, type Dialect } from './dialect/index.js';
export { columnDecls } from './engine.js';

export async function openEngine(config: Pick<Config, 'engine' | 'lake'>): Promise<Engine> {
  switch (config.engine.kind) {
    case 'duckdb':
      return DuckDbEngine.open(config.lake.path, config.engine.duckdb);
  }
}

/** The engine ingest loads with: always the embedded one, since it writes local Parquet files. */
export async function openLoaderEngine(config: Pick<Config, 'engine' | 'lake'>): Promise<Engine> {
  return DuckDbEngine.open(config.lake.path, config.engine.duckdb);
}
