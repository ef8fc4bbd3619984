import { z } from 'zod';
import type { Detector } from './detector.js';
import { asText, establishedFlow, evidenceSelect, intList, logRamp, num, ramp, round3, text, writeEvidence, writeNoEvidence } from './sql.js';
import { DAY_MS } from '../../shared/time.js';

/*
 * Lateral movement: internal → internal sessions on administrative ports (SMB, RDP, SSH, WinRM, RPC …) that got through
 * and carried data, from a source that does not usually reach that service of that host. Per (source, target, port):
 *
 *   rarity  = clamp(1 − (internal sources of target:port in the window − 1) / rareSources)
 *   novelty = 1 when the history (historyDays before the window) never saw source → target:port, seenWeight when it
 *             did; 1 without history
 *   pair    = rarity · novelty (the strongest port of the pair)
 * Per source, over its unusual pairs (pair ≥ 0.5): the new internal fan-out and the services used:
 *   fanOut   = ln(1 + unusual targets) / ln(1 + fullTargets), at most 1
 *   services = ramp(distinct admin ports of its unusual pairs, 1 → 4)
 * and of the pair itself, whether the sessions carried a payload or an interactive session rather than a banner:
 *   substance = ramp(log10(bytes of the pair's admin sessions), 3 → 5), i.e. 1 kB → 100 kB
 *   score     = round3(pair · (0.3 + 0.3 · fanOut + 0.2 · services + 0.2 · substance)), one row per source × target, pair > 0
 *
 * A file server that every workstation reaches over SMB is not rare; a workstation reaching other workstations over
 * SMB, WinRM and RDP is. Probes that never got through are the scan detectors' business.
 */

export const lateralMovementOptions = z.strictObject({
  ports: z
    .array(z.number().int().min(0).max(65535))
    .default([22, 23, 135, 139, 445, 3389, 5900, 5985, 5986])
    .meta({ description: 'Administrative TCP ports: SSH 22, Telnet 23, RPC 135, NetBIOS 139, SMB 445, RDP 3389, VNC 5900, WinRM 5985/5986.' }),
  rareSources: z.number().int().min(1).default(3).meta({ description: 'A target:port reached by this many internal sources or more in the window is not rare at all.' }),
  fullTargets: z.number().int().min(1).default(8).meta({ description: 'Unusual targets of one source at which the fan-out term reaches 1.' }),
  historyDays: z.number().int().min(0).max(90).default(7).meta({ description: 'Days before the window read from the lake to tell usual pairs from new ones; 0 turns it off.' }),
  seenWeight: z.number().min(0).max(1).default(0.2).meta({ description: 'Novelty of a pair the history already holds.' }),
});

export type LateralMovementOptions = z.infer<typeof lateralMovementOptions>;


