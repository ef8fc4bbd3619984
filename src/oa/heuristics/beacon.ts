import { z } from 'zod';
import { columnDecls, type Dialect, type SqlValue } from '../../engine/index.js';
import { evidence as evidenceTable, type TableDef } from '../../schema/index.js';
import { ConfigError } from '../../shared/errors.js';
import { beaconScore, leastBusyBins, type BeaconSettings } from './beacon-score.js';
import { HISTOGRAM_BINS, pairStatsSql, type PairStats } from './beacon-stats.js';
import type { Detector, DetectorContext } from './detector.js';
import { strobeThreshold } from './strobe.js';
import { dnsClientsOnly, evidenceSelect, num, writeEvidence } from './sql.js';

/*
 * Beaconing, scored as RITA v5 does (beacon-score.ts; formula in docs/oa.md), for four kinds of pair:
 *   flow   internal source → external address: flow start times and source bytes (ibyt); as RITA, traffic between two
 *          internal hosts is not analysed;
 *   flow   internal client → name: its flows to the external addresses DNS answers gave it for the name;
 *   dns    client → query name: response times and frame lengths (resolvers themselves are left out);
 *   proxy  client → host: request times and bytes sent (csbytes); a request carrying the uid of a flow (Zeek) counts
 *          as that connection, with its start and source bytes, as RITA scores proxied connections.
 * SQL reduces each pair's start times and sizes to their statistics (beacon-stats.ts: pairs with at least 4 distinct
 * seconds and fewer connections than a strobe); TypeScript finishes the score of each pair row as they stream.
 * The histogram spans the type's own first and last event in the window (for proxied connections, their flows' too),
 * as RITA spans its dataset.
 */

const unit = z.number().min(0).max(1);

export const beaconOptions = z.strictObject({
  tsWeight: unit.default(0.25).meta({ description: 'Weight of the timestamp score (RITA: 0.25); the four weights must sum to 1.' }),
  dsWeight: unit.default(0.25).meta({ description: 'Weight of the data size score (RITA: 0.25).' }),
  histWeight: unit.default(0.25).meta({ description: 'Weight of the hourly histogram score (RITA: 0.25).' }),
  durWeight: unit.default(0.25).meta({ description: 'Weight of the duration score (RITA: 0.25).' }),
  histModeSensitivity: unit.default(0.05).meta({ description: 'Histogram bars within this share of the tallest fall in one mode (RITA: 0.05).' }),
  histBimodalOutlierRemoval: z.number().int().min(0).default(1).meta({ description: 'Bars the bimodal fit may leave out (RITA: 1).' }),
  histBimodalMinHours: z.number().int().min(6).max(24).default(11).meta({ description: 'Busy hours from which the bimodal fit is tried (RITA: 11).' }),
  durMinHours: z.number().int().min(1).max(24).default(6).meta({ description: 'Busy hours from which the duration score counts (RITA: 6).' }),
  durIdealNumberOfConsistentHours: z.number().int().min(1).max(24).default(12).meta({ description: 'Consecutive busy hours that make consistency 1 (RITA: 12).' }),
  minScore: unit.default(0.7).meta({ description: 'Pairs scoring below this write no evidence.' }),
  strobeConnections: z.number().int().min(4).default(86_400).meta({ description: 'Pairs with this many connections a day or more (scaled to the window, as the strobe detector scales its perDay) are strobes, not scored as beacons, as in RITA.' }),
});

export type BeaconOptions = z.infer<typeof beaconOptions>;

interface PairSource {
  readonly type: 'flow' | 'dns' | 'proxy';
  readonly peerKind: 'ip' | 'fqdn';
  /** SELECT entity, peer, t (timestamp), bytes FROM … */
  readonly events: string;
  readonly time: string;
}

function sources(ctx: DetectorContext): PairSource[] {
  const { flow, dns, proxy } = ctx.views;
  const out: PairSource[] = [];
  if (flow) {
    out.push({
      type: 'flow', peerKind: 'ip', time: 'tstart',
      events:
        `SELECT f.sip AS entity, f.dip AS peer, f.tstart AS t, f.ibyt AS bytes FROM ${flow} AS f JOIN ${ctx.hosts} AS h ON h.ip = f.sip AND h.internal ` +
        `JOIN ${ctx.hosts} AS p ON p.ip = f.dip AND NOT p.internal`,
    });
  }
  if (flow && dns) {
    // Client → name: flows from an internal client to any external address that client was given for the name in a
    // DNS answer in the window (RITA's FQDN beacons), so a C2 behind rotating addresses is still one pair.
    const answered =
      `SELECT r.ip_dst AS client, lower(r.dns_qry_name) AS fqdn, ${ctx.engine.dialect.unnestList('r.dns_answers')} AS ip ` +
      `FROM ${dns} AS r WHERE r.dns_qr AND r.dns_qry_name IS NOT NULL AND r.dns_answers IS NOT NULL`;
    out.push({
      type: 'flow', peerKind: 'fqdn', time: 'tstart',
      events:
        `SELECT f.sip AS entity, a.fqdn AS peer, f.tstart AS t, f.ibyt AS bytes FROM ${flow} AS f ` +
        `JOIN (SELECT DISTINCT client, fqdn, ip FROM (${answered}) AS u) AS a ON a.client = f.sip AND a.ip = f.dip ` +
        `JOIN ${ctx.hosts} AS h ON h.ip = f.sip AND h.internal JOIN ${ctx.hosts} AS p ON p.ip = f.dip AND NOT p.internal`,
    });
  }
  if (dns) {
    out.push({
      type: 'dns', peerKind: 'fqdn', time: 'frame_time',
      events: `SELECT q.ip_dst AS entity, lower(q.dns_qry_name) AS peer, q.frame_time AS t, q.frame_len AS bytes FROM ${dns} AS q WHERE q.dns_qr AND q.dns_qry_name IS NOT NULL AND ${dnsClientsOnly(dns, 'q.ip_dst')}`,
    });
  }
  if (proxy) {
    // A request with the uid of a flow from the same sensor (Zeek) counts as that connection, as RITA counts proxied
    // connections: its start and the client's bytes; other requests count themselves, with the bytes they sent.
    const own = `SELECT q.clientip AS entity, lower(q.host) AS peer, q.ts AS t, coalesce(q.csbytes, 0) AS bytes FROM ${proxy} AS q WHERE q.host IS NOT NULL`;
    const events = flow
      ? `SELECT c.clientip AS entity, lower(c.host) AS peer, f.tstart AS t, f.ibyt AS bytes FROM (SELECT DISTINCT clientip, host, uid FROM ${proxy} WHERE host IS NOT NULL AND uid IS NOT NULL) AS c ` +
        `JOIN ${flow} AS f ON f.uid = c.uid UNION ALL ${own} AND (q.uid IS NULL OR q.uid NOT IN (SELECT uid FROM ${flow} WHERE uid IS NOT NULL))`
      : own;
    out.push({ type: 'proxy', peerKind: 'fqdn', time: 'ts', events });
  }
  return out;
}

