import type { EngineSession, TimeRange } from '../../engine/index.js';
import type { TelemetryType } from '../../schema/index.js';

/**
 * What a detector is given. The OA runner opens the lake views for the day and builds the hosts table once; every
 * detector reads them and nothing else, so that detectors run the same on DuckDB and on Spark.
 */
export interface DetectorContext {
  readonly engine: EngineSession;
  /** The analysed window, [from, to) in epoch ms (a day, or the hours asked for). */
  readonly range: Required<TimeRange>;
  /** Quoted relation names of the telemetry in the window, for the types the detector declared (and that exist). */
  readonly views: Readonly<Partial<Record<TelemetryType, string>>>;
  /**
   * Quoted name of a table `(ip TEXT, internal BOOLEAN, context TEXT)` with one row per distinct address seen in the
   * window: `internal` from the configured internal networks, `context` the network-context label or NULL.
   */
  readonly hosts: string;
  /** Quoted name of a table `(name, registered, subdomain, tld, rep, rep_level, rep_source)`: every DNS query name and proxy host of the window. */
  readonly names: string;
}

/**
 * A documented attack heuristic. `run` creates a temporary table named `table` whose columns are exactly the
 * `evidence` schema's (src/schema/evidence.ts), in order, one row per finding.
 */
export interface Detector<Options = unknown> {
  /** Stable name, written into evidence.detector; kebab-case. */
  readonly name: string;
  /** One line for docs and `spothreat oa --help`. */
  readonly description: string;
  /** Telemetry it reads; it is skipped (with a note) when none of them has data in the window. */
  readonly types: readonly TelemetryType[];
  run(ctx: DetectorContext, options: Options, table: string): Promise<void>;
}
