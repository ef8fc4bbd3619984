/**
 * Enrichment for operational analytics: network context and internal networks, geolocation and AS from MMDB files,
 * reputation through plug-in providers (local threat-intel lists, AbuseIPDB), IANA names and registered domains.
 * The runner opens one Enricher per run and builds context tables with the set-based entry points.
 * @module
 */
export { enrichConfig, TI_LIST_FORMATS, type EnrichConfig, type TiListConfig, type AbuseIpDbConfig } from './config.js';
export { Enricher, type EnricherOptions } from './enricher.js';
export {
  buildHostsTable,
  enrichAddresses,
  enrichDomains,
  enrichUrls,
  registerIanaTables,
  HOSTS_COLUMNS,
  ADDRESS_COLUMNS,
  NAME_COLUMNS,
  URI_COLUMNS,
  type IanaTableNames,
} from './tables.js';
export { AddressMap } from './address-map.js';
export { addressKey, parseNetworkSpec, type AddressKey } from './address.js';
export { domainParts, type DomainParts } from './domains.js';
export { DNS_CLASSES, DNS_RCODES, DNS_TYPES, HTTP_STATUS, nameOf, serviceName, serviceTable } from './iana.js';
export type { GeoRecord } from './geo-record.js';
export type { IndicatorKind, Level, ReputationProvider, Verdict } from './reputation/provider.js';
export { Reputation, summarise, type RepSummary } from './reputation/reputation.js';
export { ThreatIntelList } from './reputation/ti-list.js';
export { AbuseIpDb } from './reputation/abuseipdb.js';
