import type { ColumnKind, TableDef } from '../schema/index.js';

/**
 * Rows of one table gathered column by column, ready for a bulk append: numbers in typed arrays
 * (counters and timestamps as doubles, exact up to 2^53), text and lists as JS values, and a
 * validity bitmap per column (bit set = value present, as DuckDB and Arrow lay it out).
 */
export interface BatchColumn {
  readonly name: string;
  readonly kind: ColumnKind;
  /** Int32Array (port, int), Float64Array (timestamp, count, bigint, double), Uint8Array (bool), or an array of strings / string lists. */
  readonly values: Int32Array | Float64Array | Uint8Array | (string | null)[] | (readonly string[] | null)[];
  /** One bit per row, least significant first. */
  readonly validity: Uint8Array;
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
