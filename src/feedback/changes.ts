import type { EngineSession, SqlValue } from '../engine/index.js';
import type { TableDef } from '../schema/index.js';
import { UsageError } from '../shared/errors.js';
import { changeItems, changes, TARGETS, type ChangeRow, type Target } from './tables.js';

/**
 * The audit trail. Every write is a change: one row in `changes` and, for each rating or rule it touched, an item
 * with the row before and after (JSON). Undo restores the `before` of every item and is itself a change.
 */

export type Row = Record<string, unknown>;

export interface ChangeContext {
  readonly tx: EngineSession;
  readonly id: number;
  readonly at: Date;
  seq: number;
}

export async function beginChange(tx: EngineSession, change: { analyst: string; action: string; summary: string; undoes?: number }): Promise<ChangeContext> {
  const [{ id }] = (await tx.query<{ id: number }>("SELECT nextval('change_ids') AS id")) as [{ id: number }];
  const at = new Date();
  await insertRow(tx, changes, { id, at, analyst: change.analyst, action: change.action, summary: change.summary, undoes: change.undoes ?? null, undone_by: null });
  return { tx, id: Number(id), at, seq: 0 };
}

/** Set a change's summary once its items are known (a reset names how many ratings it removed). */
export async function summarise(change: ChangeContext, summary: string): Promise<void> {
  await change.tx.run('UPDATE changes SET summary = $s WHERE id = $id', { s: summary, id: change.id });
}

/** Write a row's new state (null removes it) and record the change. */
export async function putRow(change: ChangeContext, target: Target, id: number, after: Row | null): Promise<void> {
  const before = await getRow(change.tx, target, id);
  await setRow(change.tx, target, id, after);
  await insertRow(change.tx, changeItems, {
    change_id: change.id,
    at: change.at,
    seq: change.seq++,
    target,
    target_id: id,
    before: before && JSON.stringify(before),
    after: after && JSON.stringify(after),
  });
}

export async function getRow(tx: EngineSession, target: Target, id: number): Promise<Row | null> {
  const [row] = await tx.query(`SELECT * FROM ${tx.dialect.ident(TARGETS[target].name)} WHERE id = $id`, { id });
  return row ?? null;
}

export async function listChanges(tx: EngineSession, limit = 1000): Promise<ChangeRow[]> {
  return (await tx.query(`SELECT * FROM changes ORDER BY id DESC LIMIT ${Math.floor(limit)}`)) as ChangeRow[];
}

/**
 * Revert a change (by default the newest one that is neither undone nor an undo). Refused when a later change,
 * still in force, touched one of the same rows: undo that one first. A later change and its own undo cancel out.
 */
export async function undoChange(tx: EngineSession, analyst: string, changeId?: number): Promise<{ undo: number; reverted: number; items: number }> {
  const [target] = (
    changeId === undefined
      ? await tx.query<ChangeRow>('SELECT * FROM changes WHERE undone_by IS NULL AND undoes IS NULL ORDER BY id DESC LIMIT 1')
      : await tx.query<ChangeRow>('SELECT * FROM changes WHERE id = $id', { id: changeId })
  ) as [ChangeRow | undefined];
  if (!target) throw new UsageError(changeId === undefined ? 'there is no change to undo' : `there is no change ${changeId}`);
  if (target.undone_by !== null) throw new UsageError(`change ${target.id} was already undone by change ${target.undone_by}`);
  const [later] = await tx.query<{ id: number; target: string; target_id: number }>(
    `SELECT c.id, i.target, i.target_id FROM change_items AS i JOIN changes AS c ON c.id = i.change_id
     WHERE c.id > $id AND c.undone_by IS NULL AND NOT coalesce(c.undoes > $id, false)
       AND (i.target, i.target_id) IN (SELECT target, target_id FROM change_items WHERE change_id = $id)
     ORDER BY c.id DESC LIMIT 1`,
    { id: target.id },
  );
  if (later) throw new UsageError(`change ${target.id} cannot be undone: change ${later.id} changed ${later.target} ${later.target_id} since; undo it first`);
  const items = await tx.query<{ target: Target; target_id: number; before: string | null }>(
    'SELECT target, target_id, before FROM change_items WHERE change_id = $id ORDER BY seq DESC',
    { id: target.id },
  );
  const undo = await beginChange(tx, { analyst, action: 'undo', summary: `undo change ${target.id} (${target.action}: ${target.summary})`, undoes: target.id });
  for (const item of items) await putRow(undo, item.target, item.target_id, item.before === null ? null : (JSON.parse(item.before) as Row));
  await tx.run('UPDATE changes SET undone_by = $u WHERE id = $id', { u: undo.id, id: target.id });
  return { undo: undo.id, reverted: Number(target.id), items: items.length };
}

async function setRow(tx: EngineSession, target: Target, id: number, row: Row | null): Promise<void> {
  const table = TARGETS[target];
  await tx.run(`DELETE FROM ${tx.dialect.ident(table.name)} WHERE id = $id`, { id });
  if (row) await insertRow(tx, table, { ...row, id });
}

/** Insert a row given by column name; JSON snapshots give timestamps as ISO text, which become Dates again. */
export async function insertRow(tx: EngineSession, table: TableDef, row: Row): Promise<void> {
  const params: Record<string, SqlValue> = {};
  table.columnNames.forEach((c, i) => {
    const v = row[c] ?? null;
    params[`p${i}`] = table.columns[c]!.kind === 'timestamp' && typeof v === 'string' ? new Date(v) : (v as SqlValue);
  });
  const cols = table.columnNames.map((c) => tx.dialect.ident(c)).join(', ');
  await tx.run(`INSERT INTO ${tx.dialect.ident(table.name)} (${cols}) VALUES (${table.columnNames.map((_, i) => `$p${i}`).join(', ')})`, params);
}
