import { z } from 'zod';
import { DNS_CLIENT } from '../peer-stats.js';
import type { Detector } from './detector.js';
import { asText, dnsClientsOnly, evidenceSelect, firstLabel, logRamp, num, ramp, round3, writeEvidence, writeNoEvidence } from './sql.js';

/*
 * DGA and NXDOMAIN bursts per DNS client. Malware with a domain generation algorithm asks for many generated names
 * in a short time and nearly all fail; misconfigurations fail too, but on one or two names or one search suffix. Per
 * client over the window (responses only: the rcode is in them):
 *
 *   volume     = min(1, ln(distinct registered domains that failed) / ln(fullDomains))
 *   burstShare = NXDOMAIN / responses in the client's busiest burst bucket (most NXDOMAIN, burstMinutes wide)
 *   randomness = ramp(mean Shannon entropy of the failed domains' first label, 2.5 → 3.5 bits)
 *   score      = round3(volume · (0.5 + 0.25 · burstShare + 0.25 · randomness)), kept from minFailedDomains
 *
 * Registered domains come from the Public Suffix List (the runner's names table); a name without one counts itself.
 */

export const dgaOptions = z.strictObject({
  minFailedDomains: z.number().int().min(1).default(10).meta({ description: 'Least distinct registered domains answered NXDOMAIN to one client (Slips alerts from 10 NXDOMAIN).' }),
  fullDomains: z.number().int().min(2).default(100).meta({ description: 'Distinct failed registered domains at which volume reaches 1.' }),
  burstMinutes: z.number().int().min(1).max(1440).default(10).meta({ description: 'Width of the buckets in which the NXDOMAIN burst is measured, minutes.' }),
});

export type DgaOptions = z.infer<typeof dgaOptions>;

const NXDOMAIN = 3;

export const dgaDetector: Detector<DgaOptions> = {
  name: 'dga',
  description: 'DNS clients whose queries for many distinct, random-looking domains fail with NXDOMAIN in bursts',
  types: ['dns'],
  async run(ctx, o, table) {
    const dns = ctx.views.dns;
    if (!dns) return writeNoEvidence(ctx, table);
    const d = ctx.engine.dialect;
    const bucketMicros = o.burstMinutes * 60_000_000;
    await ctx.engine.run(
      `CREATE OR REPLACE TEMP TABLE oa_dga_responses AS SELECT ${DNS_CLIENT} AS client, q.frame_time, q.dns_qry_rcode = ${NXDOMAIN} AS nx, ` +
        `lower(coalesce(n.registered, q.dns_qry_name)) AS domain, q.dns_qry_name AS name, ` +
        `CAST(floor(${d.epochMicros('q.frame_time')} / ${num(bucketMicros)}) AS BIGINT) AS bucket ` +
        `FROM ${dns} AS q LEFT JOIN ${ctx.names} AS n ON n.name = q.dns_qry_name WHERE q.dns_qr AND q.dns_qry_name IS NOT NULL AND ${dnsClientsOnly(dns, DNS_CLIENT)}`,
    );
    const perClient =
      `SELECT client, count(*) AS responses, sum(CASE WHEN nx THEN 1 ELSE 0 END) AS nxdomain, count(DISTINCT CASE WHEN nx THEN lower(name) END) AS failed_names, ` +
      `count(DISTINCT CASE WHEN nx THEN domain END) AS failed_domains, min(CASE WHEN nx THEN frame_time END) AS first_seen, max(CASE WHEN nx THEN frame_time END) AS last_seen ` +
      `FROM oa_dga_responses GROUP BY client HAVING count(DISTINCT CASE WHEN nx THEN domain END) >= ${num(o.minFailedDomains)}`;
    const failed = `SELECT DISTINCT r.client, r.domain FROM oa_dga_responses AS r JOIN (${perClient}) AS c ON c.client = r.client WHERE r.nx`;
    const randomness =
      `SELECT client, avg(${d.stringEntropy(firstLabel('domain'))}) AS entropy, avg(length(${firstLabel('domain')})) AS label_length, ` +
      `${d.listByDesc('domain', d.stringEntropy(firstLabel('domain')), 5)} AS sample FROM (${failed}) AS f GROUP BY client`;
    const buckets =
      `SELECT client, bucket, count(*) AS responses, sum(CASE WHEN nx THEN 1 ELSE 0 END) AS nx, ` +
      `row_number() OVER (PARTITION BY client ORDER BY sum(CASE WHEN nx THEN 1 ELSE 0 END) DESC, bucket) AS k FROM oa_dga_responses GROUP BY client, bucket`;
    const burstShare = 'CAST(b.nx AS DOUBLE) / b.responses';
    const sql =
      `SELECT ${evidenceSelect(d, {
        detector: `'dga'`,
        type: `'dns'`,
        entity: 'c.client',
        peer: 'NULL',
        peer_kind: `'none'`,
        window_start: 'c.first_seen',
        window_end: 'c.last_seen',
        events: 'c.nxdomain',
        score: round3(`${logRamp('c.failed_domains', o.fullDomains)} * (0.5 + 0.25 * ${burstShare} + 0.25 * ${ramp('e.entropy', 2.5, 3.5)})`),
        measures: d.jsonObject({
          responses: 'c.responses',
          nxdomain: 'c.nxdomain',
          nxdomain_ratio: round3('CAST(c.nxdomain AS DOUBLE) / c.responses'),
          failed_names: 'c.failed_names',
          failed_domains: 'c.failed_domains',
          entropy: round3('e.entropy'),
          label_length: 'round(e.label_length, 1)',
          burst_start: d.fromEpochMicros(`b.bucket * ${num(bucketMicros)}`),
          burst_minutes: num(o.burstMinutes),
          burst_nxdomain: 'b.nx',
          burst_ratio: round3(burstShare),
          sample: 'e.sample',
        }),
        explanation:
          `c.client || ' got NXDOMAIN for ' || ${asText(d, 'c.failed_domains')} || ' distinct domains (' || ${asText(d, 'c.nxdomain')} || ' of ' || ${asText(d, 'c.responses')} || ` +
          `' answers), ' || ${asText(d, 'b.nx')} || ' of them within ${o.burstMinutes} minutes; mean label entropy ' || ${asText(d, 'e.entropy', 2)} || ' bits, e.g. ' || ${d.joinList('e.sample', ', ')}`,
      })} FROM (${perClient}) AS c JOIN (${randomness}) AS e ON e.client = c.client JOIN (${buckets}) AS b ON b.client = c.client AND b.k = 1`;
    await writeEvidence(ctx, table, sql);
  },
};
