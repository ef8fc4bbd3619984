import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/index.js';
import { resultsTable } from '../../src/ml/index.js';
import { cli } from '../helpers/cli.js';
import { ingestGeneratedDay } from '../helpers/generated-day.js';
import { hasTool } from '../helpers/shared-data.js';
import { tempDir } from '../helpers/tmp.js';

const tools = hasTool('nfcapd') && hasTool('nfdump');
const DAY = '2026-11-24';

describe.skipIf(!tools)('spothreat ml on a generated lake', () => {
  it('fits a day\'s hours with the command line\'s settings, shows each stage and LDA iteration, and scores again with the saved model', async () => {
    const dir = tempDir();
    const lake = join(dir, 'lake');
    await ingestGeneratedDay(configSchema.parse({ lake: { path: lake }, generate: { date: DAY, workstations: 10, scale: 0.1, seed: 2 } }), dir, ['flow']);
    const settings = ['--date', DAY, '--hours', '8-17', '--threshold', '0.001', '--max-results', '40', '--topics', '5', '--seed', '3'];
    const env = { SPOTHREAT_ML_THREADS: '2' };

    const fit = cli(['--lake', lake, 'ml', 'flow', ...settings, '--out', join(dir, 'fit')], { env });
    expect(fit.code, fit.stderr).toBe(0);
    const lines = fit.stderr.trimEnd().split('\n');
    const stages = lines.map((l) => /^ {2}flow (\w+)/.exec(l)?.[1]);
    expect(stages.filter(Boolean)).toEqual(['events', 'words', 'counts', ...Array(21).fill('lda'), 'score', 'results', 'total']);
    expect(lines.filter((l) => l.includes('iteration')).map((l) => /iteration (\d+\/\d+)/.exec(l)![1])).toEqual(Array.from({ length: 20 }, (_, i) => `${i + 1}/20`));
    const csvFile = join(dir, 'fit', 'flow_results.csv');
    expect(lines.at(-1)).toMatch(new RegExp(`^flow: (\\d+) suspicious events → ${csvFile.replaceAll('/', '\\/')} and `));

    const csv = readFileSync(csvFile, 'utf8').trimEnd().split('\n');
    expect(csv[0]).toBe(resultsTable('flow').columnNames.join(','));
    const rows = csv.slice(1).map((l) => l.split(','));
    const col = (name: string) => csv[0]!.split(',').indexOf(name);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(40);
    expect(lines.at(-1)).toContain(`flow: ${rows.length} suspicious events`);
    const scores = rows.map((r) => Number(r[col('score')]));
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    expect(Math.max(...scores)).toBeLessThanOrEqual(0.001);
    expect(rows.map((r) => Number(r[col('rank')]))).toEqual(rows.map((_, i) => i + 1));
    for (const r of rows) {
      const hour = new Date(`${r[col('tstart')]!.replace(' ', 'T')}Z`).getUTCHours();
      expect(hour).toBeGreaterThanOrEqual(8);
      expect(hour).toBeLessThanOrEqual(17);
    }

    const modelDir = join(lake, 'models', 'flow', DAY);
    const info = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8')) as { from: string; to: string; lda: Record<string, number> };
    expect(info).toMatchObject({ from: `${DAY}T08:00:00.000Z`, to: `${DAY}T18:00:00.000Z`, lda: { nTopics: 5, seed: 3, threads: 2, iterations: 20 } });

    // The saved model scores the same hours to the same results.
    const scored = cli(['--lake', lake, 'ml', 'score', 'flow', ...settings, '--model', modelDir, '--out', join(dir, 'scored')], { env });
    expect(scored.code, scored.stderr).toBe(0);
    expect(scored.stderr).toContain('  flow topics ');
    expect(scored.stderr).not.toContain('iteration');
    expect(readFileSync(join(dir, 'scored', 'flow_results.csv'), 'utf8')).toBe(readFileSync(csvFile, 'utf8'));
  }, 120_000);
});
