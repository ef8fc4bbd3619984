import type { ColumnKind } from '../../schema/index.js';
import type { EngineSession } from '../../engine/index.js';
import { assertIdentifier } from '../../engine/index.js';
import { ColumnBatch } from '../../lake/column-batch.js';
import type { Enricher } from './enricher.js';
import { domainParts } from './domains.js';
import { DNS_CLASSES, DNS_RCODES, DNS_TYPES, HTTP_STATUS, serviceTable } from './iana.js';

/*
 * The set-based entry points: each runs a query giving values (addresses, names, URIs), enriches the distinct ones in
 * JavaScript chunk by chunk, and loads the result into a temporary table through the engine's bulk path, so that the
 * stages join it in SQL. Memory holds one chunk, whatever the day's size.
 */

interface Column {
  readonly name: string;
  readonly kind: ColumnKind;
}

/** `hosts`: every address of the window. The detectors' DetectorContext.hosts. */
export const HOSTS_COLUMNS = [
  { name: 'ip', kind: 'text' },
  { name: 'internal', kind: 'bool' },
  { name: 'context', kind: 'text' },
] as const satisfies readonly Column[];

const REP_COLUMNS = [
  { name: 'rep', kind: 'text' },
  { name: 'rep_level', kind: 'int' },
  { name: 'rep_source', kind: 'text' },
] as const satisfies readonly Column[];

/** Addresses named by results: network context, geolocation, AS and reputation. */
export const ADDRESS_COLUMNS = [
  ...HOSTS_COLUMNS,
  { name: 'country', kind: 'text' },
  { name: 'city', kind: 'text' },
  { name: 'lat', kind: 'double' },
  { name: 'lon', kind: 'double' },
  { name: 'asn', kind: 'bigint' },
  { name: 'as_org', kind: 'text' },
  ...REP_COLUMNS,
] as const satisfies readonly Column[];

/** DNS names and proxy hosts: Public Suffix List split and reputation. */
export const NAME_COLUMNS = [
  { name: 'name', kind: 'text' },
  { name: 'registered', kind: 'text' },
  { name: 'subdomain', kind: 'text' },
  { name: 'tld', kind: 'text' },
  ...REP_COLUMNS,
] as const satisfies readonly Column[];

/** Proxy URIs: reputation of the URI itself (its host is judged as a name). */
export const URI_COLUMNS = [{ name: 'uri', kind: 'text' }, ...REP_COLUMNS] as const satisfies readonly Column[];

type RowOf<C extends readonly Column[]> = Record<C[number]['name'], unknown>;

const CHUNK = 50_000;

/**
 * `(ip, internal, context)` for the distinct values of the first column of `distinctIpSql`, as temporary table
 * `tableName`. Only the network context is consulted: fast enough for millions of addresses.
 */
export async function buildHostsTable(engine: EngineSession, distinctIpSql: string, tableName: string, enrich: Enricher): Promise<number> {
  return loadEnriched(engine, distinctIpSql, tableName, HOSTS_COLUMNS, async (ips) =>
    ips.map((ip) => ({ ip, ...enrich.classify(ip) })),
  );
}

/** ADDRESS_COLUMNS for the distinct addresses of `distinctIpSql`'s first column. Online reputation never sees internal ones. */
export async function enrichAddresses(engine: EngineSession, distinctIpSql: string, tableName: string, enrich: Enricher): Promise<number> {
  const [geo, reputation] = await Promise.all([enrich.geo(), enrich.reputation()]);
  return loadEnriched(engine, distinctIpSql, tableName, ADDRESS_COLUMNS, async (ips) => {
    const classes = ips.map((ip) => enrich.classify(ip));
    const internal = new Set(ips.filter((_, i) => classes[i]!.internal));
    const reps = await reputation.judge('ip', ips, (ip) => internal.has(ip));
    return ips.map((ip, i) => {
      const rep = reps.get(ip);
      return { ip, ...classes[i]!, ...geo.lookup(ip), rep: rep?.rep ?? null, rep_level: rep?.level ?? null, rep_source: rep?.source ?? null };
    });
  });
}

/** NAME_COLUMNS for the distinct names (DNS queries, proxy hosts, domains) of `distinctNameSql`'s first column. */
export async function enrichDomains(engine: EngineSession, distinctNameSql: string, tableName: string, enrich: Enricher): Promise<number> {
  const reputation = await enrich.reputation();
  return loadEnriched(engine, distinctNameSql, tableName, NAME_COLUMNS, async (names) => {
    const reps = await reputation.judge('domain', names);
    return names.map((name) => {
      const rep = reps.get(name);
      return { name, ...domainParts(name), rep: rep?.rep ?? null, rep_level: rep?.level ?? null, rep_source: rep?.source ?? null };
    });
  });
}

