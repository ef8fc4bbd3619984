import { z } from 'zod';
import type { Detector } from './detector.js';
import { asText, evidenceSelect, num, ramp, round3, writeEvidence, writeNoEvidence } from './sql.js';

/*
 * Phishing: a client visiting a rarely used web host that looks like a credential lure. Per client × host, over hosts
 * that at most `maxClients` clients use in the window:
 *
 *   verdict    = 1 when the proxy itself classed or blocked the host as phishing or malicious (categories, filter result)
 *   credential = 1 when the client POSTed to the host after loading a page of it (the form of a login page)
 *   lure       = 1 when the host name carries login or brand words (`lureWords`) below its registered domain
 *   path       = ramp(Shannon entropy of the URI path's first segment, 3.5 → 4.5 bits) when it is ≥ 16 characters:
 *                the random token kits put in a lure's URL
 *   referred   = 1 when a page of the host was opened from webmail (`mailReferers`)
 *   score      = round3(max(verdict, min(1, 0.35·credential + 0.25·lure + 0.25·path + 0.15·referred)))
 *
 * A rare site with none of those traits scores 0 and writes nothing.
 */

export const phishingOptions = z.strictObject({
  maxClients: z.number().int().min(1).default(3).meta({ description: 'Hosts used by more clients than this in the window are not examined.' }),
  lureWords: z
    .array(z.string().regex(/^[a-z0-9-]+$/))
    .default(['login', 'logon', 'signin', 'sign-in', 'account', 'verify', 'secure', 'auth', 'password', 'microsoftonline', 'office365', 'outlook', 'paypal', 'apple', 'banking'])
    .meta({ description: 'Words that make a host name a lure when they appear below its registered domain.' }),
  mailReferers: z
    .array(z.string())
    .default(['outlook.office365.com', 'outlook.office.com', 'outlook.live.com', 'mail.google.com', 'mail.yahoo.com'])
    .meta({ description: 'Webmail hosts: a visit referred by one came from a link in a message.' }),
  minScore: z.number().min(0).max(1).default(0.25).meta({ description: 'Findings scoring below this are not written.' }),
});

export type PhishingOptions = z.infer<typeof phishingOptions>;

export const phishingDetector: Detector<PhishingOptions> = {
  name: 'phishing',
  description: 'visits to rarely used web hosts that look like credential lures: login words, random paths, a form posted, a proxy verdict',
  types: ['proxy'],
  async run(ctx, o, table) {
    const proxy = ctx.views.proxy;
    if (!proxy) return writeNoEvidence(ctx, table);
    const d = ctx.engine.dialect;
    const segment = `CASE WHEN instr(substr(q.uripath, 2), '/') > 0 THEN substr(q.uripath, 2, instr(substr(q.uripath, 2), '/') - 1) ELSE substr(q.uripath, 2) END`;
    const verdict = `(lower(coalesce(q.webcat, '')) LIKE '%phish%' OR lower(coalesce(q.webcat, '')) LIKE '%malicious%' OR lower(coalesce(q.exceptionid, '')) LIKE '%phish%')`;
    const words = o.lureWords.map((w) => `instr(lower(coalesce(n.subdomain, '')), ${d.string(w)}) > 0`).join(' OR ') || 'false';
    const mail = o.mailReferers.map((r) => `instr(lower(coalesce(q.referer, '')), ${d.string(`//${r}`)}) > 0`).join(' OR ') || 'false';
    await ctx.engine.run(
      `CREATE OR REPLACE TEMP TABLE oa_phish_rows AS SELECT q.clientip, q.host, q.ts, q.reqmethod, ${segment} AS segment, ` +
        `CASE WHEN ${verdict} THEN 1 ELSE 0 END AS verdict, CASE WHEN ${mail} THEN 1 ELSE 0 END AS referred, CASE WHEN ${words} THEN 1 ELSE 0 END AS lure ` +
        `FROM ${proxy} AS q LEFT JOIN ${ctx.names} AS n ON n.name = q.host ` +
        `WHERE q.host IN (SELECT host FROM ${proxy} GROUP BY host HAVING count(DISTINCT clientip) <= ${o.maxClients})`,
    );
    const pathScore = `CASE WHEN length(p.segment) >= 16 THEN ${ramp(d.stringEntropy('p.segment'), 3.5, 4.5)} ELSE 0 END`;
    const pairs =
      `SELECT clientip, host, count(*) AS requests, min(ts) AS first_seen, max(ts) AS last_seen, max(verdict) AS verdict, max(referred) AS referred, ` +
      `max(lure) AS lure, max(path) AS path, max(segment) AS segment, ` +
      `CASE WHEN min(CASE WHEN reqmethod = 'GET' THEN ts END) < max(CASE WHEN reqmethod = 'POST' THEN ts END) THEN 1 ELSE 0 END AS credential ` +
      `FROM (SELECT p.*, ${pathScore} AS path FROM oa_phish_rows AS p) AS x GROUP BY clientip, host`;
    const score = round3(`greatest(h.verdict, least(1.0, 0.35 * h.credential + 0.25 * h.lure + 0.25 * h.path + 0.15 * h.referred))`);
    const traits = [
      [`h.verdict = 1`, `'the proxy classed it as phishing'`],
      [`h.credential = 1`, `'a form was posted after the page loaded'`],
      [`h.lure = 1`, `'its name carries login or brand words'`],
      [`h.path >= 0.5`, `'its path starts with a random token (' || h.segment || ')'`],
      [`h.referred = 1`, `'it was opened from webmail'`],
    ];
    const because = `concat_ws('; ', ${traits.map(([when, what]) => `CASE WHEN ${when} THEN ${what} END`).join(', ')})`;
    const sql =
      `SELECT * FROM (SELECT ${evidenceSelect(d, {
        detector: `'phishing'`,
        type: `'proxy'`,
        entity: 'h.clientip',
        peer: 'h.host',
        peer_kind: `'fqdn'`,
        window_start: 'h.first_seen',
        window_end: 'h.last_seen',
        events: 'h.requests',
        score,
        measures: d.jsonObject({ verdict: 'h.verdict', credential: 'h.credential', lure: 'h.lure', path: `round(h.path, 3)`, referred: 'h.referred', requests: 'h.requests' }),
        explanation: `h.clientip || ' visited ' || h.host || ', a site at most ' || ${asText(d, num(o.maxClients))} || ' clients use (' || ${asText(d, 'h.requests')} || ' requests): ' || ${because}`,
      })} FROM (${pairs}) AS h) AS e WHERE e.score >= ${num(o.minScore)}`;
    await writeEvidence(ctx, table, sql);
  },
};
