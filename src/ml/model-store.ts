import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineSession } from '../engine/index.js';
import { col, type ColumnMap, type TableDef } from '../schema/index.js';
import { InputError } from '../shared/errors.js';
import { decodeModel, encodeModel, type LdaModel } from './lda/index.js';

/*
 * A model folder, one per day and type (<lake>/models/<type>/<day>/): model.bin (λ and the LDA settings),
 * vocab.parquet (word → id, the columns of φ), theta.parquet (each training document's topic mix θ: document,
 * t0 … t(K−1)) and model.json (parameters, data range, sizes). Parquet files go through the engine.
 */

export const MODEL_FILES = { model: 'model.bin', vocab: 'vocab.parquet', theta: 'theta.parquet', info: 'model.json' } as const;

/** The columns of a model file, for the engine's Parquet view: not a lake table, so no time column partitions it. */
function modelTable(name: string, description: string, columns: ColumnMap): TableDef {
  const columnNames = Object.keys(columns);
  return { name, description, columns, partitionBy: '', columnNames, sourceColumns: columnNames, hash: '' };
}

const VOCAB = modelTable('vocab', 'The words of the training day, each with its column in φ.', { word: col.text('A word.'), word_id: col.int('Its column in φ.') });

/** theta.parquet's columns for K topics. */
export function thetaTable(K: number): TableDef {
  const topics = Object.fromEntries(Array.from({ length: K }, (_, k) => [`t${k}`, col.double(`θ[document][${k}]`)]));
  return modelTable('theta', 'Each training document\'s topic mix.', { document: col.text('A training document: an IP address.'), ...topics });
}

/**
 * Saves a fitted model from the session's ml_vocab (word, word_id) and ml_theta (doc, t0 …): the training documents'
 * θ, as the fit left it, is part of the model, so that scoring with it gives the fit's own scores.
 */
export async function saveModel(engine: EngineSession, dir: string, model: LdaModel, info: Readonly<Record<string, unknown>>): Promise<void> {
  const d = engine.dialect;
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, MODEL_FILES.model), encodeModel(model, info));
  await engine.export('SELECT word, word_id FROM ml_vocab ORDER BY word_id', { format: 'parquet', path: join(dir, MODEL_FILES.vocab) });
  const topics = Array.from({ length: model.nTopics }, (_, k) => d.ident(`t${k}`));
  await engine.export(`SELECT doc AS document, ${topics.join(', ')} FROM ml_theta ORDER BY doc`, { format: 'parquet', path: join(dir, MODEL_FILES.theta) });
  await writeFile(join(dir, MODEL_FILES.info), JSON.stringify(info, null, 2) + '\n');
}

/**
 * A saved model: λ and settings, its vocabulary as the temporary table ml_vocab, and its documents' θ as the view
 * ml_saved_theta (document, t0 …); a folder saved before θ was kept gives an empty view (every document's θ is then
 * inferred).
 */
export async function loadModel(engine: EngineSession, dir: string): Promise<{ model: LdaModel; info: unknown }> {
  const bin = join(dir, MODEL_FILES.model);
  const bytes = await readFile(bin).catch((e: NodeJS.ErrnoException) => {
    throw new InputError(bin, `not a saved model: ${e.code ?? e.message}`);
  });
  let decoded: { model: LdaModel; meta: unknown };
  try {
    decoded = decodeModel(bytes);
  } catch (e) {
    throw new InputError(bin, (e as Error).message);
  }
  const vocab = join(dir, MODEL_FILES.vocab);
  if (!(await stat(vocab).catch(() => null))?.isFile()) throw new InputError(vocab, 'the model folder has no vocabulary');
  const view = await engine.parquetView('ml_saved_vocab', [vocab], VOCAB);
  await engine.run(`CREATE OR REPLACE TEMP TABLE ml_vocab AS SELECT word, word_id FROM ${view} AS v`);
  await engine.parquetView('ml_saved_theta', [join(dir, MODEL_FILES.theta)], thetaTable(decoded.model.nTopics));
  return { model: decoded.model, info: decoded.meta };
}
