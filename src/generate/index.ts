/**
 * The synthetic enterprise network (spothreat generate): a realistic day of an enterprise of
 * `workstations` hosts, with labelled attacks and benign-rare jobs, exported as real NetFlow v9
 * to Debian's nfcapd, its DNS packets as hourly pcap files, its web requests as hourly proxy logs
 * (Blue Coat ELFF and Squid), plus labels.csv as ground truth.
 * Deterministic for a seed and config.
 *
 * Layers, each usable alone:
 * - `generateSessions(config, days)`: bidirectional sessions window by window in time order,
 *   the single source of truth about who talked to whom and when;
 * - `generateRecords(config, days)`: the unidirectional NetFlow records a router exports for
 *   them, in export order (streamed: tens of millions of records fit in bounded memory);
 * - `generateDnsMessages(config, days)`: for every DNS message of the capture, the row the
 *   lake's dns table should hold, in capture order (the reference for decoders);
 * - `generateProxyRows(config, days)`: for every line of the proxy logs, the row the lake's proxy
 *   table should hold, with the proxy that logged it;
 * - `generate(config, { outDir })`: records → NetFlow v9 packets → nfcapd on loopback, the DNS
 *   capture (dns/) and the proxy logs (proxy/) on the same pass over the sessions, and labels.csv.
 *
 * How telemetry writers plug in: a writer consumes the session batches and renders the
 * sessions that carry a payload. `session.app.dns` (question, answer records, rcode, EDNS,
 * truncation) becomes DNS packets (dns/capture.ts): DNS sessions are built from the very packets
 * the capture holds, so flows and packets agree to the byte. `session.app.http` (host, method,
 * path, status, user agent, with the session's bytes) becomes the requests a proxy logs for the
 * connection (proxy/connection.ts), which split the session's payload bytes exactly.
 * @module
 */
export { generateConfig, type GenerateConfig } from './config.js';
export { COLLECTOR_IDENT, generate, generateDay, SOURCE_ID, type GenerateOptions, type GenerateResult } from './run.js';
export { generateRecords } from './records.js';
export { generateDnsMessages, DnsCaptureWriter, type DnsCaptureSummary } from './dns/capture.js';
export type { DnsMessageRow } from './dns/rows.js';
export {
  generateProxyRequests,
  generateProxyRows,
  proxyRequestRow,
  writeProxyLogs,
  ProxyLogWriter,
  type LoggedRequest,
  type ProxyLogSummary,
  type ProxyRequest,
  type ProxyRequestRow,
} from './proxy/index.js';
export { generateSessions, generationDays, labelsFor, WINDOW_MS, type SessionBatch } from './timeline.js';
export type { FlowRecord } from './flow-record.js';
export type { Session, AppPayload, DnsExchange, DnsRecord, DnsRcode, DnsType, HttpExchange, TimeWindow } from './session.js';
export {
  LABEL_NAMES,
  labelMatcher,
  proxyLabelMatcher,
  labelsCsv,
  parseLabelsCsv,
  readLabels,
  type Label,
  type LabelCategory,
  type LabelName,
  type LabelledFlow,
  type LabelledRequest,
} from './labels.js';
export { netflowV9Packets, NetflowV9Encoder, type NetflowV9Options } from './netflow-v9.js';
