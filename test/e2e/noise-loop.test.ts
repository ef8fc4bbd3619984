import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/index.js';
import { openEngine } from '../../src/engine/index.js';
import { oaFilter, storedTrainingFile } from '../../src/cli/feedback-hooks.js';
import { evaluateAgainstLabels, Feedback, feedbackRankFilter, threatListSql, type LabelPrecision } from '../../src/feedback/index.js';
import { runSuspiciousConnects } from '../../src/ml/index.js';
import { analyseDay, VISIBLE_THREATS } from '../../src/oa/index.js';
import type { TelemetryType } from '../../src/schema/index.js';
import { hasTool } from '../helpers/shared-data.js';
import { ingestGeneratedDay } from '../helpers/generated-day.js';
import { tempDir } from '../helpers/tmp.js';

const tools = hasTool('nfcapd') && hasTool('nfdump');
const DAY1 = '2026-11-24';
const DAY2 = '2026-11-25';
const TYPES: TelemetryType[] = ['flow', 'dns', 'proxy'];
const rangeOf = (day: string) => ({ from: Date.parse(`${day}T00:00:00Z`), to: Date.parse(`${day}T00:00:00Z`) + 86_400_000 });
/** The generator's benign-but-rare jobs (src/generate/activities): the scanner sweeps, the backup server pulls on tcp/10000. */
const SCANNER = '10.20.0.100';
const BACKUP = '10.20.0.50';
const JOB_DETECTORS = ['scan-horizontal', 'scan-vertical', 'lateral-movement', 'strobe', 'exfiltration', 'long-connection'];

interface Threat {
  rank: number;
  entity: string;
  detectors: string[];
  contributions: string;
  suppressed_by: string | null;
}

/**
 * The measured loop of docs/noise-filter.md on two generated labelled days: an analyst rates four benign rows low
 * risk; at once (no re-scoring) the lists hide what those ratings match; the next day ML learns from them (Spot's
 * dupfactor) and the ranking damps findings like them, with no rule written by hand.
 */
