import type { EngineSession } from '../engine/index.js';
import { createTableSql } from '../schema/index.js';
import { changeItems, changes, ratings, rules } from './tables.js';

/**
 * Schema migrations of the feedback store, applied in order, each once: `schema_version` records the ones applied.
 * A migration is never edited after release; a new column gets a new migration (ALTER TABLE) and its line in
 * tables.ts, and the store test checks the two agree.
 */
export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly statements: (tx: EngineSession) => readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'ratings, rules and the audit trail',
    statements: (tx) => [
      ...[ratings, rules, changes, changeItems].map((t) => createTableSql(t, tx.dialect)),
      'CREATE SEQUENCE rating_ids START 1',
      'CREATE SEQUENCE rule_ids START 1',
      'CREATE SEQUENCE change_ids START 1',
      'CREATE UNIQUE INDEX rules_by_name ON rules (name)',
      'CREATE INDEX ratings_by_day ON ratings (type, day)',
      'CREATE INDEX items_by_target ON change_items (target, target_id)',
    ],
  },
];

/** Bring the store up to the newest schema; returns the versions applied now. Runs inside the caller's transaction. */
export async function migrate(tx: EngineSession): Promise<number[]> {
  await tx.run('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, description VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)');
  const [row] = await tx.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_version');
  const current = row?.v ?? 0;
  const newest = MIGRATIONS.at(-1)!.version;
  if (current > newest) throw new Error(`the feedback store has schema version ${current}, newer than this program knows (${newest}); upgrade spothreat`);
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    for (const sql of m.statements(tx)) await tx.run(sql);
    await tx.run('INSERT INTO schema_version VALUES ($v, $d, $at)', { v: m.version, d: m.description, at: new Date() });
    applied.push(m.version);
  }
  return applied;
}
