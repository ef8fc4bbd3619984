import type { EngineSession } from '../engine/index.js';
import { UsageError } from '../shared/errors.js';
import { beginChange, getRow, putRow, summarise } from './changes.js';
import { ALL_SPEC_FIELDS } from './rating-spec.js';
import { normaliseRule, type RuleFields } from './rule-spec.js';
import type { RatingRow, RuleRow } from './tables.js';

function checked(input: Readonly<Record<string, unknown>>): RuleFields {
  try {
    return normaliseRule(input);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

async function ruleByName(tx: EngineSession, name: string): Promise<RuleRow | undefined> {
  return (await tx.query<RuleRow>('SELECT * FROM rules WHERE name = $name', { name }))[0];
}

async function newRuleId(tx: EngineSession): Promise<number> {
  return Number((await tx.query<{ id: number }>("SELECT nextval('rule_ids') AS id"))[0]!.id);
}

export async function addRule(tx: EngineSession, input: Readonly<Record<string, unknown>>, analyst: string): Promise<{ rule: RuleRow; change: number }> {
  const fields = checked(input);
  if (await ruleByName(tx, fields.name)) throw new UsageError(`a rule named ${JSON.stringify(fields.name)} exists; choose another name or delete it first`);
  const rule: RuleRow = { id: await newRuleId(tx), ...fields, created_at: new Date(), from_rating: null };
  const change = await beginChange(tx, { analyst, action: 'rule-add', summary: `add rule ${rule.id} ${JSON.stringify(rule.name)}` });
  await putRow(change, 'rule', Number(rule.id), rule);
  return { rule, change: change.id };
}

export async function deleteRule(tx: EngineSession, id: number, analyst: string): Promise<{ change: number }> {
  const rule = (await getRow(tx, 'rule', id)) as RuleRow | null;
  if (!rule) throw new UsageError(`there is no rule ${id}`);
  const change = await beginChange(tx, { analyst, action: 'rule-delete', summary: `delete rule ${id} ${JSON.stringify(rule.name)}` });
  await putRow(change, 'rule', id, null);
  return { change: change.id };
}

/**
 * The rule a low-risk rating stands for, in one step: the rating's match spec as conditions (exact addresses
 * become host networks, a registered domain becomes *.domain), limited to the rating's type, applying to every day.
 */
export function ruleFieldsFromRating(r: RatingRow, extra: { name?: string; owner?: string; comment?: string; expires_at?: Date | string | null } = {}): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    name: extra.name ?? `rating ${r.id}: ${r.type} ${describeSpec(r)}`.slice(0, 200),
    type: r.type,
    owner: extra.owner ?? r.analyst,
    comment: extra.comment ?? r.comment ?? `made from low-risk rating ${r.id} of ${r.day}`,
    expires_at: extra.expires_at ?? null,
  };
  if (r.type === 'flow') Object.assign(fields, { src_cidr: r.sip, dst_cidr: r.dip, src_ports: r.sport, ports: r.dport, proto: r.proto });
  else Object.assign(fields, { src_cidr: r.client, domain: r.query ?? r.host ?? (r.domain ? `*.${r.domain}` : null), uri_prefix: r.uri_prefix });
  return fields;
}

export async function ruleFromRating(tx: EngineSession, ratingId: number, analyst: string, extra: Parameters<typeof ruleFieldsFromRating>[1] = {}): Promise<{ rule: RuleRow; change: number }> {
  const rating = (await getRow(tx, 'rating', ratingId)) as RatingRow | null;
  if (!rating) throw new UsageError(`there is no rating ${ratingId}`);
  if (rating.rating !== 3) throw new UsageError(`rating ${ratingId} is ${rating.rating === 1 ? 'high' : 'medium'} risk; only a low-risk (3) rating makes a suppression rule`);
  const fields = checked(ruleFieldsFromRating(rating, extra));
  if (await ruleByName(tx, fields.name)) throw new UsageError(`a rule named ${JSON.stringify(fields.name)} exists; give the new one a name (--name)`);
  const rule: RuleRow = { id: await newRuleId(tx), ...fields, created_at: new Date(), from_rating: ratingId };
  const change = await beginChange(tx, { analyst, action: 'rule-add', summary: `add rule ${rule.id} ${JSON.stringify(rule.name)} from rating ${ratingId}` });
  await putRow(change, 'rule', Number(rule.id), rule);
  return { rule, change: change.id };
}

/** Rules by id; with `activeAt`, only those not expired at that time. */
export async function listRules(tx: EngineSession, options: { activeAt?: Date } = {}): Promise<RuleRow[]> {
  if (!options.activeAt) return (await tx.query('SELECT * FROM rules ORDER BY id')) as RuleRow[];
  return (await tx.query('SELECT * FROM rules WHERE expires_at IS NULL OR expires_at > $now ORDER BY id', { now: options.activeAt })) as RuleRow[];
}

/**
 * Write rules from a file (already checked as a whole): a rule whose name exists is updated, a new name is added;
 * `replace` also deletes the rules the file does not name. One change, undone as one.
 */
export async function importRules(
  tx: EngineSession,
  rules: readonly RuleFields[],
  analyst: string,
  options: { replace?: boolean; source?: string } = {},
): Promise<{ change: number; added: number; updated: number; deleted: number; unchanged: number }> {
  const change = await beginChange(tx, { analyst, action: 'rule-import', summary: 'import rules' });
  const counts = { added: 0, updated: 0, deleted: 0, unchanged: 0 };
  const named = new Set<string>();
  for (const fields of rules) {
    if (named.has(fields.name)) throw new UsageError(`rule ${JSON.stringify(fields.name)} is named twice`);
    named.add(fields.name);
    const old = await ruleByName(tx, fields.name);
    if (old && sameFields(old, fields)) {
      counts.unchanged++;
      continue;
    }
    const id = old ? Number(old.id) : await newRuleId(tx);
    await putRow(change, 'rule', id, { ...fields, id, created_at: old?.created_at ?? new Date(), from_rating: old?.from_rating ?? null });
    counts[old ? 'updated' : 'added']++;
  }
  if (options.replace) {
    for (const old of await listRules(tx)) {
      if (named.has(old.name)) continue;
      await putRow(change, 'rule', Number(old.id), null);
      counts.deleted++;
    }
  }
  const from = options.source ? ` from ${options.source}` : '';
  await summarise(change, `import rules${from}: ${counts.added} added, ${counts.updated} updated, ${counts.deleted} deleted, ${counts.unchanged} unchanged`);
  return { change: change.id, ...counts };
}

function sameFields(old: RuleRow, fields: RuleFields): boolean {
  return (Object.keys(fields) as (keyof RuleFields)[]).every((k) => {
    const a = old[k];
    const b = fields[k];
    return a instanceof Date || b instanceof Date ? (a as Date | null)?.getTime() === (b as Date | null)?.getTime() : a === b;
  });
}

function describeSpec(r: RatingRow): string {
  return ALL_SPEC_FIELDS.flatMap((k) => (r[k] === null || r[k] === undefined ? [] : [`${k}=${r[k]}`])).join(' ');
}
