import type { EngineSession } from '../../engine/index.js';
import { ColumnBatch } from '../../lake/column-batch.js';
import type { MlConfig } from '../config.js';
import { nameParts, readPopularList } from '../domains.js';

const NAME_COLUMNS = [
  { name: 'name', kind: 'text' },
  { name: 'domain', kind: 'text' },
  { name: 'subdomain', kind: 'text' },
  { name: 'labels', kind: 'int' },
] as const;
const namesTable = {
  sourceColumns: NAME_COLUMNS.map((c) => c.name),
  columns: Object.fromEntries(NAME_COLUMNS.map((c) => [c.name, { kind: c.kind, description: c.name }])),
};

/**
 * Register `ml_names` (name → registered domain, subdomain, labels) for the distinct names of a
 * column, and `ml_domain_class` (registered domain → 2 own, 1 popular). Popular domains come from
 * the configured Tranco list or, without one, from how many of the day's clients asked for them.
 */
export async function registerNames(engine: EngineSession, distinctNames: string, clients: string, config: MlConfig): Promise<void> {
  const table = await engine.bulkTable('ml_names_bulk', NAME_COLUMNS);
  const batch = new ColumnBatch(namesTable, 8192);
  for await (const rows of engine.stream<{ name: string }>(distinctNames)) {
    for (const r of rows) {
      const p = nameParts(r.name);
      batch.push({ name: r.name, domain: p.domain, subdomain: p.subdomain, labels: p.labels });
      if (batch.full) {
        table.append(batch.columns, batch.rows);
        batch.clear();
      }
    }
  }
  table.append(batch.columns, batch.rows);
  table.flush();
  await engine.run(`CREATE OR REPLACE TEMP TABLE ml_names AS SELECT * FROM ${table.relation} AS n`);
  await engine.run('DROP TABLE ml_names_bulk');

  let popular: string;
  if (config.popularDomains) {
    const list = [...(await readPopularList(config.popularDomains, config.popularTop))];
    await engine.registerTable('ml_popular', [{ name: 'domain', type: 'text' }], list.map((d) => [d]));
    popular = 'SELECT domain FROM ml_popular';
  } else {
    // clients: (client, name) pairs of the day; popular = asked by a large enough share of the clients.
    popular =
      `SELECT n.domain FROM (${clients}) AS c JOIN ml_names AS n ON n.name = c.name WHERE n.domain IS NOT NULL ` +
      `GROUP BY n.domain HAVING count(DISTINCT c.client) >= greatest(${config.popularMinClients}, ` +
      `${config.popularClientShare} * (SELECT count(DISTINCT client) FROM (${clients}) AS a))`;
  }
  const own = config.userDomains.map((d) => engine.dialect.string(d.toLowerCase()));
  await engine.run(
    `CREATE OR REPLACE TEMP TABLE ml_domain_class AS ` +
      (own.length ? `SELECT domain, 2 AS class FROM (VALUES ${own.map((d) => `(${d})`).join(', ')}) AS u(domain) UNION ALL ` : '') +
      `SELECT domain, 1 AS class FROM (${popular}) AS p` +
      (own.length ? ` WHERE domain NOT IN (${own.join(', ')})` : ''),
  );
}

/** The events with the name features of one of their columns joined. */
export function withNames(events: string, column: string): string {
  return (
    `(SELECT e.*, n.domain AS ml_domain, coalesce(n.subdomain, '') AS ml_subdomain, coalesce(n.labels, 0) AS ml_labels, ` +
    `coalesce(c.class, 0) AS ml_class FROM ${events} AS e LEFT JOIN ml_names AS n ON n.name = e.${column} ` +
    `LEFT JOIN ml_domain_class AS c ON c.domain = n.domain)`
  );
}
