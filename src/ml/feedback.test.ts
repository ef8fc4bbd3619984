import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withEngine } from '../../test/helpers/engine.js';
import type { Engine } from '../engine/index.js';
import type { TelemetryType } from '../schema/index.js';
import { mlConfig } from './config.js';
import { readFeedback } from './feedback.js';
import { resultsTable } from './results.js';
import { runSuspiciousConnects } from './run.js';
import { FIXTURE_DAY, FIXTURE_RANGE, FIXTURES, writeLakeEvents } from './testing.js';

const CONFIG = mlConfig.parse({ threshold: 1, maxResults: 100_000, topics: 4, iterations: 10, seed: 1, threads: 2 });

/** Each result's score by its event: the columns of the event (all but the words, score and rank) joined. */
async function scoresByEvent(engine: Engine, type: TelemetryType, path: string): Promise<Map<string, number>> {
  const table = resultsTable(type);
  const view = await engine.parquetView('scored', [path], table);
  const keys = table.columnNames.filter((c) => !['word', 'src_word', 'dst_word', 'score', 'rank'].includes(c));
  const rows = await engine.query<{ k: string; score: number }>(
    `SELECT concat_ws('|', ${keys.map((k) => `CAST(${engine.dialect.ident(k)} AS VARCHAR)`).join(', ')}) AS k, score FROM ${view} AS s`,
  );
  return new Map(rows.map((r) => [r.k, r.score]));
}

/** A results CSV with `rating` added: 3 on the lines `pick` selects, which alone are kept. */
function rateLines(csv: string, pick: (line: string) => boolean, out: string): number {
  const [header, ...lines] = readFileSync(csv, 'utf8').trimEnd().split('\n');
  const rated = lines.filter(pick);
  writeFileSync(out, [`${header},rating`, ...rated.map((l) => `${l},3`)].join('\n') + '\n');
  return rated.length;
}

describe('learning from the analyst\'s ratings (<type>_results.csv + rating)', () => {
  for (const type of ['flow', 'dns', 'proxy'] as const) {
    it(`${type}: the rated events' words gain weight, their scores rise`, () =>
      withEngine(async (engine, dir) => {
        await writeLakeEvents(engine, type, FIXTURES[type].rows);
        const request = { type, range: FIXTURE_RANGE, label: FIXTURE_DAY };
        const before = await runSuspiciousConnects(engine, CONFIG, { ...request, outDir: join(dir, 'before') });
        const scoresBefore = await scoresByEvent(engine, type, before.resultsFile);
        const feedback = join(dir, 'rated.csv');
        const rated = rateLines(before.csvFile!, FIXTURES[type].rare, feedback);
        expect(rated).toBe(type === 'proxy' ? 1 : 3);
        expect(await readFeedback(engine, type, feedback)).toBe(rated);

        const after = await runSuspiciousConnects(engine, CONFIG, { ...request, feedbackFile: feedback, outDir: join(dir, 'after') });
        const scoresAfter = await scoresByEvent(engine, type, after.resultsFile);
        expect(scoresAfter.size).toBe(scoresBefore.size);
        // The rare events; for proxy the rated request and the two that share its user agent and word: its user agent
        // counts 3 in scoring, and must count 3 in training too, feedback row or not (⌊log₂ 4⌋ would make another word).
        const rare = [...scoresBefore.keys()].filter((k) => (type === 'flow' ? k.includes('|10000|') : type === 'dns' ? k.includes('tunnel-example') : k.includes('RareAgent')));
        expect(rare).toHaveLength(3);
        for (const k of rare) {
          expect(scoresBefore.get(k)!, k).toBeGreaterThan(0);
          expect(scoresAfter.get(k)!, k).toBeGreaterThan(scoresBefore.get(k)! * 2);
        }
      }));
  }
});

describe('the feedback file\'s errors', () => {
  const header = 'tstart,sip,dip,sport,dport,proto,ipkt,ibyt,rating';
  const good = '2026-11-27 02:00:00,10.0.0.3,10.0.9.9,50001,10000,TCP,4000,5000000';
  const read = (lines: string[]) =>
    withEngine(async (engine, dir) => {
      const path = join(dir, 'feedback.csv');
      writeFileSync(path, lines.join('\n') + '\n');
      return readFeedback(engine, 'flow', path).catch((e: Error) => e.message.replace(path, 'FILE'));
    });

  it('counts the low-risk rows and reads the others', async () => {
    expect(await read([header, `${good},3`, `${good},1`, `${good},2`, `"2026-11-27 03:00:00",10.0.0.4,10.0.9.9,50004,10000,TCP,1,1,3`])).toBe(2);
  });

  it('names the missing columns', async () => {
    expect(await read(['tstart,sip,dip,sport,dport,rating', '2026-11-27 02:00:00,10.0.0.3,10.0.9.9,50001,10000,3'])).toBe(
      'FILE:1: feedback for flow needs the columns proto, ipkt, ibyt (see docs/ml.md)',
    );
  });

  it('names the line and column of a rating that is not 1, 2 or 3', async () => {
    expect(await read([header, `${good},3`, `${good},4`])).toBe('FILE:3: column rating: 4 is not a rating (1 high, 2 medium, 3 low risk)');
    expect(await read([header, `${good},3`, `${good},1`, `${good},`])).toBe('FILE:4: column rating: an empty value is not a rating (1 high, 2 medium, 3 low risk)');
    expect(await read([header, `${good},3`, `${good},low`])).toBe("FILE:3: column rating: the value is not of the column's type (INTEGER)");
  });

  it('names the line and column of a value that is not of its column\'s type, and a line of the wrong width', async () => {
    expect(await read([header, `${good},3`, '2026-11-27 02:00:00,10.0.0.3,10.0.9.9,http,10000,TCP,4000,5000000,3'])).toBe(
      "FILE:3: column sport: the value is not of the column's type (INTEGER)",
    );
    expect(await read([header, '2026-11-27 25:00:00,10.0.0.3,10.0.9.9,1,2,TCP,4000,5000000,3'])).toBe("FILE:2: column tstart: the value is not of the column's type (TIMESTAMP)");
    expect(await read([header, `${good},3`, `${good}`])).toBe("FILE:3: the line does not have the header's 9 fields");
    expect(await read([header, `${good},3,extra`])).toBe("FILE:2: the line does not have the header's 9 fields");
  });

  it('says when the file cannot be read', async () => {
    expect(await withEngine((engine, dir) => readFeedback(engine, 'flow', join(dir, 'none.csv')).catch((e: Error) => e.message.replace(dir, 'DIR')))).toBe(
      'DIR/none.csv: cannot read the feedback file: ENOENT',
    );
  });
});
