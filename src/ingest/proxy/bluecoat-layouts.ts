/**
 * Blue Coat ProxySG layouts for logs without a "#Fields:" header, told apart by their field count.
 * @module
 */
import { elffLayout, type ElffLayout } from './elff-layout.js';

/**
 * Apache Spot's order (spot-ingest/pipelines/proxy/bluecoat.py, reference/apache-spot.md §2.3):
 * the layout Spot assumed for every Blue Coat line.
 */
export const SPOT_FIELDS = [
  'date', 'time', 'time-taken', 'c-ip', 'cs-username', 'cs-auth-group', 'x-exception-id', 'sc-filter-result', 'cs-categories',
  'cs(Referer)', 'sc-status', 's-action', 'cs-method', 'rs(Content-Type)', 'cs-uri-scheme', 'cs-host', 'cs-uri-port', 'cs-uri-path',
  'cs-uri-query', 'cs-uri-extension', 'cs(User-Agent)', 's-ip', 'sc-bytes', 'cs-bytes', 'x-virus-id', 'x-bluecoat-application-name',
  'x-bluecoat-application-operation',
] as const;

/**
 * ProxySG's predefined "bcreportermain_v1" format, the main access log for Blue Coat Reporter,
 * 36 fields as Broadcom lists them (knowledge article TECH244752, "Reporter … fields in HTTP main
 * logs").
 */
const BCREPORTERMAIN_V1_FIELDS = [
  'date', 'time', 'time-taken', 'c-ip', 'cs-username', 'cs-auth-group', 's-supplier-name', 's-supplier-ip', 's-supplier-country',
  's-supplier-failures', 'x-exception-id', 'sc-filter-result', 'cs-categories', 'cs(Referer)', 'sc-status', 's-action', 'cs-method',
  'rs(Content-Type)', 'cs-uri-scheme', 'cs-host', 'cs-uri-port', 'cs-uri-path', 'cs-uri-query', 'cs-uri-extension', 'cs(User-Agent)',
  's-ip', 'sc-bytes', 'cs-bytes', 'x-virus-id', 'x-bluecoat-application-name', 'x-bluecoat-application-operation',
  'x-bluecoat-application-groups', 'cs-threat-risk', 'x-bluecoat-transaction-uuid', 'x-icap-reqmod-header(X-ICAP-Metadata)',
  'x-icap-respmod-header(X-ICAP-Metadata)',
] as const;

/**
 * bcreportermain_v1 as newer SGOS releases write it, 42 fields: threat source and id of the
 * client and server sides after x-virus-id, the access security policy action and reason after
 * cs-threat-risk. The order is that of Elastic's proxysg integration (ingest_pipeline/
 * bcreportermain_v1.yml, elastic/integrations), which parses such lines; the six added names
 * follow its field names, as none of them feeds a proxy column.
 */
const BCREPORTERMAIN_V1_SGOS7_FIELDS = [
  ...BCREPORTERMAIN_V1_FIELDS.slice(0, 29),
  'x-cs-threat-source', 'x-cs-threat-id', 'x-rs-threat-source', 'x-rs-threat-id',
  ...BCREPORTERMAIN_V1_FIELDS.slice(29, 33),
  'x-bluecoat-access-security-policy-action', 'x-bluecoat-access-security-policy-reason',
  ...BCREPORTERMAIN_V1_FIELDS.slice(33),
] as const;

const BY_COUNT: ReadonlyMap<number, ElffLayout> = new Map([
  [SPOT_FIELDS.length, elffLayout(SPOT_FIELDS, "Spot's default Blue Coat order")],
  [BCREPORTERMAIN_V1_FIELDS.length, elffLayout(BCREPORTERMAIN_V1_FIELDS, 'the bcreportermain_v1 layout')],
  [BCREPORTERMAIN_V1_SGOS7_FIELDS.length, elffLayout(BCREPORTERMAIN_V1_SGOS7_FIELDS, 'the bcreportermain_v1 layout (SGOS 7)')],
]);

/** The headerless layout of a line with this many fields, or why there is none. */
export function headerlessLayout(count: number): ElffLayout | string {
  return (
    BY_COUNT.get(count) ??
    `${count} fields and no #Fields header before the line: Blue Coat lines without one have ${SPOT_FIELDS.length} fields (Spot's default order) or ${BCREPORTERMAIN_V1_FIELDS.length} or ${BCREPORTERMAIN_V1_SGOS7_FIELDS.length} (bcreportermain_v1)`
  );
}
