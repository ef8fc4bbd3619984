import type { GenerateConfig } from './config.js';
import { FlowExporter } from './exporter.js';
import type { FlowRecord } from './flow-record.js';
import type { Network } from './network.js';
import { buildScenario } from './scenario.js';
import { generationDays, streamSessions, type SessionBatch } from './timeline.js';

/**
 * The NetFlow records of the given dates, in the order the router exports them. Streams: only
 * the current window's sessions and the flows still in the router's cache are in memory.
 */
export function* generateRecords(config: GenerateConfig, days: readonly string[] = generationDays(config)): Generator<FlowRecord> {
  const scenario = buildScenario(config.seed, config.workstations);
  yield* exportRecords(config, scenario.network, streamSessions(scenario, days, config.scale));
}

/** The records the router exports for a stream of session batches (which other writers may watch go by). */
export function* exportRecords(config: GenerateConfig, network: Network, batches: Iterable<SessionBatch>): Generator<FlowRecord> {
  const exporter = new FlowExporter(network.routing, {
    activeMs: config.exporter.activeTimeoutSeconds * 1000,
    inactiveMs: config.exporter.inactiveTimeoutSeconds * 1000,
  });
  for (const batch of batches) {
    for (const session of batch.sessions) exporter.add(session);
    // Sessions of later windows start after this window ends, so nothing exported before its end can still change.
    yield* exporter.drain(batch.window.end);
  }
  yield* exporter.drainAll();
}
