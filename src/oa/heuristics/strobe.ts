import { z } from 'zod';
import { DAY_MS } from '../../shared/time.js';
import type { Detector, DetectorContext } from './detector.js';
import { asText, evidenceSelect, num, round3, writeEvidence, writeNoEvidence } from './sql.js';

/*
 * Strobes, as RITA calls them: a pair with so many connections in the window that timing analysis means nothing
 * (RITA: 86,400 a day, one a second). They are not scored as beacons; this detector reports them:
 *
 *   score = round3(min(1, 0.5 + 0.5 · log10(connections / threshold)))   for connections ≥ threshold
 *
 * The threshold scales with the window: `perDay` × window hours / 24.
 */

export const strobeOptions = z.strictObject({
  perDay: z.number().int().min(100).default(86_400).meta({ description: 'Connections per day from which a pair is a strobe (RITA: 86,400); scaled to the window.' }),
});

export type StrobeOptions = z.infer<typeof strobeOptions>;

/** Connections in the window from which a pair is a strobe: `perDay` scaled to the window's length. */
export function strobeThreshold(perDay: number, range: DetectorContext['range']): number {
  return Math.max(1, Math.round((perDay * (range.to - range.from)) / DAY_MS));
}

export const strobeDetector: Detector<StrobeOptions> = {
  name: 'strobe',
  description: 'pairs with a connection a second or more: a strobe, too dense for beacon timing',
  types: ['flow'],
  async run(ctx, o, table) {
    const flow = ctx.views.flow;
    if (!flow) return writeNoEvidence(ctx, table);
    const d = ctx.engine.dialect;
    const threshold = strobeThreshold(o.perDay, ctx.range);
    const pairs =
      `SELECT f.sip, f.dip, count(*) AS n, count(DISTINCT f.dport) AS ports, sum(f.ibyt) AS bytes, min(f.tstart) AS first_seen, max(f.tstart) AS last_seen ` +
      `FROM ${flow} AS f JOIN ${ctx.hosts} AS h ON h.ip = f.sip AND h.internal GROUP BY f.sip, f.dip HAVING count(*) >= ${num(threshold)}`;
    const sql =
      `SELECT ${evidenceSelect(d, {
        detector: `'strobe'`,
        type: `'flow'`,
        entity: 'p.sip',
        peer: 'p.dip',
        peer_kind: `'ip'`,
        window_start: 'p.first_seen',
        window_end: 'p.last_seen',
        events: 'p.n',
        score: round3(`least(1.0, 0.5 + 0.5 * log10(CAST(p.n AS DOUBLE) / ${num(threshold)}))`),
        measures: d.jsonObject({ connections: 'p.n', threshold: num(threshold), ports: 'p.ports', bytes: 'p.bytes' }),
        explanation: `p.sip || ' opened ' || ${asText(d, 'p.n')} || ' connections to ' || p.dip || ' (a strobe from ' || ${asText(d, num(threshold))} || ' in the window)'`,
      })} FROM (${pairs}) AS p`;
    await writeEvidence(ctx, table, sql);
  },
};
