import { z } from 'zod';
import type { Detector } from './detector.js';
import { asText, evidenceSelect, num, ramp, round3, writeEvidence, writeNoEvidence } from './sql.js';

/*
 * Rare user agents (RITA's "rare signature"): a user agent that very few clients of the proxy send is a tool, a
 * script or malware rather than the fleet's browsers. Per client × user agent seen from at most maxClients clients,
 * when the window has at least minPopulation clients (rarity means nothing in a tiny population):
 *
 *   rarity = (maxClients + 1 − clients of the agent) / maxClients      (1 for an agent only one client sends)
 *   focus  = 1 − ramp(distinct hosts it asked, 1 → fullHosts)         (malware talks to few hosts, a browser to many)
 *   score  = round3(rarity · (0.6 + 0.4 · focus))
 *
 * A missing user agent (NULL, "" or "-") counts as the agent "-": rare too when only a few clients send none.
 * Peer: the host the client asked most with that agent.
 */

export const rareUseragentOptions = z.strictObject({
  maxClients: z.number().int().min(1).default(3).meta({ description: 'A user agent sent by more clients than this is not rare.' }),
  minPopulation: z.number().int().min(1).default(10).meta({ description: 'Least distinct proxy clients in the window for rarity to mean anything.' }),
  fullHosts: z.number().int().min(2).default(10).meta({ description: 'Distinct hosts at which the focus term falls to 0.' }),
});

export type RareUseragentOptions = z.infer<typeof rareUseragentOptions>;

export const rareUseragentDetector: Detector<RareUseragentOptions> = {
  name: 'rare-useragent',
  description: 'proxy clients sending a user agent that almost no other client sends',
  types: ['proxy'],
  async run(ctx, o, table) {
    const proxy = ctx.views.proxy;
    if (!proxy) return writeNoEvidence(ctx, table);
    const d = ctx.engine.dialect;
    const ua = `CASE WHEN q.useragent IS NULL OR trim(q.useragent) IN ('', '-') THEN '-' ELSE q.useragent END`;
    const population = `(SELECT count(DISTINCT clientip) FROM ${proxy})`;
    await ctx.engine.run(
      `CREATE OR REPLACE TEMP TABLE oa_rare_ua AS SELECT ua, clients FROM (SELECT ${ua} AS ua, count(DISTINCT q.clientip) AS clients FROM ${proxy} AS q GROUP BY ${ua}) AS a ` +
        `WHERE a.clients <= ${num(o.maxClients)} AND ${population} >= ${num(o.minPopulation)}`,
    );
    const perHost =
      `SELECT q.clientip, r.ua, q.host, count(*) AS requests, sum(coalesce(q.scbytes, 0) + coalesce(q.csbytes, 0)) AS bytes, min(q.ts) AS first_seen, max(q.ts) AS last_seen, ` +
      `row_number() OVER (PARTITION BY q.clientip, r.ua ORDER BY count(*) DESC, q.host) AS k ` +
      `FROM ${proxy} AS q JOIN oa_rare_ua AS r ON r.ua = ${ua} GROUP BY q.clientip, r.ua, q.host`;
    const pairs =
      `SELECT clientip, ua, count(*) AS hosts, sum(requests) AS requests, sum(bytes) AS bytes, min(first_seen) AS first_seen, max(last_seen) AS last_seen, ` +
      `max(CASE WHEN k = 1 THEN host END) AS top_host FROM (${perHost}) AS h GROUP BY clientip, ua`;
    const rarity = `CAST(${num(o.maxClients + 1)} - r.clients AS DOUBLE) / ${num(o.maxClients)}`;
    const focus = `(1.0 - ${ramp('p.hosts', 1, o.fullHosts)})`;
    const sql =
      `SELECT ${evidenceSelect(d, {
        detector: `'rare-useragent'`,
        type: `'proxy'`,
        entity: 'p.clientip',
        peer: 'p.top_host',
        peer_kind: `'fqdn'`,
        window_start: 'p.first_seen',
        window_end: 'p.last_seen',
        events: 'p.requests',
        score: round3(`${rarity} * (0.6 + 0.4 * ${focus})`),
        measures: d.jsonObject({ useragent: 'p.ua', clients: 'r.clients', population, requests: 'p.requests', hosts: 'p.hosts', bytes: 'p.bytes' }),
        explanation:
          `p.clientip || ' sent the user agent "' || p.ua || '", which ' || CASE WHEN r.clients = 1 THEN 'no other client sends' ` +
          `ELSE 'only ' || ${asText(d, 'r.clients')} || ' of ' || ${asText(d, population)} || ' clients send' END || ', in ' || ${asText(d, 'p.requests')} || ' requests to ' || ${asText(d, 'p.hosts')} || ` +
          `' host(s), most to ' || p.top_host`,
      })} FROM (${pairs}) AS p JOIN oa_rare_ua AS r ON r.ua = p.ua`;
    await writeEvidence(ctx, table, sql);
  },
};
