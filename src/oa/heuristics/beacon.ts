import { z } from 'zod';
import type { Dialect } from '../../engine/index.js';
import { ConfigError } from '../../shared/errors.js';
import { beaconScore, type BeaconSettings } from './beacon-score.js';
import type { Detector, DetectorContext } from './detector.js';
import { dnsClientsOnly, evidenceSelect, num, writeEvidence } from './sql.js';

/*
 * Beaconing, scored as RITA v5 does (beacon-score.ts; formula in docs/oa.md), for three kinds of pair:
 *   flow   internal source → external address: flow start times and source bytes (ibyt); as RITA, traffic between two
 *          internal hosts is not analysed;
 *   dns    client → query name: response times and frame lengths (resolvers themselves are left out);
 *   proxy  client → host: request times and bytes sent (csbytes); a request carrying the uid of a flow (Zeek) counts
 *          as that connection, with its start and source bytes, as RITA scores proxied connections.
 * SQL gathers each pair's start times and sizes (pairs with at least 4 distinct seconds and fewer connections than a
 * strobe); the scores are computed per pair in TypeScript while the pairs stream, never holding more than one batch.
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
  strobeConnections: z.number().int().min(4).default(86_400).meta({ description: 'Pairs with this many connections or more are strobes (strobe detector), not scored as beacons, as in RITA.' }),
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
  if (dns) {
    out.push({
      type: 'dns', peerKind: 'fqdn', time: 'frame_time',
      events: `SELECT q.ip_dst AS entity, q.dns_qry_name AS peer, q.frame_time AS t, q.frame_len AS bytes FROM ${dns} AS q WHERE q.dns_qr AND q.dns_qry_name IS NOT NULL AND ${dnsClientsOnly(dns, 'q.ip_dst')}`,
    });
  }
  if (proxy) {
    // A request with the uid of a flow from the same sensor (Zeek) counts as that connection, as RITA counts proxied
    // connections: its start and the client's bytes; other requests count themselves, with the bytes they sent.
    const own = `SELECT q.clientip AS entity, q.host AS peer, q.ts AS t, coalesce(q.csbytes, 0) AS bytes FROM ${proxy} AS q WHERE q.host IS NOT NULL`;
    const events = flow
      ? `SELECT c.clientip AS entity, c.host AS peer, f.tstart AS t, f.ibyt AS bytes FROM (SELECT DISTINCT clientip, host, uid FROM ${proxy} WHERE host IS NOT NULL AND uid IS NOT NULL) AS c ` +
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
    const rows: (string | number | Date | null)[][] = [];
    for (const src of sources(ctx)) {
      const view = ctx.views[src.type]!;
      const [span] = await ctx.engine.query<{ lo: number | null; hi: number | null }>(
        `SELECT min(${seconds(d, 't')}) AS lo, max(${seconds(d, 't')}) AS hi FROM (SELECT ${src.time} AS t FROM ${view}` +
          (src.type === 'proxy' && ctx.views.flow ? ` UNION ALL SELECT tstart FROM ${ctx.views.flow}` : '') + `) AS x`,
      );
      if (span?.lo == null || span.hi == null || span.hi <= span.lo) continue;
      const pairs =
        `SELECT entity, peer, count(*) AS n, ${d.listByDesc('s', '-s')} AS ts, ${d.listByDesc('bytes', '-s')} AS sizes ` +
        `FROM (SELECT entity, peer, ${seconds(d, 't')} AS s, CAST(bytes AS DOUBLE) AS bytes FROM (${src.events}) AS e) AS x ` +
        `GROUP BY entity, peer HAVING count(DISTINCT s) >= 4 AND count(*) < ${num(o.strobeConnections)}`;
      for await (const batch of ctx.engine.stream<{ entity: string; peer: string; n: number; ts: number[]; sizes: number[] }>(pairs)) {
        for (const p of batch) {
          const ts = p.ts.map(Number);
          const s = beaconScore(ts, p.sizes.map(Number), Number(span.lo), Number(span.hi), settings);
          if (!s || s.score < o.minScore) continue;
          const first = Math.min(...ts);
          const last = Math.max(...ts);
          const measures = {
            connections: Number(p.n), ts_score: s.ts, ds_score: s.ds, hist_score: s.hist, dur_score: s.dur,
            ts_skew: round(s.tsSkew), ts_mad: s.tsMad, ds_skew: round(s.dsSkew), ds_mad: s.dsMad, interval_mode_s: s.tsMode, busy_hours: s.busyHours,
          };
          const explanation =
            `${p.entity} → ${p.peer}: ${p.n} ${src.type === 'flow' ? 'connections' : src.type === 'dns' ? 'lookups' : 'requests'} over ${hours(last - first)}, ` +
            `most often every ${s.tsMode} s, in ${s.busyHours} of 24 hourly bins (timestamps ${s.ts}, sizes ${s.ds}, histogram ${s.hist}, duration ${s.dur})`;
          rows.push(['beacon', src.type, p.entity, p.peer, src.peerKind, new Date(first * 1000), new Date(last * 1000), Number(p.n), s.score, JSON.stringify(measures), explanation]);
        }
      }
    }
    const cols = [
      ['detector', 'text'], ['type', 'text'], ['entity', 'text'], ['peer', 'text'], ['peer_kind', 'text'], ['window_start', 'timestamp'],
      ['window_end', 'timestamp'], ['events', 'bigint'], ['score', 'double'], ['measures', 'text'], ['explanation', 'text'],
    ] as const;
    await ctx.engine.registerTable('oa_beacon_found', cols.map(([name, type]) => ({ name, type })), rows);
    await writeEvidence(ctx, table, `SELECT ${evidenceSelect(d, Object.fromEntries(cols.map(([c]) => [c, c])) as Parameters<typeof evidenceSelect>[1])} FROM oa_beacon_found`);
  },
};

const round = (x: number) => Math.round(x * 1000) / 1000;
const hours = (s: number) => (s >= 3600 ? `${(s / 3600).toFixed(1)} h` : `${Math.round(s / 60)} min`);
