import { columnDecls, type ColumnDecl, type EngineSession, type SqlValue } from '../engine/index.js';
import { dns, flow, PARTITION_COLUMNS, proxy, tableFor, type TelemetryType } from '../schema/index.js';
import { canonicalSelect } from '../schema/sql.js';
import { typeDir } from '../lake/layout.js';

/** Hand-made rows: the columns given and their values; `expressions` makes source columns from them in SQL (lists). */
export interface TestRows {
  readonly columns: readonly ColumnDecl[];
  readonly rows: readonly (readonly SqlValue[])[];
  readonly expressions?: Readonly<Record<string, string>>;
}

/**
 * Tests: hand-made events of a type as a temporary view with every column of its canonical table — the given source
 * columns, NULL for the others, the derived ones (proxy's fulluri, …) computed as the lake writer computes them.
 */
export async function eventsView(engine: EngineSession, type: TelemetryType, view: string, given: TestRows): Promise<void> {
  const d = engine.dialect;
  const table = tableFor(type);
  await engine.registerTable(`${view}_given`, given.columns, given.rows);
  const names = new Set(given.columns.map((c) => c.name));
  const sources = table.sourceColumns.map((n) => {
    const expression = given.expressions?.[n];
    if (expression) return `${expression} AS ${d.ident(n)}`;
    return names.has(n) ? d.ident(n) : `CAST(NULL AS ${d.type(table.columns[n]!.kind)}) AS ${d.ident(n)}`;
  });
  await engine.run(`CREATE OR REPLACE TEMP VIEW ${d.ident(view)} AS SELECT ${canonicalSelect(table, d).join(', ')} FROM (SELECT ${sources.join(', ')} FROM ${d.ident(`${view}_given`)} AS g) AS s`);
}

/** Tests: the same events written into the lake (<lake>/<type>/y=/m=/d=/h=/), where `runSuspiciousConnects` reads them. */
export async function writeLakeEvents(engine: EngineSession & { lakePath: string }, type: TelemetryType, given: TestRows, fileName = 'test'): Promise<void> {
  const d = engine.dialect;
  const table = tableFor(type);
  const view = `lake_rows_${type}`;
  await eventsView(engine, type, view, given);
  const time = d.ident(table.partitionBy);
  const parts = (['year', 'month', 'day', 'hour'] as const).map((p, i) => `${d.timePart(p, time)} AS ${PARTITION_COLUMNS[i]}`);
  await engine.export(`SELECT *, ${parts.join(', ')} FROM ${d.ident(view)}`, {
    format: 'parquet',
    path: typeDir(engine.lakePath, type),
    partitionBy: PARTITION_COLUMNS,
    fileName: `${fileName}-{i}`,
  });
}

/** The day of the hand-made fixtures. */
export const FIXTURE_DAY = '2026-11-27';
export const FIXTURE_RANGE = { from: Date.parse(`${FIXTURE_DAY}T00:00:00Z`), to: Date.parse(`${FIXTURE_DAY}T00:00:00Z`) + 86_400_000 };
/** Ten IPv4 clients and two IPv6 ones. */
export const FIXTURE_CLIENTS = [...Array.from({ length: 10 }, (_, i) => `10.0.0.${i + 1}`), '2001:db8::11', '2001:db8::12'];
const at = (hour: number, minute: number) => new Date(Date.UTC(2026, 10, 27, hour, minute));
const OFFICE_HOURS = Array.from({ length: 10 }, (_, i) => 8 + i);

/**
 * A small day of each type: every client does the same few things each office hour, and a few events are rare —
 * the ones an analyst would rate. `rare(line)` tells a rare event's line of a <type>_results.csv.
 */
export const FIXTURES = {
  flow: {
    rows: {
      columns: [
        ...columnDecls(flow, ['tstart', 'sip', 'dip', 'sport', 'dport', 'proto', 'ipkt', 'ibyt']),
      ],
      rows: [
        ...FIXTURE_CLIENTS.flatMap((c, i) =>
          OFFICE_HOURS.flatMap((h) => [
            ...[0, 1, 2].map((n) => [at(h, 10 * n + i), c, '10.0.1.1', 40000 + 100 * i + n, 443, 'TCP', 10, 2000]),
            [at(h, 45), c, '10.0.1.53', 50000 + i, 53, 'UDP', 1, 70],
          ]),
        ),
        // A backup job: three large transfers at 2 a.m. to an unusual port.
        ...[0, 1, 2].map((n) => [at(2, n), '10.0.0.3', '10.0.9.9', 50001 + n, 10000, 'TCP', 4000, 5_000_000]),
        [at(3, 0), '2001:db8::12', '10.0.1.1', 41000, 22, 'TCP', 30, 6000],
      ],
    } satisfies TestRows,
    rare: (line: string) => line.includes(',10000,'),
  },
  dns: {
    rows: {
      columns: [
        ...columnDecls(dns, ['frame_time', 'frame_len', 'ip_dst', 'ip_src', 'dns_qry_name', 'dns_qry_type', 'dns_qry_rcode', 'dns_qr']),
        { name: 'answer', type: 'text' },
      ],
      rows: [
        ...FIXTURE_CLIENTS.flatMap((c, i) =>
          OFFICE_HOURS.flatMap((h) => [
            ...[0, 1, 2].map((n) => [at(h, 10 * n + i), 120, c, '10.0.1.53', 'www.example.com', 1, 0, true, '93.184.216.34']),
            [at(h, 50), 150, c, '10.0.1.53', 'mail.example.org', 15, 0, true, '10 mx.example.org'],
          ]),
        ),
        // TXT answers to a long random name: what a tunnel looks like.
        ...[0, 1, 2].map((n) => [at(3, n), 400, '10.0.0.4', '10.0.1.53', 'a9x7k2q0zz.t.tunnel-example.net', 16, 0, true, 'v=a8f3e2b1']),
      ],
      expressions: { dns_answers: 'list_value(answer)' },
    } satisfies TestRows,
    rare: (line: string) => line.includes('tunnel-example.net'),
  },
  proxy: {
    rows: {
      columns: [
        ...columnDecls(proxy, ['ts', 'clientip', 'host', 'reqmethod', 'useragent', 'resconttype', 'uripath', 'respcode']),
      ],
      rows: [
        ...FIXTURE_CLIENTS.flatMap((c, i) =>
          OFFICE_HOURS.flatMap((h) =>
            [0, 1, 2].map((n) => [at(h, 10 * n + i), c, 'www.example.com', 'GET', 'Mozilla/5.0 (X11, Linux x86_64)', 'text/html', '/index.html', 200]),
          ),
        ),
        // An uploader with a user agent of its own, three times in the day: the analyst rates the first request.
        ...[10, 20, 30].map((m) => [at(4, m), '10.0.0.5', 'files.example.org', 'POST', 'RareAgent/1.0', 'application/octet-stream', '/upload/a8f3e2', 200]),
      ],
    } satisfies TestRows,
    rare: (line: string) => line.includes('RareAgent') && line.includes('04:10:00'),
  },
} as const;
