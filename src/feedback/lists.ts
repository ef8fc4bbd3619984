import type { EngineSession } from '../engine/index.js';
import { resultsPath, resultsTable } from '../ml/index.js';
import { oaTablePath } from '../oa/index.js';
import { OA_TABLES, type TableDef } from '../schema/index.js';
import type { RelationKind } from './relations.js';
import type { FeedbackStore } from './store.js';
import { suppressionSql, type Suppression } from './suppress.js';

/**
 * A day's ranked list as a view: `flow`, `dns`, `proxy` are ML's <type>_results; the others the OA tables of the
 * same name. A list that was not written is an empty view with the right columns.
 */
export async function listView(engine: EngineSession & { lakePath: string }, list: RelationKind, day: string, viewName = `fb_list_${list}`): Promise<string> {
  if (list === 'flow' || list === 'dns' || list === 'proxy') return engine.parquetView(viewName, [resultsPath(engine.lakePath, list, day)], resultsTable(list));
  return engine.parquetView(viewName, [oaTablePath(engine.lakePath, list, day)], OA_TABLES[list] as TableDef);
}

/** The order a list reads in: by rank, evidence by strength. */
export function listOrder(list: RelationKind): string {
  return list === 'evidence' ? 'score DESC, detector, entity, peer, window_start' : 'rank';
}

/** A day's list with the store's rules and that day's ratings applied (see suppressionSql). */
export async function suppressedList(
  engine: EngineSession & { lakePath: string },
  store: FeedbackStore,
  request: { list: RelationKind; day: string; now?: Date; rules?: boolean },
): Promise<Suppression> {
  const relation = await listView(engine, request.list, request.day);
  return suppressionSql(engine, store, { relation, kind: request.list, day: request.day, ...(request.now ? { now: request.now } : {}), ...(request.rules === false ? { rules: false } : {}) });
}