/** URI_COLUMNS for the distinct URIs of `distinctUriSql`'s first column. */
export async function enrichUrls(engine: EngineSession, distinctUriSql: string, tableName: string, enrich: Enricher): Promise<number> {
  const reputation = await enrich.reputation();
  // No source judges URLs: the table is the distinct URIs with empty verdicts, made in SQL (a day has millions).
  if (!reputation.judges('url')) return unjudged(engine, distinctUriSql, tableName, URI_COLUMNS);
  return loadEnriched(engine, distinctUriSql, tableName, URI_COLUMNS, async (uris) => {
    const reps = await reputation.judge('url', uris);
    return uris.map((uri) => {
      const rep = reps.get(uri);
      return { uri, rep: rep?.rep ?? null, rep_level: rep?.level ?? null, rep_source: rep?.source ?? null };
    });
  });
}

/** Names of the IANA registries' temporary tables, each `(code INTEGER, name TEXT)`; services `(port, proto, name)`. */
export interface IanaTableNames {
  readonly dnsClass: string;
  readonly dnsType: string;
  readonly dnsRcode: string;
  readonly httpStatus: string;
  readonly service?: string;
}

export async function registerIanaTables(engine: EngineSession, names: IanaTableNames): Promise<void> {
  const codes = [
    { name: 'code', type: 'int' },
    { name: 'name', type: 'text' },
  ] as const;
  const rows = (m: ReadonlyMap<number, string>) => [...m].map(([code, name]) => [code, name] as const);
  await engine.registerTable(names.dnsClass, codes, rows(DNS_CLASSES));
  await engine.registerTable(names.dnsType, codes, rows(DNS_TYPES));
  await engine.registerTable(names.dnsRcode, codes, rows(DNS_RCODES));
  await engine.registerTable(names.httpStatus, codes, rows(HTTP_STATUS));
  if (names.service) {
    const cols = [
      { name: 'port', type: 'int' },
      { name: 'proto', type: 'text' },
      { name: 'name', type: 'text' },
    ] as const;
    await engine.registerTable(names.service, cols, serviceTable());
  }
}

/** `columns` for the distinct non-null values of the query's first column, every other column NULL, in SQL alone. */
async function unjudged(engine: EngineSession, sourceSql: string, tableName: string, columns: readonly Column[]): Promise<number> {
  const d = engine.dialect;
  const [key, ...rest] = columns;
  const nulls = rest.map((c) => `, CAST(NULL AS ${d.type(c.kind)}) AS ${d.ident(c.name)}`).join('');
  await engine.run(
    `CREATE OR REPLACE TEMP TABLE ${d.ident(assertIdentifier(tableName))} AS SELECT v AS ${d.ident(key!.name)}${nulls} ` +
      `FROM (SELECT DISTINCT CAST(q.v AS VARCHAR) AS v FROM (${sourceSql}) AS q(v) WHERE q.v IS NOT NULL) AS s`,
  );
  const [row] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${d.ident(tableName)}`);
  return Number(row?.n ?? 0);
}

/**
 * The distinct non-null values of the query's first column, numbered once in a temporary table and read back a chunk
 * at a time (no result stays open while the bulk table is appended to), enriched by `rowsFor`, loaded into `tableName`.
 */
async function loadEnriched<C extends readonly Column[]>(
  engine: EngineSession,
  sourceSql: string,
  tableName: string,
  columns: C,
  rowsFor: (values: string[]) => Promise<RowOf<C>[]>,
): Promise<number> {
  const d = engine.dialect;
  const table = assertIdentifier(tableName);
  const values = d.ident(assertIdentifier(`${table}__values`));
  await engine.run(
    `CREATE OR REPLACE TEMP TABLE ${values} AS SELECT v, row_number() OVER (ORDER BY v) AS i ` +
      `FROM (SELECT DISTINCT CAST(q.v AS VARCHAR) AS v FROM (${sourceSql}) AS q(v) WHERE q.v IS NOT NULL) AS s`,
  );
  const [{ n }] = (await engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${values}`)) as [{ n: number }];
  const bulk = await engine.bulkTable(`${table}__load`, columns);
  const batch = new ColumnBatch({ sourceColumns: columns.map((c) => c.name), columns: Object.fromEntries(columns.map((c) => [c.name, { kind: c.kind, description: '' }])) }, CHUNK);
  for (let from = 0; from < n; from += CHUNK) {
    const chunk = await engine.query<{ v: string }>(`SELECT v FROM ${values} WHERE i > $from AND i <= $to ORDER BY i`, { from, to: from + CHUNK });
    for (const row of await rowsFor(chunk.map((r) => r.v))) batch.push(row);
    bulk.append(batch.columns, batch.rows);
    batch.clear();
  }
  bulk.flush();
  await engine.run(`CREATE OR REPLACE TEMP TABLE ${d.ident(table)} AS SELECT * FROM ${bulk.relation}`);
  await engine.run(`DROP TABLE IF EXISTS ${d.ident(`${table}__load`)}`);
  await engine.run(`DROP TABLE IF EXISTS ${values}`);
  return n;
}
