import type { EngineSession } from '../engine/index.js';

/**
 * What the OA runner needs from enrichment: context tables for the distinct values a query yields, registered in
 * the engine (src/oa/context-tables.ts lists their columns). Lookups run once per distinct value, never per event.
 */
export interface Enricher {
  /** What is missing or off (a database, a list), each a sentence for the run's notes. */
  readonly notes: readonly string[];
  /** (ip, internal, context, country, city, lat, lon, asn, as_org, rep, rep_level) for the addresses `sql` yields (column ip). */
  addresses(engine: EngineSession, sql: string, table: string): Promise<number>;
  /** (name, registered, subdomain, rep, rep_level) for the names `sql` yields (column name). */
  names(engine: EngineSession, sql: string, table: string): Promise<number>;
  /** (uri, rep, rep_level) for the URIs `sql` yields (column uri) that a source has a verdict on. */
  uris(engine: EngineSession, sql: string, table: string): Promise<number>;
  /** The IANA registries as (code, name) tables. */
  iana(engine: EngineSession, tables: { dnsClass: string; dnsType: string; dnsRcode: string; httpStatus: string }): Promise<void>;
}