const seconds = (d: Dialect, t: string) => `CAST(floor(${d.epochMicros(t)} / 1000000) AS BIGINT)`;

export const beaconDetector: Detector<BeaconOptions> = {
  name: 'beacon',
  description: "periodic connections from a host to an address, a name or a web host, scored as RITA v5's beacon analysis",
  types: ['flow', 'dns', 'proxy'],
  async run(ctx, o, table) {
    const d = ctx.engine.dialect;
    const settings: BeaconSettings = o;
    const weights = o.tsWeight + o.dsWeight + o.histWeight + o.durWeight;
    if (Math.abs(weights - 1) > 1e-9) throw new ConfigError(`oa.detectors.beacon: tsWeight + dsWeight + histWeight + durWeight is ${weights}, it must be 1`);
    const found: Record<string, SqlValue>[] = [];
    const minBusy = leastBusyBins(settings, o.minScore, HISTOGRAM_BINS);
    for (const src of sources(ctx)) {
      const view = ctx.views[src.type]!;
      const [span] = await ctx.engine.query<{ lo: number | null; hi: number | null }>(
        `SELECT min(${seconds(d, 't')}) AS lo, max(${seconds(d, 't')}) AS hi FROM (SELECT ${src.time} AS t FROM ${view}` +
          (src.type === 'proxy' && ctx.views.flow ? ` UNION ALL SELECT tstart FROM ${ctx.views.flow}` : '') + `) AS x`,
      );
      if (span?.lo == null || span.hi == null || span.hi <= span.lo) continue;
      const lo = Number(span.lo);
      const hi = Number(span.hi);
      for await (const batch of ctx.engine.stream<PairStats>(pairStatsSql(d, src.events, lo, hi, Math.max(4, strobeThreshold(o.strobeConnections, ctx.range)), minBusy))) {
        for (const p of batch) {
          const s = beaconScore(p, lo, hi, settings);
          if (s.score < o.minScore) continue;
          const first = Number(p.first_s);
          const last = Number(p.last_s);
          const measures = {
            connections: Number(p.n), ts_score: s.ts, ds_score: s.ds, hist_score: s.hist, dur_score: s.dur,
            ts_skew: round(s.tsSkew), ts_mad: s.tsMad, ds_skew: round(s.dsSkew), ds_mad: s.dsMad, interval_mode_s: s.tsMode, busy_hours: s.busyHours,
          };
          const explanation =
            `${p.entity} → ${p.peer}: ${p.n} ${src.type === 'flow' ? 'connections' : src.type === 'dns' ? 'lookups' : 'requests'} over ${hours(last - first)}, ` +
            `most often every ${s.tsMode} s, in ${s.busyHours} of 24 hourly bins (timestamps ${s.ts}, sizes ${s.ds}, histogram ${s.hist}, duration ${s.dur})`;
          found.push({
            detector: 'beacon', type: src.type, entity: p.entity, peer: p.peer, peer_kind: src.peerKind, window_start: new Date(first * 1000),
            window_end: new Date(last * 1000), events: Number(p.n), score: s.score, measures: JSON.stringify(measures), explanation,
          });
        }
      }
    }
    // The scored pairs (those at or above minScore only), as evidence columns declared from the schema.
    const columns = columnDecls(evidence);
    await ctx.engine.registerTable('oa_beacon_found', columns, found.map((f) => columns.map((c) => f[c.name] ?? null)));
    const select = Object.fromEntries(evidence.columnNames.map((c) => [c, c])) as Parameters<typeof evidenceSelect>[1];
    await writeEvidence(ctx, table, `SELECT ${evidenceSelect(d, select)} FROM oa_beacon_found`);
  },
};

const evidence: TableDef = evidenceTable;
const round = (x: number) => Math.round(x * 1000) / 1000;
const hours = (s: number) => (s >= 3600 ? `${(s / 3600).toFixed(1)} h` : `${Math.round(s / 60)} min`);
