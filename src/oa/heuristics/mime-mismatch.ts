import { z } from 'zod';
import type { Detector } from './detector.js';
import { contentClass, extensionClass, pathExtension, verdicts } from './mime-mismatch-types.js';
import { asText, evidenceSelect, num, round3, writeEvidence, writeNoEvidence } from './sql.js';

/*
 * MIME / extension mismatch on successful proxy responses (2xx, or no status): the URI's extension (cs-uri-extension,
 * else the path's last segment) and the declared Content-Type are each put in a class (mime-mismatch-types.ts), and
 * the pair judged:
 *
 *   program (executable or script) served as image, media, document, text or web content   → 1.0
 *   image, media, document, text or web file served as a program type                        → 1.0
 *   image, media or document served as application/octet-stream                             → 0.3
 *   any other program download                                                               → 0.5 / clients of its host
 *
 * One row per client × URI × verdict; the score is the verdict's. A program that half the fleet downloads (an update)
 * fades; a lying type never does.
 */

export const mimeMismatchOptions = z.strictObject({
  programDownloads: z.boolean().default(true).meta({ description: 'Also flag program and script downloads whose type agrees with their extension (0.5, divided by the clients that use the host).' }),
});

export type MimeMismatchOptions = z.infer<typeof mimeMismatchOptions>;

export const mimeMismatchDetector: Detector<MimeMismatchOptions> = {
  name: 'mime-mismatch',
  description: 'downloads whose content type contradicts their extension (an .exe served as image/jpeg), and program downloads',
  types: ['proxy'],
  async run(ctx, o, table) {
    const proxy = ctx.views.proxy;
    if (!proxy) return writeNoEvidence(ctx, table);
    const d = ctx.engine.dialect;
    const declared = `CASE WHEN q.uriextension IS NULL OR trim(q.uriextension) IN ('', '-') THEN ${pathExtension(d, 'q.uripath')} ELSE lower(trim(q.uriextension)) END`;
    await ctx.engine.run(
      `CREATE OR REPLACE TEMP TABLE oa_mime_rows AS SELECT q.clientip, q.host, q.fulluri, q.resconttype, q.ts, coalesce(q.scbytes, 0) AS bytes, ext, ` +
        `${extensionClass(d, 'ext')} AS ext_class, ${contentClass(d, 'q.resconttype')} AS ct_class ` +
        `FROM (SELECT q.*, ${declared} AS ext FROM ${proxy} AS q WHERE q.respcode IS NULL OR (q.respcode >= 200 AND q.respcode < 300)) AS q`,
    );
    const rules = verdicts('r.ext_class', 'r.ct_class').filter((v) => o.programDownloads || v.score !== 0.5);
    const kind = `CASE ${rules.map((v) => `WHEN ${v.when} THEN ${v.kind}`).join(' ')} END`;
    const base = `CASE ${rules.map((v) => `WHEN ${v.when} THEN ${num(v.score)}`).join(' ')} END`;
    const flagged = `SELECT r.*, ${kind} AS kind, ${base} AS base FROM oa_mime_rows AS r WHERE (${rules.map((v) => `(${v.when})`).join(' OR ') || 'false'})`;
    const hits =
      `SELECT clientip, fulluri, kind, max(host) AS host, max(base) AS base, max(ext) AS ext, max(resconttype) AS content_type, count(*) AS requests, sum(bytes) AS bytes, ` +
      `min(ts) AS first_seen, max(ts) AS last_seen FROM (${flagged}) AS f GROUP BY clientip, fulluri, kind`;
    // Clients of the host, whatever they fetched: an update server half the fleet uses fades, each URL unique or not.
    const clients = `SELECT host, count(DISTINCT clientip) AS clients FROM oa_mime_rows GROUP BY host`;
    const score = `CASE WHEN h.kind = 'program-download' THEN h.base / c.clients ELSE h.base END`;
    const sql =
      `SELECT ${evidenceSelect(d, {
        detector: `'mime-mismatch'`,
        type: `'proxy'`,
        entity: 'h.clientip',
        peer: 'h.fulluri',
        peer_kind: `'url'`,
        window_start: 'h.first_seen',
        window_end: 'h.last_seen',
        events: 'h.requests',
        score: round3(score),
        measures: d.jsonObject({ verdict: 'h.kind', extension: 'h.ext', content_type: 'h.content_type', requests: 'h.requests', bytes: 'h.bytes', clients: 'c.clients' }),
        explanation:
          `h.clientip || ' downloaded ' || h.fulluri || ' (' || ${asText(d, 'h.bytes / 1000')} || ' kB) ' || CASE WHEN h.kind = 'program-download' THEN ` +
          `'a program or script, served as ' || coalesce(h.content_type, 'no type') || ', from a host ' || ${asText(d, 'c.clients')} || ' client(s) use' ` +
          `ELSE 'with extension .' || h.ext || ' served as ' || coalesce(h.content_type, 'no type') || ': ' || h.kind END`,
      })} FROM (${hits}) AS h JOIN (${clients}) AS c ON c.host IS NOT DISTINCT FROM h.host`;
    await writeEvidence(ctx, table, sql);
  },
};
