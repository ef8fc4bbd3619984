import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/index.js';
import { openEngine } from '../../src/engine/index.js';
import { csvHeader, dns, flow, proxy, type TelemetryType } from '../../src/schema/index.js';
import { utcDayRange } from '../../src/shared/time.js';
import { cli } from '../helpers/cli.js';
import { hasTool } from '../helpers/shared-data.js';
import { tempDir } from '../helpers/tmp.js';

const DAY = '2026-11-20';
const TABLES = { flow, dns, proxy } as const;

/** The README's first command, on a small network: every stage runs and its files are where the README says. */
describe.skipIf(!hasTool('nfcapd') || !hasTool('nfdump'))('spothreat demo', () => {
  it('generates, collects, ingests, exports each type of the day as CSV, scores, analyses and ranks', async () => {
    const dir = tempDir();
    const r = cli(['demo', '--out', dir, '--workstations', '24', '--seed', '5', '--date', DAY]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'generated', 'labels.csv'))).toBe(true);

    const engine = await openEngine(configSchema.parse({ lake: { path: join(dir, 'lake') } }));
    try {
      for (const type of Object.keys(TABLES) as TelemetryType[]) {
        const lines = readFileSync(join(dir, 'out', `${type}-${DAY}.csv`), 'utf8').trimEnd().split('\n');
        expect(lines[0]).toBe(csvHeader(TABLES[type]));
        const view = await engine.lakeView(type, utcDayRange(DAY));
        const [{ n }] = (await engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${view}`)) as [{ n: number }];
        expect(n).toBeGreaterThan(1000);
        // Rows only: no text value of the generated day spans lines.
        expect(lines.length - 1).toBe(n);
        // The suspicious events (score ≤ 1e-6): few on a network this small, but the file and its header are there.
        expect(readFileSync(join(dir, 'out', `${type}_results.csv`), 'utf8').split('\n')[0]).toMatch(/(^|,)score(,|$)/);
      }
    } finally {
      await engine.close();
    }
    const threats = readFileSync(join(dir, 'out', 'threats.csv'), 'utf8').split('\n');
    expect(threats.length).toBeGreaterThan(10);
    expect(r.stderr + r.stdout).toMatch(/top threats:\n\s+1\. (critical|high)/);
  });
});
