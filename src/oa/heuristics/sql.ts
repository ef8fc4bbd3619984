import type { Dialect } from '../../engine/index.js';
import { evidence } from '../../schema/evidence.js';
import type { DetectorContext } from './detector.js';

/*
 * Small SQL builders shared by the detectors. Every number that reaches SQL text comes from a validated option and
 * goes through `num`; every other value is a parameter or a dialect literal.
 */

/** One expression per evidence column: a column added to the schema without one is a type error. */
export type EvidenceExprs = Record<keyof typeof evidence.columns, string>;

/** A finite number as SQL text (options are validated by zod; this guards against NaN and Infinity reaching SQL). */
export function num(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  return `${value}`;
}

/** Integers as a SQL list, for IN (…). */
export function intList(values: readonly number[]): string {
  if (!values.length) return 'NULL';
  return values.map((v) => {
    if (!Number.isInteger(v)) throw new Error(`not an integer: ${v}`);
    return `${v}`;
  }).join(', ');
}

/** The evidence columns in schema order, each cast to its schema type. */
export function evidenceSelect(d: Dialect, e: EvidenceExprs): string {
  return evidence.columnNames
    .map((name) => `CAST(${e[name as keyof EvidenceExprs]} AS ${d.type(evidence.columns[name as keyof EvidenceExprs].kind)}) AS ${d.ident(name)}`)
    .join(', ');
}

/** Writes the detector's evidence table from a query that yields the evidence columns. */
export async function writeEvidence(ctx: DetectorContext, table: string, sql: string): Promise<void> {
  await ctx.engine.run(`CREATE OR REPLACE TEMP TABLE ${ctx.engine.dialect.ident(table)} AS ${sql}`);
}

/** An empty evidence table (the detector found nothing it could measure). */
export async function writeNoEvidence(ctx: DetectorContext, table: string): Promise<void> {
  const d = ctx.engine.dialect;
  const cols = evidence.columnNames.map((name) => `CAST(NULL AS ${d.type(evidence.columns[name as keyof EvidenceExprs].kind)}) AS ${d.ident(name)}`);
  await ctx.engine.run(`CREATE OR REPLACE TEMP TABLE ${d.ident(table)} AS SELECT ${cols.join(', ')} WHERE 1 = 0`);
}

/** x clamped to [0, 1]; NULL counts as 0. */
export function clamp01(x: string): string {
  return `greatest(0.0, least(1.0, coalesce(${x}, 0.0)))`;
}

/** 0 at or below lo, 1 at or above hi, linear between. */
export function ramp(x: string, lo: number, hi: number): string {
  return clamp01(`(CAST(${x} AS DOUBLE) - ${num(lo)}) / ${num(hi - lo)}`);
}

/** 0 at or below 1, 1 at or above full, by the logarithm between: "how many", where ten more matter less each time. */
export function logRamp(count: string, full: number): string {
  return clamp01(`ln(greatest(CAST(${count} AS DOUBLE), 1.0)) / ln(${num(full)})`);
}

/** Rounded to three decimals, as RITA rounds its scores. */
export function round3(x: string): string {
  return `round(${x}, 3)`;
}

/**
 * Robust z-score: how many scaled median absolute deviations x lies above the median (1.4826·MAD estimates σ for
 * normal data). `floor` keeps the scale from vanishing when most values are equal.
 */
export function robustZ(x: string, median: string, mad: string, floor: number): string {
  return `(${x} - ${median}) / greatest(1.4826 * coalesce(${mad}, 0.0), ${num(floor)})`;
}

/** A number as text for explanations, rounded to `digits` decimals. */
export function asText(d: Dialect, x: string, digits = 0): string {
  return digits === 0 ? `CAST(CAST(round(${x}, 0) AS BIGINT) AS ${d.type('text')})` : `CAST(round(${x}, ${digits}) AS ${d.type('text')})`;
}

/** Any text as text (for explanations). */
export function text(d: Dialect, x: string): string {
  return `CAST(${x} AS ${d.type('text')})`;
}

/**
 * TCP flag tests on nfdump's cumulated flags ("CEUAPRSF", a dot where unset). NULL flags (Zeek, Argus) test false;
 * those sources report a connection state instead (`ZEEK_UNANSWERED`).
 */
const FLAG_POSITION = { C: 1, E: 2, U: 3, A: 4, P: 5, R: 6, S: 7, F: 8 } as const;
export function hasFlag(flagColumn: string, flag: keyof typeof FLAG_POSITION): string {
  return `coalesce(substr(${flagColumn}, ${FLAG_POSITION[flag]}, 1) = '${flag}', false)`;
}

/** Zeek conn_state (and Argus REQ) of attempts that got no answer or were refused. */
export const UNANSWERED_STATES = ['S0', 'REJ', 'RSTOS0', 'RSTRH', 'SH', 'SHR', 'OTH', 'REQ'] as const;

/**
 * A probe, as an analyst reads it from one flow record: with nfdump's flags, SYN without ACK from the initiator (a
 * half-open attempt) or a TCP record of at most `tinyPackets` packets that carried no data (PSH unset: a connect scan's
 * SYN, ACK, RST); with a Zeek/Argus state, an attempt nobody answered or that was refused; with neither, a record of at
 * most `tinyPackets` packets that got nothing back.
 */
export function probeFlow(d: Dialect, f: string, tinyPackets: number): string {
  const states = UNANSWERED_STATES.map((s) => d.string(s)).join(', ');
  const flag = `${f}.flag`;
  return (
    `((${flag} IS NOT NULL AND ((${hasFlag(flag, 'S')} AND NOT ${hasFlag(flag, 'A')}) OR (${f}.proto = 'TCP' AND NOT ${hasFlag(flag, 'P')} AND ${f}.ipkt <= ${num(tinyPackets)}))) ` +
    `OR (${flag} IS NULL AND ${f}.state IN (${states})) ` +
    `OR (${flag} IS NULL AND ${f}.state IS NULL AND ${f}.ipkt <= ${num(tinyPackets)} AND coalesce(${f}.opkt, 0) = 0))`
  );
}

/**
 * A session that got through and carried data: ACK and PSH from the initiator (nfdump), a Zeek/Argus state of an
 * established connection, or, without either, packets back.
 */
export function establishedFlow(f: string): string {
  const flag = `${f}.flag`;
  return (
    `((${flag} IS NOT NULL AND ${hasFlag(flag, 'A')} AND ${hasFlag(flag, 'P')}) ` +
    `OR (${flag} IS NULL AND (${f}.state IN ('SF', 'S1', 'S2', 'S3', 'RSTO', 'RSTR', 'CON', 'FIN', 'ACC') OR (${f}.state IS NULL AND coalesce(${f}.opkt, 0) > 0))))`
  );
}

/** The first label of a name ("abc" of "abc.example.com"), portable: instr and substr exist in every engine. */
export function firstLabel(name: string): string {
  return `substr(${name}, 1, instr(${name} || '.', '.') - 1)`;
}

/**
 * DNS rows (alias q) whose client is not itself a DNS server in the window: a resolver forwards its clients' queries
 * and would otherwise carry every client's findings; the detectors accuse the clients behind it instead.
 */
export function dnsClientsOnly(dns: string, client: string): string {
  return `${client} NOT IN (SELECT DISTINCT s.ip_src FROM ${dns} AS s WHERE s.dns_qr)`;
}
