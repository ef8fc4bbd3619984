import type { ColumnKind, TableDef } from '../schema/index.js';

/**
 * Rows of one table gathered column by column, ready for a bulk append: numbers in typed arrays
 * (counters and timestamps as doubles, exact up to 2^53), text and lists as JS values, and a
 * validity bitmap per column (bit set = value present, as DuckDB and Arrow lay it out).
 */
export interface BatchColumn {
  readonly name: string;
  readonly kind: ColumnKind;
  /**
   * Int32Array (port, int), Float64Array (timestamp, count, bigint, double), Uint8Array (bool), an
   * array of strings / string lists, or text already joined as bytes (JoinedText).
   */
  readonly values: Int32Array | Float64Array | Uint8Array | (string | null)[] | (readonly string[] | null)[] | JoinedText;
  /** One bit per row, least significant first. */
  readonly validity: Uint8Array;
}

/** Between two values of a JoinedText. */
export const TEXT_SEPARATOR = 0x1f;
/** A null value in a JoinedText. */
export const TEXT_NULL = 0x1e;

const encoder = new TextEncoder();

/**
 * The text values of a batch column as one UTF-8 byte string, for decoders that read their input
 * as bytes: a value is copied from the input once, with no JS string made for it. Values are
 * separated by TEXT_SEPARATOR and a null is TEXT_NULL; the writer must not add a value holding a
 * byte below 0x20 (neither marker can then occur in one).
 */
export class JoinedText {
  #bytes = new Uint8Array(1 << 16);
  #length = 0;
  /** Values added since the last clear. */
  count = 0;

  /** The joined values. */
  get bytes(): Uint8Array {
    return this.#bytes.subarray(0, this.#length);
  }

  add(source: Buffer, start: number, end: number): void {
    const at = this.#room(end - start + 1);
    const out = this.#bytes;
    // Long values in one native copy (no view object made for it), short ones byte by byte.
    if (end - start > 24) source.copy(out, at, start, end);
    else for (let i = start, o = at; i < end; i++, o++) out[o] = source[i]!;
    this.#length = at + end - start;
  }

  /** A value given as a string. */
  addText(text: string): void {
    const at = this.#room(text.length * 3 + 1);
    this.#length = at + encoder.encodeInto(text, this.#bytes.subarray(at)).written;
  }

  addNull(): void {
    this.#length = this.#room(1) + 1;
    this.#bytes[this.#length - 1] = TEXT_NULL;
  }

  clear(): void {
    this.#length = 0;
    this.count = 0;
  }

