import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { EngineSession } from '../engine/index.js';
import { tableFor, type TelemetryType } from '../schema/index.js';
import { InputError } from '../shared/errors.js';
import { WORDS } from './words/index.js';

const REJECTS = 'ml_feedback_rejects';
const RATINGS = [1, 2, 3] as const;

/**
 * The analyst's ratings as the model reads them: a CSV with a header, one event per line — the
 * columns of the type's canonical table that the words are made of (`WORDS[type].inputs`, derived
 * ones such as proxy's fulluri included; any other column is ignored, so a <type>_results.csv
 * carries them all) — and `rating`: 1 high, 2 medium, 3 low risk. Rows rated 3 count dupfactor
 * times in training, as Spot intended (its own file could not be read back). Only the word inputs
 * are typed, so the other columns of a results file (DNS answers, …) are read back whatever their
 * form. Returns how many rows are rated 3; they are in the temporary table ml_feedback (the word
 * inputs, typed as the lake's columns).
 */
export async function readFeedback(engine: EngineSession, type: TelemetryType, path: string): Promise<number> {
  const d = engine.dialect;
  const table = tableFor(type);
  const inputs = WORDS[type].inputs;
  const header = await readHeader(path);
  const missing = [...inputs, 'rating'].filter((c) => !header.includes(c));
  if (missing.length) throw new InputError(path, `feedback for ${type} needs the columns ${missing.join(', ')} (see docs/ml.md)`, { line: 1 });

  // The reader types the word inputs and the rating itself, so a value that does not convert is rejected with its line.
  const typeOf = (name: string) => (name === 'rating' ? d.type('int') : inputs.includes(name) ? d.type(table.columns[name]!.kind) : d.type('text'));
  const columns = header.map((name, i) => ({ name: name === 'rating' || inputs.includes(name) ? name : `ml_other_${i}`, type: typeOf(name) }));
  const relation = engine.readText(path, { columns, delimiter: ',', header: true, quoted: true, rejectsTable: REJECTS });
  await engine.run(`DROP TABLE IF EXISTS ${REJECTS}; DROP TABLE IF EXISTS ${REJECTS}_scan`);
  const select = inputs.map((c) => d.ident(c)).join(', ');
  try {
    await engine.run(`CREATE OR REPLACE TEMP TABLE ml_feedback_all AS SELECT ${select}, rating, row_number() OVER () + 1 AS ml_line FROM ${relation} AS f`);
  } catch (e) {
    throw new InputError(path, `not a readable CSV feedback file: ${(e as Error).message.split('\n')[0]}`);
  }
  const [reject] = await engine.query<{ line: number; column_name: string | null; error_type: string; error_message: string }>(
    `SELECT line, column_name, error_type, error_message FROM ${REJECTS} ORDER BY line, column_idx LIMIT 1`,
  );
  await engine.run(`DROP TABLE IF EXISTS ${REJECTS}; DROP TABLE IF EXISTS ${REJECTS}_scan`);
  if (reject) {
    const column = reject.error_type === 'CAST' && reject.column_name ? `column ${reject.column_name}: ` : '';
    const why =
      reject.error_type === 'CAST'
        ? `the value is not of the column's type (${typeOf(reject.column_name ?? '')})`
        : reject.error_type === 'MISSING COLUMNS' || reject.error_type === 'TOO MANY COLUMNS'
          ? `the line does not have the header's ${header.length} fields`
          : reject.error_message.split('\n')[0]!.trim();
    throw new InputError(path, `${column}${why}`, { line: Number(reject.line) });
  }
  const [bad] = await engine.query<{ ml_line: number; rating: number | null }>(
    `SELECT ml_line, rating FROM ml_feedback_all WHERE rating IS NULL OR rating NOT IN (${RATINGS.join(', ')}) ORDER BY ml_line LIMIT 1`,
  );
  if (bad) throw new InputError(path, `column rating: ${bad.rating ?? 'an empty value'} is not a rating (1 high, 2 medium, 3 low risk)`, { line: Number(bad.ml_line) });
  await engine.run(`CREATE OR REPLACE TEMP TABLE ml_feedback AS SELECT ${select} FROM ml_feedback_all WHERE rating = 3`);
  await engine.run('DROP TABLE ml_feedback_all');
  const [r] = await engine.query<{ n: number }>('SELECT count(*) AS n FROM ml_feedback');
  return Number(r?.n ?? 0);
}

/** The column names of the header line (the only line read in JavaScript). */
async function readHeader(path: string): Promise<string[]> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  try {
    for await (const line of lines) return line.replace(/^\uFEFF/, '').split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  } catch (e) {
    throw new InputError(path, `cannot read the feedback file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  } finally {
    lines.close();
  }
  throw new InputError(path, 'the feedback file is empty: expected a header line (see docs/ml.md)');
}
