import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/index.js';
import { openEngine, type Engine } from '../../src/engine/index.js';
import type { Label } from '../../src/generate/index.js';
import { dgaDetector, dgaOptions } from '../../src/oa/heuristics/dga.js';
import type { Detector } from '../../src/oa/heuristics/detector.js';
import { dnsTunnellingDetector, dnsTunnellingOptions } from '../../src/oa/heuristics/dns-tunnelling.js';
import { exfiltrationDetector, exfiltrationOptions } from '../../src/oa/heuristics/exfiltration.js';
import { lateralMovementDetector, lateralMovementOptions } from '../../src/oa/heuristics/lateral-movement.js';
import { mimeMismatchDetector, mimeMismatchOptions } from '../../src/oa/heuristics/mime-mismatch.js';
import { horizontalScanDetector, horizontalScanOptions, verticalScanDetector, verticalScanOptions } from '../../src/oa/heuristics/scan.js';
import { detect, names, type Finding } from '../../src/oa/heuristics/sql-fixtures.js';
import { CONTEXT_TABLES as T } from '../../src/oa/context-tables.js';
import { hasTool } from '../helpers/shared-data.js';
import { ingestGeneratedDay } from '../helpers/generated-day.js';
import { tempDir } from '../helpers/tmp.js';

const tools = hasTool('nfcapd') && hasTool('nfdump');
const DATE = '2026-11-24';

/** Each labelled attack and the detector that must put it on top of its findings. */
const CASES: readonly { attack: Label['name']; detector: Detector<never>; options: unknown; peer?: (l: Label, f: Finding) => boolean }[] = [
  { attack: 'horizontal-scan', detector: horizontalScanDetector as Detector<never>, options: horizontalScanOptions.parse({}), peer: (l, f) => f.peer === String(l.dports[0]) },
  { attack: 'vertical-scan', detector: verticalScanDetector as Detector<never>, options: verticalScanOptions.parse({}), peer: (l, f) => l.dst.includes(f.peer!) },
  { attack: 'exfiltration', detector: exfiltrationDetector as Detector<never>, options: exfiltrationOptions.parse({}), peer: (l, f) => l.dst.includes(f.peer!) },
  { attack: 'lateral-movement', detector: lateralMovementDetector as Detector<never>, options: lateralMovementOptions.parse({}), peer: (l, f) => l.dst.includes(f.peer!) },
  { attack: 'dns-tunnelling', detector: dnsTunnellingDetector as Detector<never>, options: dnsTunnellingOptions.parse({}), peer: (l, f) => l.description.includes(f.peer!) },
  { attack: 'dga', detector: dgaDetector as Detector<never>, options: dgaOptions.parse({}) },
  { attack: 'mime-mismatch', detector: mimeMismatchDetector as Detector<never>, options: mimeMismatchOptions.parse({}) },
];

async function contextTables(engine: Engine, views: Record<string, string>): Promise<void> {
  const ips = [
    views.flow && `SELECT sip AS ip FROM ${views.flow} UNION SELECT dip FROM ${views.flow}`,
    views.dns && `SELECT ip_src FROM ${views.dns} UNION SELECT ip_dst FROM ${views.dns}`,
    views.proxy && `SELECT clientip FROM ${views.proxy} UNION SELECT serverip FROM ${views.proxy}`,
  ].filter(Boolean);
  // The generator's networks are RFC 1918; the runner's enrichment decides this from oa config in production.
  await engine.run(
    `CREATE OR REPLACE TEMP TABLE ${T.hosts} AS SELECT DISTINCT ip, (ip LIKE '10.%' OR ip LIKE '192.168.%' OR regexp_matches(ip, '^172\\.(1[6-9]|2[0-9]|3[01])\\.')) AS internal, ` +
      `CAST(NULL AS VARCHAR) AS context FROM (${ips.join(' UNION ')}) AS u WHERE ip IS NOT NULL`,
  );
  const nameSql = [views.dns && `SELECT dns_qry_name AS name FROM ${views.dns}`, views.proxy && `SELECT host AS name FROM ${views.proxy}`].filter(Boolean);
  const rows = await engine.query<{ name: string }>(`SELECT DISTINCT name FROM (${nameSql.join(' UNION ')}) AS n WHERE name IS NOT NULL`);
  await names(engine, rows.map((r) => r.name));
}

describe.skipIf(!tools)('detectors on a generated day', () => {
  it('put every injected attack on top of its own detector', async () => {
    const dir = tempDir();
    const config = configSchema.parse({
      lake: { path: join(dir, 'lake') },
      generate: { date: DATE, workstations: 20, scale: 0.3, seed: 11 },
      ingest: { chunkRows: 5_000 },
    });
    const { generated, labels } = await ingestGeneratedDay(config, dir);
    const withProxy = generated.proxyFiles.length > 0;

    const engine = await openEngine(config);
    try {
      const range = { from: Date.parse(`${DATE}T00:00:00Z`), to: Date.parse(`${DATE}T00:00:00Z`) + 86_400_000 };
      const views: Record<string, string> = {};
      for (const type of ['flow', 'dns', ...(withProxy ? ['proxy' as const] : [])] as const) views[type] = await engine.lakeView(type, range, `day_${type}`);
      await contextTables(engine, views);
      let checked = 0;
      for (const c of CASES) {
        const label = labels.find((l) => l.name === c.attack && l.category === 'attack');
        if (!label) continue;
        const found = await detect(engine, c.detector, c.options as never, views);
        const top = found[0];
        expect(top, `${c.detector.name} found nothing`).toBeDefined();
        expect(label.src, `${c.detector.name}: top finding ${top!.entity} → ${top!.peer} (${top!.score}) is not ${label.id}`).toContain(top!.entity);
        if (c.peer) expect(c.peer(label, top!), `${c.detector.name}: peer ${top!.peer}`).toBe(true);
        // Nothing unlabelled scores as high: only labelled activity (attacks or benign-rare jobs) may tie.
        const labelled = new Set(labels.flatMap((l) => l.src));
        expect(found.filter((f) => f.score >= top!.score && !labelled.has(f.entity))).toEqual([]);
        checked++;
      }
      expect(checked).toBe(withProxy ? 7 : 6);
    } finally {
      await engine.close();
    }
  }, 60_000);
});
