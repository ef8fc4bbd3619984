import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/index.js';
import { openEngine } from '../../src/engine/index.js';
import type { Label } from '../../src/generate/index.js';
import { runSuspiciousConnects } from '../../src/ml/index.js';
import { analyseDay, oaTableView } from '../../src/oa/index.js';
import type { TelemetryType } from '../../src/schema/index.js';
import { hasTool } from '../helpers/shared-data.js';
import { ingestGeneratedDay } from '../helpers/generated-day.js';
import { tempDir } from '../helpers/tmp.js';

const tools = hasTool('nfcapd') && hasTool('nfdump');
const DATE = '2026-11-24';

/** The detectors whose evidence names each injected attack. */
const DETECTED_BY: Readonly<Partial<Record<Label['name'], readonly string[]>>> = {
  beaconing: ['beacon'],
  'horizontal-scan': ['scan-horizontal'],
  'vertical-scan': ['scan-vertical'],
  exfiltration: ['exfiltration'],
  'lateral-movement': ['lateral-movement'],
  'long-connection': ['long-connection'],
  'dns-tunnelling': ['dns-tunnelling'],
  dga: ['dga'],
  'dns-beaconing': ['beacon'],
  'http-beaconing': ['beacon', 'rare-useragent'],
  'mime-mismatch': ['mime-mismatch'],
  'upload-exfiltration': ['exfiltration', 'rare-useragent'],
  phishing: ['phishing'],
};

describe.skipIf(!tools)('the threat list of a generated day', () => {
  it('has every injected attack in its top 20, explained by its detector, and the benign-but-rare jobs below them', async () => {
    const dir = tempDir();
    const config = configSchema.parse({
      lake: { path: join(dir, 'lake') },
      generate: { date: DATE, workstations: 20, scale: 0.3, seed: 11 },
      ingest: { chunkRows: 5_000 },
    });
    const { labels } = await ingestGeneratedDay(config, dir);

    const engine = await openEngine(config);
    try {
      const range = { from: Date.parse(`${DATE}T00:00:00Z`), to: Date.parse(`${DATE}T00:00:00Z`) + 86_400_000 };
      const types: TelemetryType[] = ['flow', 'dns', 'proxy'];
      for (const type of types) await runSuspiciousConnects(engine, config.ml, { type, range, label: DATE });
      const out = join(dir, 'out');
      const summary = await analyseDay(engine, config, { day: DATE, range, types, outDir: out });
      expect(summary.types).toEqual(types);
      for (const name of ['threats', 'evidence', 'flow_scores', 'dns_scores', 'proxy_scores', 'evidence-beacon', 'evidence-dga']) expect(existsSync(join(out, `${name}.csv`)), name).toBe(true);

      const view = await oaTableView(engine, 'threats', { lakePath: config.lake.path, day: DATE });
      const threats = await engine.query<{ rank: number; entity: string; detectors: string[]; explanation: string }>(`SELECT rank, entity, detectors, explanation FROM ${view} ORDER BY rank`);
      const rankOf = new Map(threats.map((t) => [t.entity, t]));
      const top = threats.slice(0, 25).map((t) => `${t.rank} ${t.entity} [${t.detectors.join(',')}]`).join('; ');
      const attacks = labels.filter((l) => l.category === 'attack');
      expect(attacks.length).toBeGreaterThanOrEqual(13);
      let lowestAttack = 0;
      for (const attack of attacks) {
        const expected = DETECTED_BY[attack.name]!;
        for (const src of attack.src) {
          const t = rankOf.get(src);
          expect(t, `${attack.id}: ${src} is not on the threat list`).toBeDefined();
          expect(t!.rank, `${attack.id}: ${src} ranks ${t!.rank}: ${t!.explanation}\n${top}`).toBeLessThanOrEqual(20);
          expect(t!.detectors.some((d) => expected.includes(d)), `${attack.id}: ${src} explained by ${t!.detectors.join(', ')}, not ${expected.join(' or ')}`).toBe(true);
          lowestAttack = Math.max(lowestAttack, t!.rank);
        }
      }
      for (const benign of labels.filter((l) => l.category === 'benign-rare')) {
        for (const src of benign.src) {
          const t = rankOf.get(src);
          if (t) expect(t.rank, `${benign.id}: ${src} ranks ${t.rank}, above an attack (lowest attack rank ${lowestAttack}): ${t.explanation}\n${top}`).toBeGreaterThan(lowestAttack);
        }
      }
    } finally {
      await engine.close();
    }
  }, 240_000);
});
