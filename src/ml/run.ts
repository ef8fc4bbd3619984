import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { EngineSession, TimeRange } from '../engine/index.js';
import { LAKE_DIRS } from '../lake/layout.js';
import { tableFor, type TelemetryType } from '../schema/index.js';
import { stageTimer } from '../shared/stage-timer.js';
import { variationalPriors, type MlConfig } from './config.js';
import { documentWordCounts } from './counts.js';
import { readFeedback } from './feedback.js';
import { fitLda, type Corpus, type LdaModel, type OnStep } from './lda/index.js';
import { resolveThreads } from './lda/model.js';
import { loadModel, saveModel } from './model-store.js';
import { resultsPath } from './results.js';
import { rankedResults, scoreEvents } from './score.js';
import { registerKeyedMatrix, wordMajor } from './topics.js';
import { WORDS } from './words/index.js';

export interface MlRequest {
  readonly type: TelemetryType;
  /** The events to model and score: hours [from, to). */
  readonly range: Required<TimeRange>;
  /** Label of the run (the day, YYYY-MM-DD): names the model and the results. */
  readonly label: string;
  /** Analyst ratings to learn from (docs/ml.md): rows rated 3 count dupfactor times. */
  readonly feedbackFile?: string;
  /** Score with this saved model instead of fitting one. */
  readonly modelDir?: string;
  /** Also write <type>_results.csv here. */
  readonly outDir?: string;
  readonly onStage?: (stage: string, seconds: number, detail?: string) => void;
  /** After each LDA iteration: its number from 1, and how many there are. */
  readonly onStep?: OnStep;
  /** The document-word matrix the fit (or the saved model's inference) uses, e.g. for a benchmark's reference fit. */
  readonly onCorpus?: (corpus: Corpus) => void;
}

export interface MlSummary {
  readonly events: number;
  readonly documents: number;
  readonly words: number;
  readonly nonZeros: number;
  readonly perplexity: number | null;
  readonly suspicious: number;
  readonly resultsFile: string;
  readonly csvFile: string | null;
  readonly modelDir: string;
  /** Seconds spent in each stage, in order: events, words, counts, lda (or topics), score, results. */
  readonly stages: Readonly<Record<string, number>>;
}

/**
 * Spot's suspicious-connects for one type and day, in SQL through the engine but for the LDA
 * fit: events → words → document-word counts → LDA (θ, φ) → every event scored as
 * Σ_k θ[doc][k]·φ[k][word] (flows: the lower of their two sides; unseen words score 0) → the
 * events at or under the threshold, ascending, at most maxResults. The model is saved per day.
 * With a saved model (modelDir) nothing is fitted: the documents it was trained on keep its θ,
 * the others get theirs inferred with its topics held fixed.
 */