describe.skipIf(!tools)('the noise-filter loop on generated days', () => {
  it('hides rated benign rows at once, keeps every attack, and learns from the ratings on the next day', async () => {
    const dir = tempDir();
    const config = configSchema.parse({
      lake: { path: join(dir, 'lake') },
      generate: { date: DAY1, days: 2, workstations: 20, scale: 0.3, seed: 11 },
      ingest: { chunkRows: 5_000 },
      ml: { threshold: 1, maxResults: 1000, threads: 2 },
    });
    const { labels } = await ingestGeneratedDay(config, dir);
    const feedback = Feedback.forLake(config.lake.path);
    const engine = await openEngine(config);
    try {
      const flowTop = async (day: string, suppress: boolean) => evaluateAgainstLabels(engine, feedback.store, { type: 'flow', day, labels, ks: [100, 1000], suppress });
      const flowTop100 = async (day: string, suppress: boolean) => (await flowTop(day, suppress))[0]!;
      const threats = async (sql: string) => engine.query<Threat & Record<string, unknown>>(`SELECT rank, entity, detectors, contributions, suppressed_by FROM (${sql}) AS t ORDER BY rank`);
      const attackHosts = (day: string) => labels.filter((l) => l.category === 'attack' && l.id.endsWith(day.replaceAll('-', ''))).flatMap((l) => l.src);
      const jobThreat = (list: Threat[], host: string) => list.find((t) => t.entity === host && t.suppressed_by === null && t.rank <= 100 && t.detectors.some((x) => JOB_DETECTORS.includes(x)));

      // 1. Day one: ML and OA, no feedback yet.
      for (const type of TYPES) await runSuspiciousConnects(engine, config.ml, { type, range: rangeOf(DAY1), label: DAY1 });
      await analyseDay(engine, config, { day: DAY1, range: rangeOf(DAY1), types: TYPES });
      const before = await flowTop100(DAY1, false);
      const threatsBefore = await threats(`SELECT *, CAST(NULL AS VARCHAR) AS suppressed_by FROM ${VISIBLE_THREATS}`);
      expect(before.benignRare, 'benign-rare flows in the top 100 before any rating').toBeGreaterThan(0);
      expect(jobThreat(threatsBefore, SCANNER), 'the scanner is a threat for its sweep').toBeDefined();

      // 2. The analyst rates four rows of the jobs low risk: both directions of the backup and of the scan.
      const rate = (spec: Record<string, string | number>) => feedback.rate({ type: 'flow', day: DAY1, rating: 3, spec, analyst: 'alice', comment: 'scheduled job' });
      await rate({ sip: BACKUP, dport: 10000 });
      await rate({ dip: BACKUP, sport: 10000 });
      await rate({ sip: SCANNER });
      await rate({ dip: SCANNER });

      // 3. At once, with no re-scoring: the ML list and the threat list leave out what the ratings match.
      const suppressed = await flowTop100(DAY1, true);
      expect(suppressed.benignRare, 'benign-rare flows in the suppressed top 100').toBe(0);
      expect(suppressed.attacks).toBeGreaterThanOrEqual(before.attacks);
      const threatsNow = await threats(await threatListSql(engine, config, feedback.store, DAY1));
      expect(jobThreat(threatsNow, SCANNER), 'the scanner keeps no sweep finding').toBeUndefined();
      const visibleRank = new Map(threatsNow.filter((t) => t.suppressed_by === null).map((t) => [t.entity, t.rank]));
      for (const host of attackHosts(DAY1)) expect(visibleRank.get(host) ?? Infinity, `attack host ${host}`).toBeLessThanOrEqual(100);
      const hidden = threatsNow.filter((t) => t.suppressed_by !== null);
      for (const t of hidden) expect(t.suppressed_by).toMatch(/rating \d/);

      // The analyst's CSVs of a run leave hidden rows out; the lake keeps them.
      const out = join(dir, 'out1');
      await analyseDay(engine, config, { day: DAY1, range: rangeOf(DAY1), types: TYPES, outDir: out, filter: feedbackRankFilter(engine, feedback.store, { day: DAY1 }) });
      expect(readFileSync(join(out, 'evidence.csv'), 'utf8')).not.toMatch(new RegExp(`^scan-(horizontal|vertical),flow,${SCANNER.replaceAll('.', '\\.')},`, 'm'));
      expect(readFileSync(join(out, 'flow_scores.csv'), 'utf8')).not.toContain(`,${SCANNER},`);

      // 4. Day two: ML learns from the ratings (dupfactor), the ranking damps findings like them; no rule exists.
      expect(await feedback.rules()).toEqual([]);
      // What `spothreat ml` and `spothreat oa` do when the lake has a feedback store (src/cli/feedback-hooks.ts).
      const training = (await storedTrainingFile(engine, config, 'flow', DAY2, dir))!;
      expect(training.path).toBe(join(dir, 'flow_feedback.csv'));
      expect(training.ratings, 'every rating matches events of the next day').toBe(4);
      expect(training.rows).toBeGreaterThan(0);
      expect(await storedTrainingFile(engine, config, 'dns', DAY2, dir), 'no DNS rating: nothing to learn').toBeNull();
      await runSuspiciousConnects(engine, config.ml, { type: 'flow', range: rangeOf(DAY2), label: DAY2, feedbackFile: training.path });
      for (const type of ['dns', 'proxy'] as const) await runSuspiciousConnects(engine, config.ml, { type, range: rangeOf(DAY2), label: DAY2 });
      await analyseDay(engine, config, { day: DAY2, range: rangeOf(DAY2), types: TYPES, filter: oaFilter(engine, config, DAY2)! });
      const day2 = await threats(`SELECT *, CAST(NULL AS VARCHAR) AS suppressed_by FROM ${VISIBLE_THREATS}`);
      const scanner = day2.find((t) => t.entity === SCANNER);
      if (scanner) expect(scanner.contributions).toContain('(damped ×0.1: like rating 3, low risk)');
      expect(jobThreat(day2, SCANNER), 'the next day the scanner\'s sweep is no longer a top-100 threat').toBeUndefined();
      const day2Rank = new Map(day2.map((t) => [t.entity, t.rank]));
      for (const host of attackHosts(DAY2)) expect(day2Rank.get(host) ?? Infinity, `day two attack host ${host}`).toBeLessThanOrEqual(100);
      const [after, after1000] = (await flowTop(DAY2, false)) as [LabelPrecision, LabelPrecision];
      expect(after.benignRare, 'benign-rare flows in the next day\'s top 100, with retraining').toBeLessThanOrEqual(Math.floor(before.benignRare * 0.1));
      console.log(
        `noise loop: flow top 100 benign-rare ${before.benignRare} → ${suppressed.benignRare} suppressed → ${after.benignRare} next day; ` +
          `attacks ${before.attacks} → ${suppressed.attacks} → ${after.attacks}; scanner threat rank ${threatsBefore.find((t) => t.entity === SCANNER)?.rank} → ` +
          `${visibleRank.get(SCANNER)} → ${scanner?.rank}; training rows ${training.rows}; next day's top 1000: benign-rare ${after1000.benignRare}, attacks ${after1000.attacks}`,
      );
    } finally {
      await engine.close();
    }
  }, 300_000);
});
