import type { TsOfKind } from '../schema/columns.js';
import { col, defineTable, type ColumnSpec, type TableDef } from '../schema/index.js';

/*
 * The feedback store's tables, defined once: the migrations create them from these definitions, the CLI prints and
 * exports their columns, and rule files (CSV, YAML) take their field names from `rules`.
 */

export const ratings = defineTable(
  'ratings',
  {
    id: col.bigint('Rating number, never reused.', { required: true }),
    type: col.text('flow, dns or proxy.', { required: true }),
    day: col.text('The day (YYYY-MM-DD, UTC) whose events the rating judges.', { required: true }),
    rating: col.int('1 high, 2 medium, 3 low risk.', { required: true }),
    sip: col.ip('flow: source address.'),
    dip: col.ip('flow: destination address.'),
    sport: col.port('flow: source port.'),
    dport: col.port('flow: destination port.'),
    proto: col.text('flow: protocol (TCP, UDP …).'),
    client: col.ip('dns, proxy: the client address.'),
    query: col.text('dns: the exact name asked for.'),
    domain: col.text('dns: the registered domain of the names asked for.'),
    host: col.text('proxy: the host asked for.'),
    uri_prefix: col.text('proxy: the start of the full URI (host + path + query).'),
    analyst: col.text('Who rated.', { required: true }),
    comment: col.text('Why.'),
    created_at: col.timestamp('When the rating was last set, UTC.', { required: true }),
  },
  { partitionBy: 'created_at', description: "Analysts' ratings of events: a match spec, a rating and the day it applies to." },
);

export const rules = defineTable(
  'rules',
  {
    id: col.bigint('Rule number, never reused.', { required: true }),
    name: col.text('Unique name, shown where the rule hides a row.', { required: true }),
    type: col.text('Only rows of this telemetry (flow, dns, proxy); empty: every type.'),
    cidr: col.text('A network (IPv4 or IPv6 CIDR, or one address) on either side.'),
    src_cidr: col.text('A network on the source (client) side.'),
    dst_cidr: col.text('A network on the destination (server) side.'),
    domain: col.text('A name, or *.example.com for the domain and every name under it.'),
    ports: col.text('Destination (server) ports: 22,443,8000-8100.'),
    src_ports: col.text('Source ports, as ports.'),
    proto: col.text('Protocol (TCP, UDP …).'),
    uri_prefix: col.text('Start of the full URI (host + path + query; a scheme is dropped).'),
    useragent: col.text('User agent: exact, or a glob with * and ?.'),
    detector: col.text('A detector name (beacon, scan-horizontal …).'),
    owner: col.text('Who answers for the rule.', { required: true }),
    comment: col.text('Why the rows are noise.'),
    created_at: col.timestamp('When the rule was written, UTC.', { required: true }),
    expires_at: col.timestamp('The rule stops applying at this time, UTC; empty: never.'),
    from_rating: col.bigint('The low-risk rating the rule was made from.'),
  },
  { partitionBy: 'created_at', description: 'Suppression rules: rows they match are hidden (not deleted) at query time.' },
);

export const changes = defineTable(
  'changes',
  {
    id: col.bigint('Change number: what undo takes.', { required: true }),
    at: col.timestamp('When, UTC.', { required: true }),
    analyst: col.text('Who.', { required: true }),
    action: col.text('rate, reset, rule-add, rule-delete, rule-import or undo.', { required: true }),
    summary: col.text('What changed, in words.', { required: true }),
    undoes: col.bigint('For an undo: the change it reverted.'),
    undone_by: col.bigint('The undo that reverted this change, if any.'),
  },
  { partitionBy: 'at', description: 'The audit trail: every change to ratings and rules.' },
);

export const changeItems = defineTable(
  'change_items',
  {
    change_id: col.bigint('The change.', { required: true }),
    at: col.timestamp('When, UTC (the change\'s time).', { required: true }),
    seq: col.int('Order inside the change.', { required: true }),
    target: col.text('rating or rule.', { required: true }),
    target_id: col.bigint('Its id.', { required: true }),
    before: col.text('The row before, as JSON; empty when it did not exist.'),
    after: col.text('The row after, as JSON; empty when it was removed.'),
  },
  { partitionBy: 'at', description: 'Rows a change touched, before and after.' },
);

/** A stored row as queries return it: timestamps are Dates, optional columns may be null. */
export type StoredRow<T extends TableDef> = {
  -readonly [K in keyof T['columns']]: T['columns'][K] extends ColumnSpec<infer Kind>
    ? (Kind extends 'timestamp' ? Date : TsOfKind[Kind]) | (T['columns'][K] extends { required: true } ? never : null)
    : never;
};

export type RatingRow = StoredRow<typeof ratings>;
export type RuleRow = StoredRow<typeof rules>;
export type ChangeRow = StoredRow<typeof changes>;
export type ChangeItemRow = StoredRow<typeof changeItems>;

/** Tables that changes can touch, by the name items give them. */
export const TARGETS = { rating: ratings, rule: rules } as const;
export type Target = keyof typeof TARGETS;
