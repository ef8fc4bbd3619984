import { z } from 'zod';
import type { Detector } from './detector.js';
import { asText, evidenceSelect, num, ramp, robustZ, round3, writeEvidence, writeNoEvidence } from './sql.js';
import { outboundSql } from './exfiltration-volume.js';
import { DAY_MS } from '../../shared/time.js';

/*
 * Exfiltration: an internal host sending far more to the outside than its peers and than it used to, reported per
 * external destination. Volumes are compared in log10 bytes (traffic is heavy-tailed):
 *
 *   peer      = ramp(robust z of the host's outbound bytes among the internal hosts that sent anything, zFrom → zFull)
 *               robust z = (log10 out − median) / max(1.4826·MAD, madFloor)
 *   own       = ramp(log10(out / the host's median daily outbound over historyDays before the window,
 *               scaled to the window's length), 0 → log10(historyFull)); without enough history, own = peer
 *   asymmetry = out / (out + in) to the destination: uploads, not downloads
 *   score     = round3(min(peer, own) · (0.5 + 0.5 · asymmetry)), per destination that got ≥ minBytes
 *
 * min(peer, own): "far above its own baseline and its peers'" — a backup server that always sends a lot is above its
 * peers but not above itself; a host whose traffic grew with everyone's is above itself but not its peers.
 */

export const exfiltrationOptions = z.strictObject({
  minBytes: z.number().min(0).default(20e6).meta({ description: 'Least bytes sent to one external destination in the window for a finding (Slips alerts at 700 MB).' }),
  zFrom: z.number().default(2).meta({ description: 'Robust z-score of the host\'s outbound volume among its peers where the peer term starts.' }),
  zFull: z.number().default(6).meta({ description: 'Robust z-score at which the peer term reaches 1.' }),
  madFloor: z.number().positive().default(0.25).meta({ description: 'Least scale of the peers\' log10 volumes (a quarter of a decade), so that near-equal hosts do not make tiny differences huge.' }),
  historyDays: z.number().int().min(0).max(90).default(7).meta({ description: 'Days before the window read from the lake for each host\'s own baseline; 0 turns it off.' }),
  minHistoryDays: z.number().int().min(1).default(3).meta({ description: 'Days with outbound traffic a host needs in the history before its own baseline counts.' }),
  historyFull: z.number().min(2).default(100).meta({ description: 'Ratio to the host\'s own baseline at which the own term reaches 1.' }),
});

export type ExfiltrationOptions = z.infer<typeof exfiltrationOptions>;


