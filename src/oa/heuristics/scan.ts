import { z } from 'zod';
import type { Detector } from './detector.js';
import { attemptsSql, candidatesSql, reverseFlowsSql } from './scan-attempts.js';
import { asText, evidenceSelect, logRamp, num, round3, text, writeEvidence, writeNoEvidence } from './sql.js';

/*
 * Horizontal scans (one source, many destinations on one port) and vertical scans (one source, many ports of one
 * destination), judged as Slips and Zeek's scan policy do: breadth, and whether the attempts failed. Per scan key:
 *
 *   breadth = min(1, ln(distinct targets or ports) / ln(full))
 *   failure = max(probes / flows, 1 − answered / targets)
 *   score   = round3(breadth · (0.5 + 0.5 · failure)), kept when count ≥ min and failure ≥ minFailure
 *
 * A probe is a SYN without ACK, a TCP record of a few packets without data, or a Zeek/Argus attempt nobody answered
 * (sql.ts, probeFlow); a target answered when it sent anything back from the port. Busy clients and servers reach many
 * addresses or ports too, but their connections carry data and get answers: failure keeps them out.
 */

const common = {
  minFailure: z.number().min(0).max(1).default(0.5).meta({ description: 'Least failure (share of probes, or of targets that never answered) for a scan.' }),
  tinyPackets: z.number().int().min(1).default(3).meta({ description: 'A TCP record of at most this many packets without PSH (no data) counts as a probe.' }),
};

export const horizontalScanOptions = z.strictObject({
  minTargets: z.number().int().min(2).default(20).meta({ description: 'Least distinct destinations on one port (Slips alerts from 4; a /24 sweep reaches 254).' }),
  fullTargets: z.number().int().min(3).default(256).meta({ description: 'Distinct destinations at which breadth reaches 1 (a whole /24).' }),
  ...common,
});

export const verticalScanOptions = z.strictObject({
  minPorts: z.number().int().min(2).default(10).meta({ description: 'Least distinct ports of one destination (Slips alerts from 6).' }),
  fullPorts: z.number().int().min(3).default(1024).meta({ description: 'Distinct ports at which breadth reaches 1 (the well-known ports).' }),
  ...common,
});

export type HorizontalScanOptions = z.infer<typeof horizontalScanOptions>;
export type VerticalScanOptions = z.infer<typeof verticalScanOptions>;

interface ScanShape {
  readonly name: 'scan-horizontal' | 'scan-vertical';
  /** The key a scan is counted over, besides proto. */
  readonly key: readonly ('sip' | 'dip' | 'dport')[];
  /** What is counted: distinct destinations or distinct ports. */
  readonly counted: 'dip' | 'dport';
}

