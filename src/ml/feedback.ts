import type { EngineSession } from '../engine/index.js';
import { tableFor, type TelemetryType } from '../schema/index.js';
import { InputError } from '../shared/errors.js';
import { WORDS } from './words/index.js';

/**
 * The analyst's ratings as the model reads them: a CSV with a header, one event per line — the
 * columns of the type's canonical table that the words are made of (any others are ignored; a
 * <type>_results.csv carries them all) — and `rating`: 1 high, 2 medium, 3 low risk. Rows rated
 * 3 count dupfactor times in training, as Spot intended (its own file could not be read back).
 * Returns how many rows are rated 3; they are in the temporary table ml_feedback.
 */
export async function readFeedback(engine: EngineSession, type: TelemetryType, path: string): Promise<number> {
  const d = engine.dialect;
  const table = tableFor(type);
  const needed = [...WORDS[type].inputs, 'rating'];
  let header: string[];
  try {
    header = (await engine.query<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE SELECT * FROM read_csv(${d.string(path)}, header = true, all_varchar = true))`)).map(
      (r) => r.column_name,
    );
  } catch (e) {
    throw new InputError(path, `not a readable CSV feedback file: ${(e as Error).message.split('\n')[0]}`);
  }
  const missing = needed.filter((c) => !header.includes(c));
  if (missing.length) throw new InputError(path, `feedback for ${type} needs the columns ${missing.join(', ')} (see docs/ml.md)`);
  const known = header.filter((c) => table.columns[c] && !table.columns[c]!.derived);
  const cast = known.map((c) => {
    const kind = table.columns[c]!.kind;
    const q = d.ident(c);
    return kind === 'textList' ? `from_json(${q}, '["VARCHAR"]') AS ${q}` : `CAST(${q} AS ${d.type(kind)}) AS ${q}`;
  });
  try {
    await engine.run(
      `CREATE OR REPLACE TEMP TABLE ml_feedback AS SELECT ${cast.join(', ')} FROM read_csv(${d.string(path)}, header = true, all_varchar = true) ` +
        `WHERE CAST(rating AS INTEGER) = 3`,
    );
    const bad = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM read_csv(${d.string(path)}, header = true, all_varchar = true) WHERE TRY_CAST(rating AS INTEGER) NOT IN (1, 2, 3) OR rating IS NULL`);
    if (Number(bad[0]?.n) > 0) throw new InputError(path, `${bad[0]!.n} rows have a rating other than 1, 2 or 3`);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(path, `a value does not fit its column: ${(e as Error).message.split('\n')[0]}`);
  }
  const [r] = await engine.query<{ n: number }>('SELECT count(*) AS n FROM ml_feedback');
  return Number(r?.n ?? 0);
}
