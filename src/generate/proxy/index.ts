/**
 * Proxy logs of the synthetic enterprise: what a head-office Blue Coat ProxySG (ELFF) and a
 * branch-office Squid (native access.log) log of the same sessions as the flows and the DNS.
 * @module
 */
export { ProxyLog, ProxyLogWriter, generateProxyRequests, generateProxyRows, writeProxyLogs, type LoggedRequest, type ProxyLogSummary } from './proxy-log.js';
export { proxyRequestRow, type ProxyRequestRow } from './rows.js';
export type { ProxyOutcome, ProxyRequest } from './request.js';
export { BRANCH_OFFICE, HEAD_OFFICE, SENSORS, ProxyTopology, type ProxyFormat, type ProxySensor } from './sensors.js';
export { BLUECOAT_FIELDS, bluecoatHeader, bluecoatLine } from './bluecoat-format.js';
export { squidLine } from './squid-format.js';