export async function runSuspiciousConnects(engine: EngineSession & { lakePath: string }, config: MlConfig, request: MlRequest): Promise<MlSummary> {
  const d = engine.dialect;
  const spec = WORDS[request.type];
  const table = tableFor(request.type);
  const stage = stageTimer(request.onStage);
  const saved = request.modelDir ? await loadModel(engine, request.modelDir) : null;

  // Events of the range, and what training adds from the analyst's ratings: the word inputs only.
  const lake = await engine.lakeView(request.type, request.range, 'ml_lake');
  const time = d.ident(table.partitionBy);
  await engine.run(
    `CREATE OR REPLACE TEMP VIEW ml_events AS SELECT * FROM ${lake} WHERE ${time} >= ${d.timestamp(request.range.from)} AND ${time} < ${d.timestamp(request.range.to)} AND ${spec.valid(d)}`,
  );
  const inputs = spec.inputs.map((c) => d.ident(c)).join(', ');
  let training = `(SELECT ${inputs}, 1 AS ml_weight FROM ml_events)`;
  if (request.feedbackFile && !saved) {
    const rated = await readFeedback(engine, request.type, request.feedbackFile);
    if (rated > 0) {
      training = `(SELECT ${inputs}, 1 AS ml_weight FROM ml_events UNION ALL SELECT ${inputs}, ${Math.floor(config.dupfactor)} AS ml_weight FROM ml_feedback WHERE ${spec.valid(d)})`;
    }
  }
  const [{ events }] = (await engine.query<{ events: number }>('SELECT count(*) AS events FROM ml_events')) as [{ events: number }];
  await spec.prepare(engine, { events: 'ml_events', training }, config);
  stage('events', `${events} events`);

  // Words of every side of every event, with their weights.
  const sides = spec.sides(d);
  const wordsOf = (relation: string) =>
    sides.map((s, i) => `SELECT ${s.doc} AS doc, ${s.word} AS word, ml_weight, ${i} AS side FROM ${spec.relation(relation)} AS r`).join(' UNION ALL ');
  await engine.run(`CREATE OR REPLACE TEMP TABLE ml_words AS ${wordsOf(training)}`);
  stage('words');

  // Documents to fit (all of them), or to infer θ for (those the saved model does not know); words the model's.
  const numbered = (relation: string) => `SELECT doc, CAST(row_number() OVER (ORDER BY doc) - 1 AS INTEGER) AS doc_id FROM (${relation}) AS w`;
  if (saved) {
    await engine.run(`CREATE OR REPLACE TEMP TABLE ml_docs AS ${numbered('SELECT DISTINCT doc FROM ml_words WHERE doc NOT IN (SELECT document FROM ml_saved_theta)')}`);
  } else {
    await engine.run(`CREATE OR REPLACE TEMP TABLE ml_vocab AS SELECT word, CAST(row_number() OVER (ORDER BY word) - 1 AS INTEGER) AS word_id FROM (SELECT DISTINCT word FROM ml_words) AS w`);
    await engine.run(`CREATE OR REPLACE TEMP TABLE ml_docs AS ${numbered('SELECT DISTINCT doc FROM ml_words')}`);
  }
  const { corpus, nDocs, nWords, nonZeros } = await documentWordCounts(engine);
  request.onCorpus?.(corpus);
  stage('counts', `${nDocs} documents${saved ? ' new to the model' : ''}, ${nWords} words, ${nonZeros} non-zero counts`);

  const threads = resolveThreads(config.threads);
  const lda = { nTopics: config.topics, ...variationalPriors(config), iterations: config.iterations, freshStarts: config.freshStarts, seed: config.seed, threads };
  let model: LdaModel;
  let theta: Float64Array;
  let perplexity: number | null = null;
  if (saved) {
    model = saved.model;
    theta = nDocs > 0 ? await model.transform(corpus, { threads }) : new Float64Array(0);
    stage('topics', `θ of ${nDocs} new documents inferred with the saved topics`);
  } else {
    const fit = await fitLda(corpus, lda, request.onStep);
    ({ model, theta, perplexity } = fit);
    stage('lda', `perplexity ${fit.perplexity.toFixed(1)}`);
  }
  const K = model.nTopics;
  await registerKeyedMatrix(engine, 'ml_theta', { values: theta, rows: nDocs, K, prefix: 't' }, { table: 'ml_docs', key: 'doc', id: 'doc_id' });
  if (saved) {
    const topics = Array.from({ length: K }, (_, k) => d.ident(`t${k}`)).join(', ');
    await engine.run(`INSERT INTO ml_theta SELECT document AS doc, ${topics} FROM ml_saved_theta WHERE document IN (SELECT doc FROM ml_words)`);
  }
  await registerKeyedMatrix(engine, 'ml_phi', { values: wordMajor(model.phi(), K, model.nWords), rows: model.nWords, K, prefix: 'p' }, { table: 'ml_vocab', key: 'word', id: 'word_id' });
  await engine.run('DROP TABLE ml_words');
  const [{ documents }] = (await engine.query<{ documents: number }>('SELECT count(*) AS documents FROM ml_theta')) as [{ documents: number }];

  const suspicious = await scoreEvents(engine, { spec, table, events: 'ml_events', topics: K, threshold: config.threshold, maxResults: config.maxResults });
  stage('score', `${suspicious} events at or under ${config.threshold}`);

  const resultsFile = resultsPath(engine.lakePath, request.type, request.label);
  await mkdir(dirname(resultsFile), { recursive: true });
  const ranked = rankedResults(table, d);
  await engine.export(ranked, { format: 'parquet', path: resultsFile });
  let csvFile: string | null = null;
  if (request.outDir) {
    await mkdir(request.outDir, { recursive: true });
    csvFile = join(request.outDir, `${request.type}_results.csv`);
    await engine.export(ranked, { format: 'csv', path: csvFile });
  }
  const modelDir = request.modelDir ?? join(engine.lakePath, LAKE_DIRS.models, request.type, request.label);
  if (!saved) {
    const info = { type: request.type, label: request.label, from: new Date(request.range.from).toISOString(), to: new Date(request.range.to).toISOString(), events, nDocs, nWords, perplexity, lda };
    await saveModel(engine, modelDir, model, info);
  }
  stage('results');
  return { events: Number(events), documents: Number(documents), words: nWords, nonZeros, perplexity, suspicious, resultsFile, csvFile, modelDir, stages: stage.seconds };
}
