/**
 * The context tables the OA runner registers for a day, joined by the set-based stages. Built once per run from the
 * distinct values the stages need (src/oa/enrich, whose *_COLUMNS define them): never one lookup per event.
 */
export const CONTEXT_TABLES = {
  /** Every address of the window: (ip, internal, context). The detectors' `hosts`. */
  hosts: 'oa_hosts',
  /** Addresses named by results, evidence and storyboards: (ip, internal, context, country, city, lat, lon, asn, as_org, rep, rep_level, rep_source). */
  addresses: 'oa_addr',
  /** Query names, proxy hosts and evidence domains: (name, registered, subdomain, tld, rep, rep_level, rep_source). */
  names: 'oa_names',
  /** Proxy URIs of the window: (uri, rep, rep_level, rep_source). */
  uris: 'oa_uris',
  /** IANA registries: (code, name). */
  dnsClass: 'oa_iana_dns_class',
  dnsType: 'oa_iana_dns_type',
  dnsRcode: 'oa_iana_dns_rcode',
  httpStatus: 'oa_iana_http_status',
} as const;
