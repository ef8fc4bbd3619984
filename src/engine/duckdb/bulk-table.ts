import duckdb from '@duckdb/node-bindings';
import { JoinedText, TEXT_NULL, TEXT_SEPARATOR, type BatchColumn } from '../../lake/column-batch.js';
import type { ColumnKind } from '../../schema/index.js';
import type { DuckDbDialect } from '../dialect/duckdb.js';

/**
 * A table that takes columnar batches in a handful of native calls per batch, whatever its size:
 * every batch becomes ONE row whose cells hold the batch's columns — numbers as lists filled by a
 * single memory copy, text joined into one string — and `relation` unnests them back into rows.
 * Assigning strings one by one through the C API costs ~100 ns each and dominated ingest; here
 * the splitting runs inside DuckDB, on its own threads.
 *
 * Text encoding: values joined by U+001F, a null written as U+001E; a batch where one value
 * repeats (a sensor name, a format) stores it once, and a column that is all null stores
 * nothing — DuckDB pads the shorter lists of a multi-column UNNEST with NULLs. Lists of text:
 * items joined by U+001D, an empty list written as U+001C. A batch whose text itself holds one of
 * these characters (the counts tell) goes into the fallback list cell, one native call per value,
 * or for lists of text, JSON, which escapes every control character.
 */
const SEP = String.fromCharCode(TEXT_SEPARATOR);
const NULL_MARK = String.fromCharCode(TEXT_NULL);
const ITEM_SEP = '\u001d';
const EMPTY_LIST = '\u001c';

const ELEMENT: Partial<Record<ColumnKind, duckdb.Type>> = {
  timestamp: duckdb.Type.BIGINT,
  port: duckdb.Type.INTEGER,
  int: duckdb.Type.INTEGER,
  count: duckdb.Type.BIGINT,
  bigint: duckdb.Type.BIGINT,
  double: duckdb.Type.DOUBLE,
  bool: duckdb.Type.BOOLEAN,
};

export interface BulkColumn {
  readonly name: string;
  readonly kind: ColumnKind;
}

/** The stored cells of one column: names and DuckDB types. */
function cells(c: BulkColumn): { name: string; type: string; logical: () => duckdb.LogicalType }[] {
  const element = ELEMENT[c.kind];
  const list = (t: duckdb.Type) => () => duckdb.create_list_type(duckdb.create_logical_type(t));
  if (element !== undefined) {
    const sql = element === duckdb.Type.BIGINT ? 'BIGINT' : element === duckdb.Type.INTEGER ? 'INTEGER' : element === duckdb.Type.DOUBLE ? 'DOUBLE' : 'BOOLEAN';
    return [{ name: `${c.name}__v`, type: `${sql}[]`, logical: list(element) }];
  }
  const varchar = () => duckdb.create_logical_type(duckdb.Type.VARCHAR);
  return [
    { name: `${c.name}__j`, type: 'VARCHAR', logical: varchar },
    { name: `${c.name}__l`, type: 'VARCHAR[]', logical: list(duckdb.Type.VARCHAR) },
    { name: `${c.name}__c`, type: 'VARCHAR', logical: varchar },
  ];
}

export function bulkTableDdl(dialect: DuckDbDialect, table: string, columns: readonly BulkColumn[]): string {
  return `CREATE OR REPLACE TABLE ${dialect.ident(table)} (${columns.flatMap(cells).map((c) => `${dialect.ident(c.name)} ${c.type}`).join(', ')})`;
}

/** The rows appended to the table, with the columns' names and SQL types. */
export function bulkTableRelation(dialect: DuckDbDialect, table: string, columns: readonly BulkColumn[]): string {
  const q = (s: string) => dialect.ident(s);
  // Inner: one UNNEST per cell list, zipped row by row; outer: the text markers back to values.
  const inner: string[] = [];
  const outer = columns.map((c) => {
    const name = q(c.name);
    if (ELEMENT[c.kind] !== undefined) {
      inner.push(`unnest(${q(`${c.name}__v`)}) AS ${name}`);
      return c.kind === 'timestamp' ? `make_timestamp(${name}) AS ${name}` : name;
    }
    const [t, k, f] = [q(`${c.name}__t`), q(`${c.name}__c`), q(`${c.name}__f`)];
    inner.push(`unnest(coalesce(${q(`${c.name}__l`)}, string_split(${q(`${c.name}__j`)}, chr(31)))) AS ${t}`, `${q(`${c.name}__c`)} AS ${k}`, `${q(`${c.name}__l`)} IS NOT NULL AS ${f}`);
    if (c.kind !== 'textList') return `coalesce(CASE WHEN ${f} THEN ${t} ELSE nullif(${t}, chr(30)) END, ${k}) AS ${name}`;
    return (
      `CASE WHEN ${f} THEN from_json(${t}, '["VARCHAR"]') WHEN ${t} = chr(30) THEN NULL ` +
      `WHEN ${t} = chr(28) THEN CAST([] AS VARCHAR[]) ELSE string_split(${t}, chr(29)) END AS ${name}`
    );
  });
  return `(SELECT ${outer.join(', ')} FROM (SELECT ${inner.join(', ')} FROM ${q(table)}))`;
}