async function runScan(shape: ScanShape, ctx: Parameters<Detector['run']>[0], o: { min: number; full: number; minFailure: number; tinyPackets: number }, table: string): Promise<void> {
  const flow = ctx.views.flow;
  if (!flow) return writeNoEvidence(ctx, table);
  const d = ctx.engine.dialect;
  const candidates = `oa_scan_${shape.counted}_candidates`;
  await ctx.engine.run(`CREATE OR REPLACE TEMP TABLE ${candidates} AS ${candidatesSql(flow, shape.key, shape.counted, o.min)}`);
  // The attempts once (a table: they are read twice), their statistics per key, and the sample of targets only for
  // the keys that pass: ordering each key's targets by probes costs more than all the rest.
  const attempts = `oa_scan_${shape.counted}_attempts`;
  const reverse = `oa_scan_${shape.counted}_reverse`;
  await ctx.engine.run(`CREATE OR REPLACE TEMP TABLE ${reverse} AS ${reverseFlowsSql(flow, candidates, shape.key)}`);
  await ctx.engine.run(`CREATE OR REPLACE TEMP TABLE ${attempts} AS ${attemptsSql(d, flow, candidates, reverse, shape.key, o.tinyPackets)}`);
  await ctx.engine.run(`DROP TABLE IF EXISTS ${reverse}`);
  const keys = [...shape.key, 'proto'];
  const keyCols = keys.map((k) => `a.${k}`).join(', ');
  const failure = `greatest(CAST(s.probes AS DOUBLE) / s.flows, 1.0 - CAST(s.answered AS DOUBLE) / s.n)`;
  const stats =
    `SELECT ${keyCols}, count(*) AS n, sum(a.flows) AS flows, sum(a.probes) AS probes, sum(a.answered) AS answered, sum(a.refused) AS refused, ` +
    // The window is the probes' when there are any: the scan, not the day's other traffic on the same key.
    `coalesce(min(CASE WHEN a.probes > 0 THEN a.first_seen END), min(a.first_seen)) AS first_seen, ` +
    `coalesce(max(CASE WHEN a.probes > 0 THEN a.last_seen END), max(a.last_seen)) AS last_seen FROM ${attempts} AS a GROUP BY ${keyCols}`;
  const kept = `oa_scan_${shape.counted}_kept`;
  await ctx.engine.run(`CREATE OR REPLACE TEMP TABLE ${kept} AS SELECT s.* FROM (${stats}) AS s WHERE s.n >= ${num(o.min)} AND ${failure} >= ${num(o.minFailure)}`);
  const sameKey = (x: string, y: string) => keys.map((k) => `${x}.${k} = ${y}.${k}`).join(' AND ');
  const samples =
    `SELECT ${keyCols}, ${d.listByDesc(text(d, `a.${shape.counted}`), `a.probes`, 10)} AS sample FROM ${attempts} AS a ` +
    `JOIN ${kept} AS k ON ${sameKey('a', 'k')} GROUP BY ${keyCols}`;
  const agg = `SELECT k.*, m.sample FROM ${kept} AS k JOIN (${samples}) AS m ON ${sameKey('m', 'k')}`;
  const seconds = `(${d.epochMicros('s.last_seen')} - ${d.epochMicros('s.first_seen')}) / 1e6`;
  const horizontal = shape.name === 'scan-horizontal';
  const what = horizontal
    ? `lower(s.proto) || '/' || ${text(d, 's.dport')} || ' on ' || ${asText(d, 's.n')} || ' hosts'`
    : `${asText(d, 's.n')} || ' ' || lower(s.proto) || ' ports of ' || s.dip`;
  const sql =
    `SELECT ${evidenceSelect(d, {
      detector: d.string(shape.name),
      type: `'flow'`,
      entity: 's.sip',
      peer: horizontal ? text(d, 's.dport') : 's.dip',
      peer_kind: horizontal ? `'port'` : `'ip'`,
      window_start: 's.first_seen',
      window_end: 's.last_seen',
      events: 's.flows',
      score: round3(`${logRamp('s.n', o.full)} * (0.5 + 0.5 * ${failure})`),
      measures: d.jsonObject({
        proto: 's.proto',
        [horizontal ? 'targets' : 'ports']: 's.n',
        flows: 's.flows',
        probes: 's.probes',
        answered: 's.answered',
        refused: 's.refused',
        failure: round3(failure),
        seconds: `round(${seconds}, 3)`,
        [horizontal ? 'sample_targets' : 'sample_ports']: 's.sample',
      }),
      explanation:
        `s.sip || ' probed ' || ${what} || ' in ' || ${asText(d, seconds)} || ' s: ' || ${asText(d, 's.n - s.answered')} || ' of ' || ${asText(d, 's.n')} || ` +
        `' never answered, ' || ${asText(d, 's.refused')} || ' refused; ' || ${asText(d, 's.probes')} || ' of ' || ${asText(d, 's.flows')} || ' flows were probes'`,
    })} FROM (${agg}) AS s`;
  await writeEvidence(ctx, table, sql);
  // The attempts of a busy day run to millions of rows: not kept past the detector.
  await ctx.engine.run(`DROP TABLE IF EXISTS ${attempts}`);
}

export const horizontalScanDetector: Detector<HorizontalScanOptions> = {
  name: 'scan-horizontal',
  description: 'one source probing many destinations on one port, most attempts unanswered or refused',
  types: ['flow'],
  run: (ctx, o, table) => runScan({ name: 'scan-horizontal', key: ['sip', 'dport'], counted: 'dip' }, ctx, { min: o.minTargets, full: o.fullTargets, ...o }, table),
};

export const verticalScanDetector: Detector<VerticalScanOptions> = {
  name: 'scan-vertical',
  description: 'one source probing many ports of one destination, most attempts unanswered or refused',
  types: ['flow'],
  run: (ctx, o, table) => runScan({ name: 'scan-vertical', key: ['sip', 'dip'], counted: 'dport' }, ctx, { min: o.minPorts, full: o.fullPorts, ...o }, table),
};
