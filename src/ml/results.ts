import { join } from 'node:path';
import { LAKE_DIRS } from '../lake/layout.js';
import { col, defineTable, type ColumnMap, tableFor, type TableDef, type TelemetryType } from '../schema/index.js';

/**
 * The ML results of one type: the type's own columns, the word of each side, the score and the rank. Derived from
 * the telemetry table so that the two never drift.
 */
export function resultsTable(type: TelemetryType): TableDef {
  const base = tableFor(type);
  // A flow is a word in both its ends' documents (docs/ml.md); the others one word in the client's.
  const words = type === 'flow' ? ['src_word', 'dst_word'] : ['word'];
  const columns: ColumnMap = {
    ...base.columns,
    ...Object.fromEntries(words.map((w) => [w, col.text(`The event's word${words.length > 1 ? ` on the ${w.slice(0, 3)} side` : ''} (docs/ml.md).`)])),
    score: col.double('Σ_k θ[doc][k]·φ[k][word]; for flows the lower of the two sides.', { required: true }),
    rank: col.int('1 = the lowest score of the day.', { required: true }),
  };
  return defineTable(`${type}_results`, columns, { partitionBy: base.partitionBy, description: `Suspicious ${type} events of a day, scored by LDA.` });
}

/** Where a day's results of a type are: <lake>/scores/<type>/y=/m=/d=/<type>_results.parquet. */
export function resultsPath(lakePath: string, type: TelemetryType, day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return join(lakePath, LAKE_DIRS.scores, type, `y=${y}`, `m=${m}`, `d=${d}`, `${type}_results.parquet`);
}
