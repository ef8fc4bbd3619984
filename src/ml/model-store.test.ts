import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withEngine } from '../../test/helpers/engine.js';
import { mlConfig } from './config.js';
import { fitLda } from './lda/index.js';
import { corpusOf } from './lda/testing.js';
import { loadModel, saveModel } from './model-store.js';
import { runSuspiciousConnects } from './run.js';
import { FIXTURE_DAY, FIXTURE_RANGE, FIXTURES, writeLakeEvents } from './testing.js';
import { registerKeyedMatrix } from './topics.js';

describe('saved models', () => {
  it('keep θ with its documents: read back, it is the fit\'s to the bit', () =>
    withEngine(async (engine, dir) => {
      const corpus = corpusOf(4, [{ 0: 3, 1: 1 }, { 2: 7, 3: 2 }, { 0: 1, 3: 9 }]);
      const fit = await fitLda(corpus, { nTopics: 3, alpha: 0.02, beta: 0.001, iterations: 5, threads: 2 });
      const docs = ['10.0.0.1', '2001:db8::1', '10.0.0.2'];
      await engine.registerTable('ml_docs', [{ name: 'doc', type: 'text' }, { name: 'doc_id', type: 'int' }], docs.map((d, i) => [d, i]));
      await engine.registerTable('ml_vocab', [{ name: 'word', type: 'text' }, { name: 'word_id', type: 'int' }], ['a', 'b', 'c', 'd'].map((w, i) => [w, i]));
      await registerKeyedMatrix(engine, 'ml_theta', { values: fit.theta, rows: 3, K: 3, prefix: 't' }, { table: 'ml_docs', key: 'doc', id: 'doc_id' });
      await saveModel(engine, join(dir, 'model'), fit.model, { day: FIXTURE_DAY });

      const { model, info } = await loadModel(engine, join(dir, 'model'));
      expect(info).toEqual({ day: FIXTURE_DAY });
      expect(Array.from(model.lambda)).toEqual(Array.from(fit.model.lambda));
      const rows = await engine.query<{ document: string; t0: number; t1: number; t2: number }>('SELECT * FROM ml_saved_theta ORDER BY document');
      expect(rows.map((r) => r.document)).toEqual(['10.0.0.1', '10.0.0.2', '2001:db8::1']);
      const byDoc = new Map(rows.map((r) => [r.document, [r.t0, r.t1, r.t2]]));
      docs.forEach((d, i) => expect(byDoc.get(d)).toEqual(Array.from(fit.theta.subarray(3 * i, 3 * i + 3))));
      expect(await engine.query('SELECT word, word_id FROM ml_vocab ORDER BY word_id')).toEqual(['a', 'b', 'c', 'd'].map((word, word_id) => ({ word, word_id })));
    }));

  it('score the day they were fitted on exactly as the fit did (feedback included), and record the threads used', () =>
    withEngine(async (engine, dir) => {
      await writeLakeEvents(engine, 'flow', FIXTURES.flow.rows);
      const config = mlConfig.parse({ threshold: 1, maxResults: 100_000, topics: 4, iterations: 10, seed: 1, threads: 0 });
      const request = { type: 'flow' as const, range: FIXTURE_RANGE, label: FIXTURE_DAY };
      // Ratings move θ of the rated hosts away from what their events alone would give.
      const first = await runSuspiciousConnects(engine, config, { ...request, outDir: join(dir, 'first') });
      const [header, ...lines] = readFileSync(first.csvFile!, 'utf8').trimEnd().split('\n');
      writeFileSync(join(dir, 'rated.csv'), [`${header},rating`, ...lines.filter(FIXTURES.flow.rare).map((l) => `${l},3`)].join('\n') + '\n');

      const fit = await runSuspiciousConnects(engine, config, { ...request, feedbackFile: join(dir, 'rated.csv'), outDir: join(dir, 'fit') });
      const info = JSON.parse(readFileSync(join(fit.modelDir, 'model.json'), 'utf8')) as { lda: { threads: number }; nDocs: number };
      expect(info.lda.threads).toBe(availableParallelism());
      expect(info.nDocs).toBe(15); // 12 clients, the web and DNS servers, the backup target

      const scored = await runSuspiciousConnects(engine, config, { ...request, modelDir: fit.modelDir, outDir: join(dir, 'scored') });
      expect(scored.documents).toBe(15);
      expect(scored.perplexity).toBeNull();
      expect(readFileSync(scored.csvFile!, 'utf8')).toBe(readFileSync(fit.csvFile!, 'utf8'));
      expect(readFileSync(fit.csvFile!, 'utf8')).not.toBe(readFileSync(first.csvFile!, 'utf8'));
    }));

  it('infer θ of the documents they do not know, with their topics held fixed', () =>
    withEngine(async (engine, dir) => {
      await writeLakeEvents(engine, 'flow', FIXTURES.flow.rows);
      const config = mlConfig.parse({ threshold: 1, maxResults: 100_000, topics: 4, iterations: 10, seed: 1, threads: 2 });
      const fit = await runSuspiciousConnects(engine, config, { type: 'flow', range: FIXTURE_RANGE, label: FIXTURE_DAY });
      // The next day: a known client and a new one, each doing what the clients did.
      const next = Date.UTC(2026, 10, 28, 9);
      await writeLakeEvents(
        engine,
        'flow',
        {
          columns: FIXTURES.flow.rows.columns,
          rows: ['10.0.0.1', '10.0.0.77'].flatMap((c, i) => [0, 1, 2].map((n) => [new Date(next + 60_000 * (10 * n + i)), c, '10.0.1.1', 40000 + n, 443, 'TCP', 10, 2000])),
        },
        'next',
      );
      const range = { from: Date.UTC(2026, 10, 28), to: Date.UTC(2026, 10, 29) };
      const scored = await runSuspiciousConnects(engine, config, { type: 'flow', range, label: '2026-11-28', modelDir: fit.modelDir, outDir: join(dir, 'next') });
      expect(scored).toMatchObject({ events: 6, documents: 3, suspicious: 6 });
      expect(scored.stages).toHaveProperty('topics');
      const rows = await engine.query<{ sip: string; score: number }>('SELECT sip, score FROM ml_scored ORDER BY sip');
      expect(rows.map((r) => r.sip)).toEqual(['10.0.0.1', '10.0.0.1', '10.0.0.1', '10.0.0.77', '10.0.0.77', '10.0.0.77']);
      // The word is the clients' usual one: both score well above 0, the new client's θ inferred from it.
      for (const r of rows) expect(r.score).toBeGreaterThan(0.01);
    }));
});
