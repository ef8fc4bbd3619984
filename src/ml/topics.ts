import type { BulkTable, EngineSession } from '../engine/index.js';
import type { BatchColumn } from '../lake/column-batch.js';

/**
 * Register a row-major matrix (rows × K, e.g. θ or φ transposed) as a wide table
 * `(id, <prefix>0 … <prefix>K-1)`, so that scores are a join and a sum in SQL.
 */
export async function registerMatrix(engine: EngineSession, name: string, values: Float64Array, rows: number, K: number, prefix: string): Promise<void> {
  const columns = [{ name: 'id', kind: 'int' as const }, ...Array.from({ length: K }, (_, k) => ({ name: `${prefix}${k}`, kind: 'double' as const }))];
  const table: BulkTable = await engine.bulkTable(`${name}_bulk`, columns);
  const validity = new Uint8Array(Math.ceil(Math.max(rows, 1) / 64) * 8).fill(255);
  const ids = new Int32Array(rows);
  for (let i = 0; i < rows; i++) ids[i] = i;
  const batch: BatchColumn[] = [{ name: 'id', kind: 'int', values: ids, validity }];
  for (let k = 0; k < K; k++) {
    const col = new Float64Array(rows);
    for (let i = 0; i < rows; i++) col[i] = values[i * K + k]!;
    batch.push({ name: `${prefix}${k}`, kind: 'double', values: col, validity });
  }
  table.append(batch, rows);
  table.flush();
  await engine.run(`CREATE OR REPLACE TEMP TABLE ${engine.dialect.ident(name)} AS SELECT * FROM ${table.relation} AS m`);
  await engine.run(`DROP TABLE ${engine.dialect.ident(`${name}_bulk`)}`);
}

/**
 * Register a row-major matrix keyed by the names of its rows: `name (<key>, <prefix>0 … <prefix>K-1)`, where row i is
 * the row of `keys` whose `id` column is i (θ by document, φ by word), so that scoring joins on the text itself.
 */
export async function registerKeyedMatrix(
  engine: EngineSession,
  name: string,
  matrix: { values: Float64Array; rows: number; K: number; prefix: string },
  keys: { table: string; key: string; id: string },
): Promise<void> {
  const d = engine.dialect;
  await registerMatrix(engine, `${name}_by_id`, matrix.values, matrix.rows, matrix.K, matrix.prefix);
  const columns = Array.from({ length: matrix.K }, (_, k) => `m.${d.ident(`${matrix.prefix}${k}`)}`);
  await engine.run(
    `CREATE OR REPLACE TEMP TABLE ${d.ident(name)} AS SELECT k.${d.ident(keys.key)} AS ${d.ident(keys.key)}, ${columns.join(', ')} ` +
      `FROM ${d.ident(`${name}_by_id`)} AS m JOIN ${d.ident(keys.table)} AS k ON k.${d.ident(keys.id)} = m.id`,
  );
  await engine.run(`DROP TABLE ${d.ident(`${name}_by_id`)}`);
}

/** φ is K × nWords, topic-major; the word table wants one row per word. */
export function wordMajor(phi: Float64Array, K: number, nWords: number): Float64Array {
  const out = new Float64Array(nWords * K);
  for (let k = 0; k < K; k++) for (let w = 0; w < nWords; w++) out[w * K + k] = phi[k * nWords + w]!;
  return out;
}

/** SQL of Σ_k θ[doc][k]·φ[k][word] for the aliases of the θ (t0 …) and φ (p0 …) tables. */
export function scoreSum(theta: string, phi: string, K: number): string {
  return Array.from({ length: K }, (_, k) => `${theta}.t${k} * ${phi}.p${k}`).join(' + ');
}