  /** Where the next value goes, its separator written and room made for it. */
  #room(bytes: number): number {
    if (this.#length + bytes + 1 > this.#bytes.length) {
      const grown = new Uint8Array(Math.max(this.#bytes.length * 2, this.#length + bytes + 1));
      grown.set(this.#bytes.subarray(0, this.#length));
      this.#bytes = grown;
    }
    if (this.count++ > 0) this.#bytes[this.#length++] = TEXT_SEPARATOR;
    return this.#length;
  }
}

type Filler = (value: unknown, row: number) => boolean;

export class ColumnBatch {
  readonly columns: BatchColumn[];
  readonly #fill: Filler[];
  #rows = 0;

  constructor(
    table: Pick<TableDef, 'sourceColumns' | 'columns'>,
    readonly capacity: number,
  ) {
    this.columns = table.sourceColumns.map((name) => {
      const kind = table.columns[name]!.kind;
      return { name, kind, values: newValues(kind, capacity), validity: new Uint8Array(Math.ceil(capacity / 64) * 8) };
    });
    this.#fill = this.columns.map((c) => filler(c));
  }

  get rows(): number {
    return this.#rows;
  }

  get full(): boolean {
    return this.#rows >= this.capacity;
  }

  /** Add one row (an object with the table's source columns). */
  push(row: Readonly<Record<string, unknown>>): void {
    const r = this.#rows;
    for (let c = 0; c < this.columns.length; c++) {
      const col = this.columns[c]!;
      const v = row[col.name];
      if (v !== null && v !== undefined && this.#fill[c]!(v, r)) col.validity[r >> 3]! |= 1 << (r & 7);
    }
    this.#rows++;
  }

  /** Empty the batch for reuse. */
  clear(): void {
    for (const c of this.columns) {
      c.validity.fill(0, 0, Math.ceil(this.#rows / 8));
      if (Array.isArray(c.values)) c.values.fill(null, 0, this.#rows);
    }
    this.#rows = 0;
  }
}

/**
 * A batch of rows whose text columns are JoinedText, filled a value at a time by decoders that
 * read bytes: the decoder adds each column's value (text, or a number and its valid() bit) and
 * then ends the row. Lines say where each row came from, for sinks that keep it.
 */
export class JoinedBatch {
  readonly columns: BatchColumn[];
  readonly lines: Int32Array;
  rows = 0;

  constructor(
    table: Pick<TableDef, 'sourceColumns' | 'columns'>,
    readonly capacity: number,
  ) {
    this.columns = table.sourceColumns.map((name) => {
      const kind = table.columns[name]!.kind;
      if (kind === 'textList') throw new Error(`a joined batch has no list columns (${name})`);
      const values = kind === 'text' || kind === 'ip' ? new JoinedText() : newValues(kind, capacity);
      return { name, kind, values, validity: new Uint8Array(Math.ceil(capacity / 64) * 8) };
    });
    this.lines = new Int32Array(capacity);
  }

  get full(): boolean {
    return this.rows >= this.capacity;
  }

  /** The text column at index c. */
  text(c: number): JoinedText {
    return this.columns[c]!.values as JoinedText;
  }

  /** The numbers of column c (port, int, timestamp, count, bigint, double). */
  numbers(c: number): Int32Array | Float64Array {
    return this.columns[c]!.values as Int32Array | Float64Array;
  }

  /** Mark column c of the current row present. */
  valid(c: number): void {
    const r = this.rows;
    this.columns[c]!.validity[r >> 3]! |= 1 << (r & 7);
  }

  endRow(line: number): void {
    this.lines[this.rows++] = line;
  }

  clear(): void {
    for (const c of this.columns) {
      c.validity.fill(0, 0, Math.ceil(this.rows / 8));
      if (c.values instanceof JoinedText) c.values.clear();
    }
    this.rows = 0;
  }
}

/** The rows of a batch as objects (text decoded), for sinks that keep rows rather than write them. */
export function batchRows(columns: readonly BatchColumn[], rows: number): Record<string, unknown>[] {
  const out = Array.from({ length: rows }, () => ({}) as Record<string, unknown>);
  for (const c of columns) {
    const v = c.values;
    const texts = v instanceof JoinedText ? Buffer.from(v.bytes).toString('utf8').split(String.fromCharCode(TEXT_SEPARATOR)) : null;
    for (let r = 0; r < rows; r++) {
      const present = (c.validity[r >> 3]! & (1 << (r & 7))) !== 0;
      if (texts !== null) out[r]![c.name] = texts[r] === String.fromCharCode(TEXT_NULL) ? null : texts[r];
      else if (ArrayBuffer.isView(v)) out[r]![c.name] = !present ? null : v instanceof Uint8Array ? v[r] === 1 : (v as Int32Array | Float64Array)[r];
      else out[r]![c.name] = (v as unknown[])[r] ?? null;
    }
  }
  return out;
}

function newValues(kind: ColumnKind, n: number): BatchColumn['values'] {
  switch (kind) {
    case 'port':
    case 'int':
      return new Int32Array(n);
    case 'timestamp':
    case 'count':
    case 'bigint':
    case 'double':
      return new Float64Array(n);
    case 'bool':
      return new Uint8Array(n);
    case 'ip':
    case 'text':
    case 'textList':
      return new Array<null>(n).fill(null);
  }
}

function filler(c: BatchColumn): Filler {
  const values = c.values;
  if (values instanceof Int32Array || values instanceof Float64Array) {
    // 64-bit integer kinds must hold whole numbers; a timestamp computed from a fraction is rounded.
    const round = c.kind !== 'double';
    return (v, r) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) return false;
      values[r] = round ? Math.round(v) : v;
      return true;
    };
  }
  if (values instanceof Uint8Array) {
    return (v, r) => {
      values[r] = v ? 1 : 0;
      return true;
    };
  }
  const list = values as unknown[];
  return (v, r) => {
    list[r] = v;
    return true;
  };
}
