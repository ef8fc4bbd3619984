/**
 * The synthetic enterprise network (spothreat generate): a realistic day of an enterprise of
 * `workstations` hosts, with labelled attacks and benign-rare jobs, exported as real NetFlow v9
 * to Debian's nfcapd, plus labels.csv as ground truth. Deterministic for a seed and config.
 *
 * Layers, each usable alone:
 * - `generateSessions(config, days)`: bidirectional sessions window by window in time order,
 *   the single source of truth about who talked to whom and when;
 * - `generateRecords(config, days)`: the unidirectional NetFlow records a router exports for
 *   them, in export order (streamed: tens of millions of records fit in bounded memory);
 * - `generate(config, { outDir })`: records → NetFlow v9 packets → nfcapd on loopback, and labels.csv.
 *
 * How DNS and proxy output plug in: a writer consumes `generateSessions` (the same sessions, the
 * same times, since generation is deterministic) and renders the sessions that carry a payload:
 * `session.app.dns` (question, answers, rcode) becomes a DNS pcap, `session.app.http` (host,
 * method, path, status, user agent, with the session's bytes) a proxy log line. `generate()`
 * will then run those writers beside nfcapd on one pass over the sessions.
 * @module
 */
export { generateConfig, type GenerateConfig } from './config.js';
export { generate, generateDay, SOURCE_ID, type GenerateOptions, type GenerateResult } from './run.js';
export { generateRecords } from './records.js';
export { generateSessions, generationDays, labelsFor, WINDOW_MS, type SessionBatch } from './timeline.js';
export type { FlowRecord } from './flow-record.js';
export type { Session, AppPayload, DnsExchange, HttpExchange, TimeWindow } from './session.js';
export {
  LABEL_NAMES,
  labelMatcher,
  labelsCsv,
  parseLabelsCsv,
  readLabels,
  type Label,
  type LabelCategory,
  type LabelName,
  type LabelledFlow,
} from './labels.js';
export { netflowV9Packets, NetflowV9Encoder, type NetflowV9Options } from './netflow-v9.js';
export { COLLECTOR_IDENT } from './collector.js';