export const lateralMovementDetector: Detector<LateralMovementOptions> = {
  name: 'lateral-movement',
  description: 'internal hosts reaching other internal hosts over administrative services they do not usually use',
  types: ['flow'],
  async run(ctx, o, table) {
    const flow = ctx.views.flow;
    if (!flow || !o.ports.length) return writeNoEvidence(ctx, table);
    const d = ctx.engine.dialect;
    const admin = (view: string) => `${view} AS f WHERE f.proto = 'TCP' AND f.dport IN (${intList(o.ports)}) AND f.sip <> f.dip AND ${establishedFlow('f')}`;
    await ctx.engine.run(
      `CREATE OR REPLACE TEMP TABLE oa_lateral_sessions AS SELECT f.sip, f.dip, f.dport, count(*) AS flows, sum(f.ibyt + coalesce(f.obyt, 0)) AS bytes, ` +
        `min(f.tstart) AS first_seen, max(f.tend) AS last_seen FROM ${admin(flow)} ` +
        `AND f.sip IN (SELECT ip FROM ${ctx.hosts} WHERE internal) AND f.dip IN (SELECT ip FROM ${ctx.hosts} WHERE internal) GROUP BY f.sip, f.dip, f.dport`,
    );
    let novelty = '1.0';
    let seenJoin = '';
    if (o.historyDays > 0) {
      const history = await ctx.engine.lakeView('flow', { from: ctx.range.from - o.historyDays * DAY_MS, to: ctx.range.from }, 'oa_lateral_history');
      if ((await ctx.engine.query(`SELECT 1 AS one FROM ${history} LIMIT 1`)).length) {
        seenJoin = `LEFT JOIN (SELECT DISTINCT f.sip, f.dip, f.dport FROM ${admin(history)}) AS h ON h.sip = s.sip AND h.dip = s.dip AND h.dport = s.dport`;
        novelty = `CASE WHEN h.sip IS NULL THEN 1.0 ELSE ${num(o.seenWeight)} END`;
      }
    }
    await ctx.engine.run(
      `CREATE OR REPLACE TEMP TABLE oa_lateral_ports AS SELECT s.*, c.sources, ${round3(`${ramp(`${num(o.rareSources)} - (c.sources - 1)`, 0, o.rareSources)} * ${novelty}`)} AS pair, ` +
        `${seenJoin ? 'h.sip IS NULL' : 'CAST(NULL AS BOOLEAN)'} AS is_new ` +
        `FROM oa_lateral_sessions AS s JOIN (SELECT dip, dport, count(DISTINCT sip) AS sources FROM oa_lateral_sessions GROUP BY dip, dport) AS c ` +
        `ON c.dip = s.dip AND c.dport = s.dport ${seenJoin}`,
    );
    const pairs =
      `SELECT sip, dip, max(pair) AS pair, sum(flows) AS flows, sum(bytes) AS bytes, min(first_seen) AS first_seen, max(last_seen) AS last_seen, ` +
      `min(sources) AS sources, ${d.listByDesc(text(d, 'dport'), 'pair', 10)} AS ports, max(CASE WHEN is_new THEN 1 ELSE 0 END) AS any_new ` +
      `FROM oa_lateral_ports GROUP BY sip, dip HAVING max(pair) > 0`;
    const sources =
      `SELECT sip, count(DISTINCT CASE WHEN pair >= 0.5 THEN dip END) AS unusual_targets, count(DISTINCT CASE WHEN pair >= 0.5 THEN dport END) AS services, ` +
      `count(DISTINCT dip) AS targets FROM oa_lateral_ports GROUP BY sip`;
    const substance = ramp('log10(greatest(p.bytes, 1))', 3, 5);
    const score = round3(`p.pair * (0.3 + 0.3 * ${logRamp('1 + u.unusual_targets', 1 + o.fullTargets)} + 0.2 * ${ramp('u.services', 1, 4)} + 0.2 * ${substance})`);
    const sql =
      `SELECT ${evidenceSelect(d, {
        detector: `'lateral-movement'`,
        type: `'flow'`,
        entity: 'p.sip',
        peer: 'p.dip',
        peer_kind: `'ip'`,
        window_start: 'p.first_seen',
        window_end: 'p.last_seen',
        events: 'p.flows',
        score,
        measures: d.jsonObject({
          ports: 'p.ports',
          flows: 'p.flows',
          bytes: 'p.bytes',
          pair: 'p.pair',
          substance: round3(substance),
          target_sources: 'p.sources',
          new_pair: seenJoin ? 'p.any_new = 1' : 'CAST(NULL AS BOOLEAN)',
          unusual_targets: 'u.unusual_targets',
          admin_targets: 'u.targets',
          services: 'u.services',
        }),
        explanation:
          `p.sip || ' reached ' || p.dip || ' on admin port(s) ' || ${d.joinList('p.ports', ', ')} || ' (' || ${asText(d, 'p.flows')} || ' sessions), a service of that host ' || ` +
          `CASE WHEN p.sources = 1 THEN 'no other internal host used' ELSE 'only ' || ${asText(d, 'p.sources')} || ' internal hosts used' END || ` +
          `${seenJoin ? `CASE WHEN p.any_new = 1 THEN ', never seen from it before' ELSE ', seen from it before' END || ` : ''}` +
          `'; it reached ' || ${asText(d, 'u.unusual_targets')} || ' such hosts over ' || ${asText(d, 'u.services')} || ' admin services'`,
      })} FROM (${pairs}) AS p JOIN (${sources}) AS u ON u.sip = p.sip`;
    await writeEvidence(ctx, table, sql);
  },
};
