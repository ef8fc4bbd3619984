import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { EngineSession, TimeRange } from '../engine/index.js';
import { LAKE_DIRS } from '../lake/layout.js';
import { tableFor, type TelemetryType } from '../schema/index.js';
import { decodeModel, encodeModel, fitLda, type LdaModel } from './lda/index.js';
import { variationalPriors, type MlConfig } from './config.js';
import { documentWordCounts } from './counts.js';
import { readFeedback } from './feedback.js';
import { resultsPath } from './results.js';
import { registerMatrix, scoreSum, wordMajor } from './topics.js';
import { WORDS } from './words/index.js';
import { stageTimer } from '../shared/stage-timer.js';

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
 */
export async function runSuspiciousConnects(engine: EngineSession & { lakePath: string }, config: MlConfig, request: MlRequest): Promise<MlSummary> {
  const d = engine.dialect;
  const spec = WORDS[request.type];
  const table = tableFor(request.type);
  const stage = stageTimer(request.onStage);

  // Events of the range, and what training adds from the analyst's ratings.
  const lake = await engine.lakeView(request.type, request.range, 'ml_lake');
  const time = d.ident(table.partitionBy);
  await engine.run(
    `CREATE OR REPLACE TEMP VIEW ml_events AS SELECT * FROM ${lake} WHERE ${time} >= ${d.timestamp(request.range.from)} AND ${time} < ${d.timestamp(request.range.to)} AND ${spec.valid(d)}`,
  );
  let training = `(SELECT *, 1 AS ml_weight FROM ml_events)`;
  if (request.feedbackFile && !request.modelDir) {
    const rated = await readFeedback(engine, request.type, request.feedbackFile);
    if (rated > 0) training = `(SELECT *, 1 AS ml_weight FROM ml_events UNION ALL BY NAME SELECT *, ${config.dupfactor} AS ml_weight FROM ml_feedback WHERE ${spec.valid(d)})`;
  }
  const [{ events }] = (await engine.query<{ events: number }>('SELECT count(*) AS events FROM ml_events')) as [{ events: number }];
  await spec.prepare(engine, training, config);
  stage('events', `${events} events`);

  // Words of every side of every event, with their weights.
  const sides = spec.sides(d);
  const wordsOf = (relation: string) =>
    sides.map((s, i) => `SELECT ${s.doc} AS doc, ${s.word} AS word, ml_weight, ${i} AS side FROM ${spec.relation(relation)} AS r`).join(' UNION ALL ');
  await engine.run(`CREATE OR REPLACE TEMP TABLE ml_words AS ${wordsOf(training)}`);
  stage('words');

  const modelDir = request.modelDir ?? join(engine.lakePath, LAKE_DIRS.models, request.type, request.label);
  let model: LdaModel;
  let perplexity: number | null = null;
  let theta: Float64Array;
  if (request.modelDir) {
    ({ model } = decodeModel(await readFile(join(modelDir, 'model.bin'))));
    await engine.run(`CREATE OR REPLACE TEMP TABLE ml_vocab AS SELECT * FROM read_parquet(${d.string(join(modelDir, 'vocab.parquet'))})`);
  } else {
    await engine.run(`CREATE OR REPLACE TEMP TABLE ml_vocab AS SELECT word, CAST(row_number() OVER (ORDER BY word) - 1 AS INTEGER) AS word_id FROM (SELECT DISTINCT word FROM ml_words) AS w`);
  }
  await engine.run(`CREATE OR REPLACE TEMP TABLE ml_docs AS SELECT doc, CAST(row_number() OVER (ORDER BY doc) - 1 AS INTEGER) AS doc_id FROM (SELECT DISTINCT doc FROM ml_words) AS w`);
  const { corpus, nDocs, nWords, nonZeros } = await documentWordCounts(engine);
  stage('counts', `${nDocs} documents, ${nWords} words, ${nonZeros} non-zero counts`);

  const lda = { nTopics: config.topics, ...variationalPriors(config), iterations: config.iterations, freshStarts: config.freshStarts, seed: config.seed, threads: config.threads };
  if (request.modelDir) {
    model = model!;
    theta = await model.transform(corpus, { threads: config.threads });
    stage('topics', 'θ of the documents inferred with the saved model');
  } else {
    const fit = await fitLda(corpus, lda);
    model = fit.model;
    theta = fit.theta;
    perplexity = fit.perplexity;
    stage('lda', `perplexity ${perplexity.toFixed(1)}`);
  }
  const K = model.nTopics;
  await registerMatrix(engine, 'ml_theta', theta, nDocs, K, 't');
  await registerMatrix(engine, 'ml_phi', wordMajor(model.phi(), K, model.nWords), model.nWords, K, 'p');

  // Every event scored; unseen words (and documents) score 0, the most suspicious.
  const joins: string[] = [];
  const sideScores = sides.map((s, i) => {
    joins.push(
      `LEFT JOIN ml_docs AS o${i} ON o${i}.doc = w.ml_d${i} LEFT JOIN ml_theta AS t${i} ON t${i}.id = o${i}.doc_id ` +
        `LEFT JOIN ml_vocab AS v${i} ON v${i}.word = w.ml_w${i} LEFT JOIN ml_phi AS p${i} ON p${i}.id = v${i}.word_id`,
    );
    return `coalesce(${scoreSum(`t${i}`, `p${i}`, K)}, 0)`;
  });
  const sideCols = sides.flatMap((s, i) => [`${s.doc} AS ml_d${i}`, `${s.word} AS ml_w${i}`]);
  const score = sides.length === 1 ? sideScores[0]! : `least(${sideScores.join(', ')})`;
  const wordNames = sides.length === 1 ? ['word'] : ['src_word', 'dst_word'];
  const columns = table.columnNames.map((c) => `w.${d.ident(c)}`);
  // Equal scores are common (the same word in the same document): time, then every column, orders them the same way every run.
  const tieBreak = [time, ...table.columnNames.filter((c) => c !== table.partitionBy).map((c) => d.ident(c))];
  await engine.run(
    `CREATE OR REPLACE TEMP TABLE ml_scored AS SELECT ${columns.join(', ')}, ${wordNames.map((n, i) => `w.ml_w${i} AS ${n}`).join(', ')}, ${score} AS score ` +
      `FROM (SELECT *, ${sideCols.join(', ')} FROM ${spec.relation('(SELECT *, 1 AS ml_weight FROM ml_events)')} AS r) AS w ${joins.join(' ')} ` +
      `WHERE ${score} <= ${Number(config.threshold)} ORDER BY score, ${tieBreak.map((c) => `w.${c}`).join(', ')} LIMIT ${config.maxResults}`,
  );
  const [{ suspicious }] = (await engine.query<{ suspicious: number }>('SELECT count(*) AS suspicious FROM ml_scored')) as [{ suspicious: number }];
  stage('score', `${suspicious} events at or under ${config.threshold}`);

  const resultsFile = resultsPath(engine.lakePath, request.type, request.label);
  await mkdir(dirname(resultsFile), { recursive: true });
  const ranked = `SELECT *, CAST(row_number() OVER (ORDER BY score, ${tieBreak.join(', ')}) AS INTEGER) AS rank FROM ml_scored ORDER BY rank`;
  await engine.export(ranked, { format: 'parquet', path: resultsFile });
  let csvFile: string | null = null;
  if (request.outDir) {
    await mkdir(request.outDir, { recursive: true });
    csvFile = join(request.outDir, `${request.type}_results.csv`);
    await engine.export(ranked, { format: 'csv', path: csvFile });
  }
  if (!request.modelDir) await saveModel(engine, modelDir, model, request, { events, nDocs, nWords, perplexity, lda });
  stage('results');
  return { events: Number(events), documents: nDocs, words: nWords, nonZeros, perplexity, suspicious: Number(suspicious), resultsFile, csvFile, modelDir, stages: stage.seconds };
}

async function saveModel(engine: EngineSession, dir: string, model: LdaModel, request: MlRequest, meta: Record<string, unknown>): Promise<void> {
  await mkdir(dir, { recursive: true });
  const info = { type: request.type, label: request.label, from: new Date(request.range.from).toISOString(), to: new Date(request.range.to).toISOString(), ...meta };
  await writeFile(join(dir, 'model.bin'), encodeModel(model, info));
  await engine.export('SELECT word, word_id FROM ml_vocab ORDER BY word_id', { format: 'parquet', path: join(dir, 'vocab.parquet') });
  await writeFile(join(dir, 'model.json'), JSON.stringify(info, null, 2) + '\n');
}