/** Appends batches to a bulk table; keep it open across batches, close() flushes. */
export class BulkAppender {
  readonly #appender: duckdb.Appender;
  readonly #chunk: duckdb.DataChunk;
  readonly #cellIndex: number[];
  #int64 = new BigInt64Array(0);
  readonly #entry = new BigUint64Array(2);

  constructor(
    connection: duckdb.Connection,
    table: string,
    private readonly columns: readonly BulkColumn[],
  ) {
    const all = columns.map(cells);
    this.#cellIndex = [];
    let i = 0;
    for (const c of all) {
      this.#cellIndex.push(i);
      i += c.length;
    }
    this.#appender = duckdb.appender_create(connection, null, table);
    this.#chunk = duckdb.create_data_chunk(all.flat().map((c) => c.logical()));
  }

  /** One batch of rows, as one stored row. */
  append(columns: readonly BatchColumn[], rows: number): void {
    if (rows === 0) return;
    const chunk = this.#chunk;
    duckdb.data_chunk_reset(chunk);
    this.#entry[0] = 0n;
    this.#entry[1] = BigInt(rows);
    for (let c = 0; c < columns.length; c++) {
      const col = columns[c]!;
      const first = this.#cellIndex[c]!;
      if (ELEMENT[col.kind] !== undefined) {
        this.#numbers(duckdb.data_chunk_get_vector(chunk, first), col, rows);
        continue;
      }
      const vectors = [0, 1, 2].map((k) => duckdb.data_chunk_get_vector(chunk, first + k));
      if (col.kind === 'textList') this.#textLists(vectors, col, rows);
      else this.#text(vectors, col, rows);
    }
    duckdb.data_chunk_set_size(chunk, 1);
    duckdb.append_data_chunk(this.#appender, chunk);
  }

  close(): void {
    duckdb.appender_close_sync(this.#appender);
  }

  #numbers(vector: duckdb.Vector, col: BatchColumn, rows: number): void {
    duckdb.list_vector_reserve(vector, rows);
    const child = duckdb.list_vector_get_child(vector);
    const v = col.values;
    if (v instanceof Float64Array && col.kind !== 'double') {
      if (this.#int64.length < rows) this.#int64 = new BigInt64Array(rows);
      const words = new Uint32Array(this.#int64.buffer);
      // Two 32-bit words per value (little-endian): no BigInt per value for the usual non-negative ones.
      for (let i = 0; i < rows; i++) {
        const x = v[i]!;
        if (x >= 0) {
          words[i * 2] = x % 4294967296;
          words[i * 2 + 1] = Math.floor(x / 4294967296);
        } else this.#int64[i] = BigInt(x);
      }
      duckdb.copy_data_to_vector(child, 0, this.#int64.buffer, 0, rows * 8);
    } else {
      const typed = v as Int32Array | Float64Array | Uint8Array;
      duckdb.copy_data_to_vector(child, 0, typed.buffer as ArrayBuffer, typed.byteOffset, rows * typed.BYTES_PER_ELEMENT);
    }
    duckdb.vector_ensure_validity_writable(child);
    duckdb.copy_data_to_vector_validity(child, 0, col.validity.buffer as ArrayBuffer, col.validity.byteOffset, Math.ceil(rows / 64) * 8);
    duckdb.list_vector_set_size(vector, rows);
    duckdb.copy_data_to_vector(vector, 0, this.#entry.buffer, 0, 16);
  }

  #text(vectors: readonly duckdb.Vector[], col: BatchColumn, rows: number): void {
    const [joinedVector, listVector, constVector] = vectors as [duckdb.Vector, duckdb.Vector, duckdb.Vector];
    for (const v of vectors) duckdb.vector_ensure_validity_writable(v);
    if (col.values instanceof JoinedText) {
      // Joined already, as bytes: one copy into DuckDB.
      if (col.values.count !== rows) throw new Error(`${col.name}: ${col.values.count} joined values for ${rows} rows`);
      duckdb.vector_assign_string_element_len(joinedVector, 0, col.values.bytes);
      setNull(constVector);
      setNull(listVector);
      return;
    }
    const values = col.values as (string | null)[];
    const first = values[0] ?? null;
    let same = true;
    for (let i = 1; i < rows && same; i++) same = (values[i] ?? null) === first;
    if (same) {
      // One value for the whole batch (or none): stored once.
      if (first !== null) duckdb.vector_assign_string_element(constVector, 0, first);
      else setNull(constVector);
      setNull(joinedVector);
      setNull(listVector);
      return;
    }
    setNull(constVector);
    let nulls = 0;
    const parts = new Array<string>(rows);
    for (let i = 0; i < rows; i++) {
      const s = values[i];
      if (s === null || s === undefined) {
        parts[i] = NULL_MARK;
        nulls++;
      } else parts[i] = s;
    }
    const joined = parts.join(SEP);
    if (countChar(joined, SEP) === rows - 1 && countChar(joined, NULL_MARK) === nulls) {
      duckdb.vector_assign_string_element(joinedVector, 0, joined);
      setNull(listVector);
      return;
    }
    this.#fallback(listVector, values, rows);
    setNull(joinedVector);
  }

  #textLists(vectors: readonly duckdb.Vector[], col: BatchColumn, rows: number): void {
    const [joinedVector, listVector, constVector] = vectors as [duckdb.Vector, duckdb.Vector, duckdb.Vector];
    for (const v of vectors) duckdb.vector_ensure_validity_writable(v);
    setNull(constVector);
    const values = col.values as (readonly string[] | null)[];
    let nulls = 0;
    let empties = 0;
    let items = 0;
    const parts = new Array<string>(rows);
    for (let i = 0; i < rows; i++) {
      const list = values[i];
      if (list === null || list === undefined) {
        parts[i] = NULL_MARK;
        nulls++;
      } else if (list.length === 0) {
        parts[i] = EMPTY_LIST;
        empties++;
      } else {
        parts[i] = list.length === 1 ? list[0]! : list.join(ITEM_SEP);
        items += list.length - 1;
      }
    }
    const joined = parts.join(SEP);
    if (
      countChar(joined, SEP) === rows - 1 &&
      countChar(joined, NULL_MARK) === nulls &&
      countChar(joined, EMPTY_LIST) === empties &&
      countChar(joined, ITEM_SEP) === items
    ) {
      duckdb.vector_assign_string_element(joinedVector, 0, joined);
      setNull(listVector);
      return;
    }
    // Lists holding the markers travel as JSON, which escapes every control character.
    this.#fallback(listVector, values.slice(0, rows).map((l) => JSON.stringify(l ?? null)), rows);
    setNull(joinedVector);
  }

  /** One native call per value, for a batch whose text holds the separators. */
  #fallback(listVector: duckdb.Vector, values: readonly (string | null)[], rows: number): void {
    duckdb.list_vector_reserve(listVector, rows);
    const child = duckdb.list_vector_get_child(listVector);
    duckdb.vector_ensure_validity_writable(child);
    const valid = new Uint8Array(Math.ceil(rows / 64) * 8);
    for (let i = 0; i < rows; i++) {
      const s = values[i];
      if (s === null || s === undefined) continue;
      duckdb.vector_assign_string_element(child, i, s);
      valid[i >> 3]! |= 1 << (i & 7);
    }
    duckdb.copy_data_to_vector_validity(child, 0, valid.buffer, 0, valid.byteLength);
    duckdb.list_vector_set_size(listVector, rows);
    duckdb.copy_data_to_vector(listVector, 0, this.#entry.buffer, 0, 16);
  }
}

function countChar(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

/** Mark row 0 of a one-row chunk's vector as NULL. */
function setNull(vector: duckdb.Vector): void {
  duckdb.copy_data_to_vector_validity(vector, 0, new Uint8Array(8).buffer, 0, 8);
}
