import type { Dialect, EngineSession } from '../../engine/index.js';
import type { TelemetryType } from '../../schema/index.js';
import type { MlConfig } from '../config.js';

/** One document of an event and the word the event adds to it. Flows have two: source and destination. */
export interface Side {
  /** SQL of the document (an IP address) over the event relation. */
  readonly doc: string;
  /** SQL of the word. */
  readonly word: string;
}

/** What `prepare` looks at: the day's events, and what training reads (the events and the rated feedback rows). */
export interface WordSources {
  /** The events of the range being modelled and scored. */
  readonly events: string;
  /** The relation training reads: `events` plus the feedback rows rated low risk (their word inputs only). */
  readonly training: string;
}

/**
 * How a telemetry type becomes Spot's words. `prepare` registers what the words look up (name
 * features, popular domains, user-agent counts); `relation` is any relation of events (or of
 * feedback rows) with those lookups joined, which `sides` and `valid` are written over. A lookup
 * that counts events counts the day's events only, so that a word is the same in training and
 * in scoring.
 */
export interface WordSpec {
  readonly type: TelemetryType;
  /** Columns the words are made of: what a feedback file must carry. */
  readonly inputs: readonly string[];
  /** Rows Spot would score: the rest are not events of the model (e.g. DNS queries, only responses are). */
  valid(d: Dialect): string;
  prepare(engine: EngineSession, sources: WordSources, config: MlConfig): Promise<void>;
  relation(events: string): string;
  sides(d: Dialect): readonly Side[];
}

/** ⌊log₂ x⌋ as Spot's logBaseXInt: 0 for x ≤ 0 or unknown. */
export function floorLog2(x: string): string {
  return `CASE WHEN coalesce(${x}, 0) > 0 THEN CAST(floor(log2(${x})) AS BIGINT) ELSE 0 END`;
}

/** ⌈log₂ x⌉ as Spot's ceilLog2 (x ≥ 1 here). */
export function ceilLog2(x: string): string {
  return `CAST(ceil(log2(${x})) AS BIGINT)`;
}

/** Spot's EntropyCuts 0, 0.3, …, 5.4, ∞: the index of the first cut ≥ the entropy. */
export function entropyBin(entropy: string): string {
  const cuts = Array.from({ length: 19 }, (_, i) => `WHEN e <= ${(i * 0.3).toFixed(1)} THEN ${i}`);
  return `(SELECT CASE ${cuts.join(' ')} ELSE 19 END FROM (SELECT ${entropy} AS e))`;
}
