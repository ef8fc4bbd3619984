import { z } from 'zod';
import type { Detector } from './detector.js';
import { contentClass, extensionClassRows, pathExtension, verdicts } from './mime-mismatch-types.js';
import { asText, evidenceSelect, num, round3, writeEvidence, writeNoEvidence } from './sql.js';

/*
 * MIME / extension mismatch on successful proxy responses (2xx, or no status): the URI's extension (cs-uri-extension,
 * else the path's last segment) and the declared Content-Type are each put in a class (mime-mismatch-types.ts), and
 * the pair judged:
 *
 *   program (executable or script) served as image, media, document, text or web content   → 1.0
 *   image, media, document, text or web file served as a program type                        → 1.0
 *   image, media or document served as application/octet-stream                             → 0.3
 *   any other program download, from a host at most programMaxClients clients use             → 0.5 / clients of its host
 *
 * One row per client × URI × verdict; the score is the verdict's. A lying type is evidence wherever it comes from; a
 * program whose type agrees is only worth a look from a host few clients use: update services, package mirrors and
 * software CDNs serve programs to much of the fleet every day, and Slips and Zeek too judge a download by its
 * contradiction, not by its being a program.
 */

export const mimeMismatchOptions = z.strictObject({
  programDownloads: z.boolean().default(true).meta({ description: 'Also flag program and script downloads whose type agrees with their extension (0.5, divided by the clients that use the host).' }),
  programMaxClients: z.number().int().min(1).default(3).meta({
    description: 'Program downloads whose type agrees are flagged only from hosts at most this many clients use in the window; busier hosts are software distribution (updates, package mirrors).',
  }),
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
    const success = `(q.respcode IS NULL OR (q.respcode >= 200 AND q.respcode < 300))`;
    // Classes are looked up, not computed per request: the known extensions are a small table, and the day's few
    // distinct content types are classified once.
    await ctx.engine.registerTable('oa_mime_ext_classes', [{ name: 'ext', type: 'text' }, { name: 'ext_class', type: 'text' }], extensionClassRows());
    await ctx.engine.run(
      `CREATE OR REPLACE TEMP TABLE oa_mime_ct_classes AS SELECT ct, ${contentClass(d, 'ct')} AS ct_class FROM (SELECT DISTINCT coalesce(q.resconttype, '') AS ct FROM ${proxy} AS q WHERE ${success}) AS t`,
    );
    const classified =
      `SELECT q.clientip, q.host, q.fulluri, q.resconttype, q.ts, coalesce(q.scbytes, 0) AS bytes, q.ext, coalesce(x.ext_class, 'other') AS ext_class, c.ct_class ` +
      `FROM (SELECT q.*, ${declared} AS ext FROM ${proxy} AS q WHERE ${success}) AS q JOIN oa_mime_ct_classes AS c ON c.ct = coalesce(q.resconttype, '') ` +
      `LEFT JOIN oa_mime_ext_classes AS x ON x.ext = q.ext`;
    const rules = verdicts('r.ext_class', 'r.ct_class').filter((v) => o.programDownloads || v.score !== 0.5);
    const kind = `CASE ${rules.map((v) => `WHEN ${v.when} THEN ${v.kind}`).join(' ')} END`;
    const base = `CASE ${rules.map((v) => `WHEN ${v.when} THEN ${num(v.score)}`).join(' ')} END`;
    // Only the requests some verdict judges are kept: a few thousand of a day's millions.
    await ctx.engine.run(`CREATE OR REPLACE TEMP TABLE oa_mime_rows AS SELECT r.*, ${kind} AS kind, ${base} AS base FROM (${classified}) AS r WHERE ${rules.map((v) => `(${v.when})`).join(' OR ')}`);
    const hits =
      `SELECT clientip, fulluri, kind, max(host) AS host, max(base) AS base, max(ext) AS ext, max(resconttype) AS content_type, count(*) AS requests, sum(bytes) AS bytes, ` +
      `min(ts) AS first_seen, max(ts) AS last_seen FROM oa_mime_rows GROUP BY clientip, fulluri, kind`;
    // Clients of the host, whatever they fetched (successfully) from it: an update server half the fleet uses is no
    // lead, each URL unique or not.
    const clients =
      `SELECT q.host, count(DISTINCT q.clientip) AS clients FROM ${proxy} AS q WHERE ${success} AND q.host IN (SELECT host FROM oa_mime_rows) GROUP BY q.host`;
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
      })} FROM (${hits}) AS h JOIN (${clients}) AS c ON c.host = h.host WHERE h.kind <> 'program-download' OR c.clients <= ${num(o.programMaxClients)}`;
    await writeEvidence(ctx, table, sql);
  },
};
