import { z } from 'zod';
import type { Detector } from './detector.js';
import { asText, evidenceSelect, num, round3, writeEvidence, writeNoEvidence } from './sql.js';

/*
 * Long connections, as RITA reports them: a pair whose connections stay open a long time. Exporters cut a long TCP
 * session into records (active timeout), so the pair's time is the union of its records' spans:
 *
 *   open   = seconds covered by the pair's flows (overlapping records counted once)
 *   score  = round3(clamp(log2(open / minSeconds) / log2(fullSeconds / minSeconds))), for pairs open ≥ minSeconds
 *
 * One hour scores 0, `fullSeconds` (8 h) scores 1. Internal sources only: the accused is the host holding it open.
 */

export const longConnectionOptions = z.strictObject({
  minSeconds: z.number().int().min(60).default(3600).meta({ description: 'A pair open at least this long is a long connection.' }),
  fullSeconds: z.number().int().min(120).default(8 * 3600).meta({ description: 'Open this long or more scores 1.' }),
  ignorePorts: z
    .array(z.number().int().min(0).max(65535))
    .default([])
    .meta({ description: 'Destination ports whose long sessions are expected here (for example a VPN or a database replica).' }),
});

export type LongConnectionOptions = z.infer<typeof longConnectionOptions>;

export const longConnectionDetector: Detector<LongConnectionOptions> = {
  name: 'long-connection',
  description: 'pairs whose connections stay open for hours, as a reverse shell or a tunnel does',
  types: ['flow'],
  async run(ctx, o, table) {
    const flow = ctx.views.flow;
    if (!flow) return writeNoEvidence(ctx, table);
    const d = ctx.engine.dialect;
    const us = (t: string) => d.epochMicros(t);
    const ignore = o.ignorePorts.length ? `AND f.dport NOT IN (${o.ignorePorts.map((p) => num(p)).join(', ')})` : '';
    // Records of a pair, each with the latest end seen before it: a gap starts a new stretch; stretches are summed.
    const records =
      `SELECT f.sip, f.dip, f.dport, f.proto, ${us('f.tstart')} AS s, greatest(${us('f.tend')}, ${us('f.tstart')}) AS e, f.tstart, f.tend, f.ibyt + coalesce(f.obyt, 0) AS bytes ` +
      `FROM ${flow} AS f JOIN ${ctx.hosts} AS h ON h.ip = f.sip AND h.internal WHERE f.proto IN ('TCP', 'UDP') ${ignore}`;
    // A pair's open time never exceeds the sum of its records' spans: only pairs whose sum reaches minSeconds (a few,
    // against the whole day's records) go through the windows below, which sort what they are given.
    const candidates = `SELECT sip, dip, dport FROM (${records}) AS c GROUP BY sip, dip, dport HAVING sum(e - s) >= ${num(o.minSeconds * 1e6)}`;
    const kept =
      `SELECT r.* FROM (${records}) AS r JOIN (${candidates}) AS k ON k.sip = r.sip AND k.dip IS NOT DISTINCT FROM r.dip AND k.dport IS NOT DISTINCT FROM r.dport`;
    const marked =
      `SELECT r.*, max(e) OVER (PARTITION BY sip, dip, dport ORDER BY s, e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach FROM (${kept}) AS r`;
    const stretches =
      `SELECT m.*, sum(CASE WHEN reach IS NULL OR s > reach THEN 1 ELSE 0 END) OVER (PARTITION BY sip, dip, dport ORDER BY s, e ROWS UNBOUNDED PRECEDING) AS stretch FROM (${marked}) AS m`;
    const spans = `SELECT sip, dip, dport, max(proto) AS proto, stretch, (max(e) - min(s)) / 1e6 AS open_s, count(*) AS flows, sum(bytes) AS bytes, min(tstart) AS first_seen, max(tend) AS last_seen FROM (${stretches}) AS x GROUP BY sip, dip, dport, stretch`;
    const pairs =
      `SELECT sip, dip, dport, max(proto) AS proto, sum(open_s) AS open_s, max(open_s) AS longest_s, sum(flows) AS flows, sum(bytes) AS bytes, min(first_seen) AS first_seen, max(last_seen) AS last_seen ` +
      `FROM (${spans}) AS y GROUP BY sip, dip, dport HAVING sum(open_s) >= ${num(o.minSeconds)}`;
    const score = round3(`greatest(0.0, least(1.0, ln(p.open_s / ${num(o.minSeconds)}) / ln(${num(o.fullSeconds / o.minSeconds)})))`);
    const sql =
      `SELECT ${evidenceSelect(d, {
        detector: `'long-connection'`,
        type: `'flow'`,
        entity: 'p.sip',
        peer: 'p.dip',
        peer_kind: `'ip'`,
        window_start: 'p.first_seen',
        window_end: 'p.last_seen',
        events: 'p.flows',
        score,
        measures: d.jsonObject({ open_s: 'round(p.open_s)', longest_s: 'round(p.longest_s)', dport: 'p.dport', proto: 'p.proto', flows: 'p.flows', bytes: 'p.bytes' }),
        explanation:
          `p.sip || ' kept ' || p.proto || '/' || ${asText(d, 'p.dport')} || ' to ' || p.dip || ' open for ' || ${asText(d, 'p.open_s / 3600', 1)} || ' h in ' || ` +
          `${asText(d, 'p.flows')} || ' flow records (longest stretch ' || ${asText(d, 'p.longest_s / 3600', 1)} || ' h)'`,
      })} FROM (${pairs}) AS p`;
    await writeEvidence(ctx, table, sql);
  },
};
