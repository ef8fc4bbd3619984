import { z } from 'zod';
import { DNS_CLIENT } from '../peer-stats.js';
import type { Detector } from './detector.js';
import { asText, dnsClientsOnly, evidenceSelect, intList, logRamp, num, ramp, round3, writeEvidence, writeNoEvidence } from './sql.js';

/*
 * DNS tunnelling per client × registered domain (Public Suffix List, from the runner's names table). A tunnel carries
 * data in the query names (many unique, long, random subdomains under one domain) and in the answers (TXT, NULL, CNAME,
 * MX records, large packets). Over the window:
 *
 *   volume  = min(1, ln(unique subdomains) / ln(fullSubdomains))
 *   entropy = ramp(mean Shannon entropy of the unique subdomains, 2.5 → 4 bits)
 *   length  = ramp(mean length of the unique subdomains, 10 → 50 characters)
 *   records = share of the queries of a tunnel type (tunnelTypes: TXT, NULL, CNAME, MX)
 *   size    = ramp(mean frame length of the pair's packets, 100 → 400 bytes)
 *   score   = round3(volume · (0.3·entropy + 0.3·length + 0.2·records + 0.2·size)), kept from minSubdomains
 */

export const dnsTunnellingOptions = z.strictObject({
  minSubdomains: z.number().int().min(2).default(50).meta({ description: 'Least unique subdomains of one registered domain asked by one client.' }),
  fullSubdomains: z.number().int().min(3).default(1000).meta({ description: 'Unique subdomains at which volume reaches 1.' }),
  tunnelTypes: z
    .array(z.number().int().min(0).max(65535))
    .default([5, 10, 15, 16])
    .meta({ description: 'Query types that carry tunnel data in their answers: CNAME 5, NULL 10, MX 15, TXT 16 (dnscat2, iodine).' }),
});

export type DnsTunnellingOptions = z.infer<typeof dnsTunnellingOptions>;

export const dnsTunnellingDetector: Detector<DnsTunnellingOptions> = {
  name: 'dns-tunnelling',
  description: 'DNS clients sending many unique, long, random subdomains of one domain, with TXT/NULL/CNAME answers and large packets',
  types: ['dns'],
  async run(ctx, o, table) {
    const dns = ctx.views.dns;
    if (!dns) return writeNoEvidence(ctx, table);
    const d = ctx.engine.dialect;
    // Queries and responses both count for size; the query volume is the larger of the two directions, so captures
    // with only responses (Spot's) or only queries measure the same.
    const rows =
      `SELECT ${DNS_CLIENT} AS client, n.registered AS domain, lower(n.subdomain) AS subdomain, q.dns_qr AS response, q.dns_qry_type AS qtype, q.frame_len, q.frame_time ` +
      `FROM ${dns} AS q JOIN ${ctx.names} AS n ON n.name = q.dns_qry_name WHERE n.registered IS NOT NULL AND n.subdomain <> '' AND ${dnsClientsOnly(dns, DNS_CLIENT)}`;
    await ctx.engine.run(`CREATE OR REPLACE TEMP TABLE oa_tunnel_rows AS ${rows}`);
    const pairs =
      `SELECT client, domain, count(DISTINCT subdomain) AS subdomains, sum(CASE WHEN response THEN 0 ELSE 1 END) AS queries, sum(CASE WHEN response THEN 1 ELSE 0 END) AS responses, ` +
      `sum(CASE WHEN qtype IN (${intList(o.tunnelTypes)}) THEN 1 ELSE 0 END) AS tunnel_type_rows, count(*) AS packets, avg(frame_len) AS frame_len, sum(frame_len) AS bytes, ` +
      `min(frame_time) AS first_seen, max(frame_time) AS last_seen FROM oa_tunnel_rows GROUP BY client, domain HAVING count(DISTINCT subdomain) >= ${num(o.minSubdomains)}`;
    const shapes =
      `SELECT u.client, u.domain, avg(${d.stringEntropy('u.subdomain')}) AS entropy, avg(length(u.subdomain)) AS length, max(length(u.subdomain)) AS max_length, ` +
      `${d.listByDesc('u.subdomain', 'length(u.subdomain)', 3)} AS sample ` +
      `FROM (SELECT DISTINCT r.client, r.domain, r.subdomain FROM oa_tunnel_rows AS r JOIN (${pairs}) AS p ON p.client = r.client AND p.domain = r.domain) AS u GROUP BY u.client, u.domain`;
    const queries = 'greatest(p.queries, p.responses)';
    const records = `CAST(p.tunnel_type_rows AS DOUBLE) / p.packets`;
    const sql =
      `SELECT ${evidenceSelect(d, {
        detector: `'dns-tunnelling'`,
        type: `'dns'`,
        entity: 'p.client',
        peer: 'p.domain',
        peer_kind: `'domain'`,
        window_start: 'p.first_seen',
        window_end: 'p.last_seen',
        events: queries,
        score: round3(
          `${logRamp('p.subdomains', o.fullSubdomains)} * (0.3 * ${ramp('s.entropy', 2.5, 4)} + 0.3 * ${ramp('s.length', 10, 50)} + 0.2 * ${records} + 0.2 * ${ramp('p.frame_len', 100, 400)})`,
        ),
        measures: d.jsonObject({
          unique_subdomains: 'p.subdomains',
          queries,
          entropy: round3('s.entropy'),
          mean_length: 'round(s.length, 1)',
          max_length: 's.max_length',
          tunnel_type_share: round3(records),
          bytes_per_packet: 'round(p.frame_len, 1)',
          bytes: 'p.bytes',
          sample: 's.sample',
        }),
        explanation:
          `p.client || ' asked for ' || ${asText(d, 'p.subdomains')} || ' unique subdomains of ' || p.domain || ' (' || ${asText(d, queries)} || ' queries): mean length ' || ` +
          `${asText(d, 's.length')} || ', entropy ' || ${asText(d, 's.entropy', 2)} || ' bits, ' || ${asText(d, `100 * ${records}`)} || '% TXT/NULL/CNAME/MX, ' || ` +
          `coalesce(${asText(d, 'p.frame_len')} || ' bytes per packet', 'packet sizes unknown')`,
      })} FROM (${pairs}) AS p JOIN (${shapes}) AS s ON s.client = p.client AND s.domain = p.domain`;
    await writeEvidence(ctx, table, sql);
  },
};