export const exfiltrationDetector: Detector<ExfiltrationOptions> = {
  name: 'exfiltration',
  description: 'internal hosts sending far more to external destinations than their peers and than their own history',
  types: ['flow'],
  async run(ctx, o, table) {
    const flow = ctx.views.flow;
    if (!flow) return writeNoEvidence(ctx, table);
    const d = ctx.engine.dialect;
    await ctx.engine.run(`CREATE OR REPLACE TEMP TABLE oa_exfil_pairs AS ${outboundSql(flow, ctx.hosts)}`);
    await ctx.engine.run(
      `CREATE OR REPLACE TEMP TABLE oa_exfil_hosts AS SELECT host, sum(out_bytes) AS out_bytes, log10(greatest(sum(out_bytes), 1)) AS lg FROM oa_exfil_pairs GROUP BY host HAVING sum(out_bytes) > 0`,
    );
    const peers = `SELECT median(lg) AS med FROM oa_exfil_hosts`;
    const mad = `SELECT median(abs(h.lg - p.med)) AS mad FROM oa_exfil_hosts AS h CROSS JOIN (${peers}) AS p`;

    // The host's own daily outbound before the window, scaled to the window's length.
    const scale = (ctx.range.to - ctx.range.from) / DAY_MS;
    let own = `SELECT CAST(NULL AS ${d.type('text')}) AS host, CAST(NULL AS DOUBLE) AS baseline, 0 AS days WHERE 1 = 0`;
    if (o.historyDays > 0) {
      const history = await ctx.engine.lakeView('flow', { from: ctx.range.from - o.historyDays * DAY_MS, to: ctx.range.from }, 'oa_exfil_history');
      const daily = `SELECT host, day, sum(out_bytes) AS out_bytes FROM (${outboundSql(history, ctx.hosts, 'CAST(f.tstart AS DATE)')}) AS x GROUP BY host, day`;
      own = `SELECT h.host, median(h.out_bytes) * ${num(scale)} AS baseline, count(*) AS days FROM (${daily}) AS h JOIN oa_exfil_hosts AS w ON w.host = h.host GROUP BY h.host`;
    }
    const z = robustZ('h.lg', 'p.med', 'm.mad', o.madFloor);
    const peerTerm = ramp(z, o.zFrom, o.zFull);
    const hasOwn = `coalesce(b.days, 0) >= ${num(o.minHistoryDays)}`;
    const ratio = `CAST(h.out_bytes AS DOUBLE) / greatest(b.baseline, 1.0)`;
    const ownTerm = `CASE WHEN ${hasOwn} THEN ${ramp(`log10(${ratio})`, 0, Math.log10(o.historyFull))} ELSE ${peerTerm} END`;
    const asymmetry = `CAST(x.out_bytes AS DOUBLE) / greatest(x.out_bytes + x.in_bytes, 1)`;
    const mb = (e: string) => asText(d, `${e} / 1e6`, 1);
    const sql =
      `SELECT ${evidenceSelect(d, {
        detector: `'exfiltration'`,
        type: `'flow'`,
        entity: 'x.host',
        peer: 'x.peer',
        peer_kind: `'ip'`,
        window_start: 'x.first_seen',
        window_end: 'x.last_seen',
        events: 'x.flows',
        score: round3(`least(${peerTerm}, ${ownTerm}) * (0.5 + 0.5 * ${asymmetry})`),
        measures: d.jsonObject({
          out_bytes: 'x.out_bytes',
          in_bytes: 'x.in_bytes',
          host_out_bytes: 'h.out_bytes',
          share_of_host: round3('CAST(x.out_bytes AS DOUBLE) / h.out_bytes'),
          peer_median_bytes: 'round(power(10, p.med), 0)',
          peer_z: 'round(' + z + ', 2)',
          history_days: 'coalesce(b.days, 0)',
          history_baseline_bytes: `CASE WHEN ${hasOwn} THEN round(b.baseline, 0) END`,
          history_ratio: `CASE WHEN ${hasOwn} THEN round(${ratio}, 1) END`,
          asymmetry: round3(asymmetry),
        }),
        explanation:
          `x.host || ' sent ' || ${mb('x.out_bytes')} || ' MB to ' || x.peer || ' (received ' || ${mb('x.in_bytes')} || ' MB) in ' || ${asText(d, 'x.flows')} || ' flows; ' || ` +
          `'its outbound total of ' || ${mb('h.out_bytes')} || ' MB is ' || ${asText(d, z, 1)} || ' robust deviations above the internal hosts'' median' || ` +
          `CASE WHEN ${hasOwn} THEN ' and ' || ${asText(d, ratio, 1)} || ' times its own median of the last ' || ${asText(d, 'b.days')} || ' days' ELSE ' (no history of its own)' END`,
      })} FROM oa_exfil_pairs AS x JOIN oa_exfil_hosts AS h ON h.host = x.host CROSS JOIN (${peers}) AS p CROSS JOIN (${mad}) AS m ` +
      `LEFT JOIN (${own}) AS b ON b.host = x.host WHERE x.out_bytes >= ${num(o.minBytes)} AND least(${peerTerm}, ${ownTerm}) > 0`;
    await writeEvidence(ctx, table, sql);
  },
};
