/**
 * The common ELFF line read straight from its bytes. A Blue Coat log is mostly lines of printable
 * ASCII whose fields need no unescaping and whose values are either copied as they are or are
 * plain numbers; such a line is cut into fields on its bytes and each value is copied once into a
 * JoinedBatch, with no JS string made for it. Every other line — any byte outside printable ASCII,
 * an escape, a joined quote, a field count or a value the copy cannot take as it is (a host with
 * a port, an IPv6 address, a fraction of a second, a bad number …) — is left to the text decoder
 * (elff-decoder.ts), which stays the definition of what a line means: this lane only takes the
 * lines it would decode to exactly the same row, and the tests check that on every sample.
 * @module
 */
import { JoinedBatch } from '../../lake/column-batch.js';
import { proxy } from '../../schema/index.js';
import { canonicalIp } from '../../shared/ip.js';
import { PORT_MAX } from '../../shared/record-fields.js';
import type { RowSink } from '../decoder.js';
import type { W3cClock } from './clock.js';
import type { ElffLayout } from './elff-layout.js';
import { uriExtension } from './uri.js';
import { isDottedQuad } from './values.js';

const BATCH_ROWS = 8192;
/** Addresses other than dotted quads remembered as canonical or not; a log names few clients and servers. */
const ADDRESS_CACHE = 4096;
/** Fields a line may have for this lane (Blue Coat writes up to 42). */
const MAX_FIELDS = 64;

const SPACE = 0x20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const DASH = 0x2d;
const QUESTION = 0x3f;

/** Where each column's value comes from in a line of one layout: a field index, or -1 for none. */
interface Plan {
  readonly date: number;
  readonly time: number;
  readonly clientip: number;
  readonly host: number;
  readonly query: number;
  readonly path: number;
  /** The cs-uri-extension field, or -1 when the extension is derived from the path. */
  readonly extension: number;
  readonly server: number;
  readonly duration: number;
  readonly respcode: number;
  readonly port: number;
  readonly scbytes: number;
  readonly csbytes: number;
  /** Pairs of column and field of the text columns copied as they are (field -1: always null). */
  readonly copies: Int32Array;
  readonly fields: number;
  readonly names: readonly string[];
}

const COLUMN = Object.fromEntries(proxy.sourceColumns.map((name, i) => [name, i])) as Record<string, number>;
const col = (name: string): number => {
  const i = COLUMN[name];
  if (i === undefined) throw new Error(`the proxy table has no source column ${name}`);
  return i;
};

/** Columns the lane fills from a field as it is; the others are set by hand in #write(). */
const COPIED = {
  reqmethod: 'method', useragent: 'userAgent', resconttype: 'contentType', username: 'username', authgroup: 'authGroup',
  exceptionid: 'exceptionId', filterresult: 'filterResult', webcat: 'categories', referer: 'referer', action: 'action',
  urischeme: 'scheme', uripath: 'path', virusid: 'virusId', bcappname: 'appName', bcappoper: 'appOperation',
} as const satisfies Record<string, keyof ElffLayout['at']>;
const BY_HAND = ['clientip', 'host', 'uriquery', 'uriextension', 'serverip', 'duration', 'respcode', 'uriport', 'scbytes', 'csbytes', 'ts', 'format', 'sensor', 'uid', 'label'];
// A column added to the table must be given a source here, or the lane would leave it out.
for (const name of proxy.sourceColumns) if (!(name in COPIED) && !BY_HAND.includes(name)) throw new Error(`elff-bytes: no source for column ${name}`);

const C = {
  clientip: col('clientip'), host: col('host'), uriquery: col('uriquery'), uriextension: col('uriextension'), serverip: col('serverip'), duration: col('duration'),
  respcode: col('respcode'), uriport: col('uriport'), scbytes: col('scbytes'), csbytes: col('csbytes'), ts: col('ts'),
  format: col('format'), sensor: col('sensor'), uid: col('uid'), label: col('label'),
};

/**
 * The plan of a layout, or null when its lines need what only the text decoder does: a time
 * from a #Date directive or epoch seconds, a whole cs-uri to split.
 */
function planFor(layout: ElffLayout): Plan | null {
  const { at, names } = layout;
  if (names.length > MAX_FIELDS) return null;
  if (at.date === undefined || at.time === undefined || at.clientIp === undefined || at.host === undefined) return null;
  if (at.uri !== undefined) return null;
  const f = (i: number | undefined): number => i ?? -1;
  return {
    date: at.date,
    time: at.time,
    clientip: at.clientIp,
    host: at.host,
    query: f(at.query),
    path: f(at.path),
    extension: f(at.extension),
    server: f(at.remoteIp ?? at.supplierIp ?? at.serverIp),
    duration: f(at.timeTaken),
    respcode: f(at.status),
    port: f(at.port),
    scbytes: f(at.scBytes),
    csbytes: f(at.csBytes),
    copies: Int32Array.from(Object.entries(COPIED).flatMap(([column, role]) => [col(column), f(at[role])])),
    fields: names.length,
    names,
  };
}

export class ElffBytes {
  /** The plan of the #Fields layout in force; null when it has none or none has been seen. */
  #plan: Plan | null = null;
  /** No #Fields yet: lines are read by the dialect's positional layouts, by their field count. */
  #headerless = true;
  /** Off for good: a sensor name with control characters cannot be joined (every line goes to the text decoder). */
  readonly #off: boolean;
  readonly #positionalPlans = new Map<number, Plan | null>();
  readonly #batch = new JoinedBatch(proxy, BATCH_ROWS);
  readonly #starts = new Int32Array(MAX_FIELDS);
  readonly #ends = new Int32Array(MAX_FIELDS);
  readonly #format: Buffer;
  readonly #sensor: Buffer | null;
  /** The date and HH:MM of the minute last read, and its start in epoch microseconds. */
  #minuteKey = Buffer.alloc(0);
  #minuteMicros = 0;
  /** Numbers of the line being taken, checked before anything is written. */
  #duration = -1;
  #respcode = -1;
  #port = -1;
  #scbytes = -1;
  #csbytes = -1;
  /** Whether an IPv6 address is written in canonical form already (then the text decoder would keep it as it is). */
  readonly #canonical = new Map<string, boolean>();

  constructor(
    private readonly appendBatch: NonNullable<RowSink<typeof proxy>['appendBatch']>,
    private readonly clock: W3cClock,
    private readonly positional: (count: number) => ElffLayout | string,
    format: string,
    sensor: string | null,
  ) {
    this.#format = Buffer.from(format);
    this.#sensor = sensor === null ? null : Buffer.from(sensor);
    this.#off = [this.#format, this.#sensor ?? Buffer.alloc(0)].some((b) => b.some((c) => c < SPACE));
  }

  /** The layout of a #Fields directive, for the lines that follow. */
  use(layout: ElffLayout): void {
    this.#plan = planFor(layout);
    this.#headerless = false;
  }

  /** Take the line [start, end) of bytes when this lane decodes it as the text decoder would; false otherwise. */
  line(bytes: Buffer, start: number, end: number, line: number): boolean {
    if (this.#off || (this.#plan === null && !this.#headerless) || end <= start || bytes[start] === 0x23 /* # */) return false;
    const fields = this.#split(bytes, start, end);
    const plan = this.#headerless ? this.#positionalPlan(fields) : this.#plan;
    if (plan === null || fields !== plan.fields) return false;
    const ts = this.#time(bytes, plan);
    if (Number.isNaN(ts) || !this.#check(bytes, plan)) return false;
    this.#write(bytes, plan, ts, line);
    return true;
  }

  #positionalPlan(fields: number): Plan | null {
    if (fields < 0) return null;
    let plan = this.#positionalPlans.get(fields);
    if (plan === undefined) {
      const layout = this.positional(fields);
      plan = typeof layout === 'string' ? null : planFor(layout);
      this.#positionalPlans.set(fields, plan);
    }
    return plan;
  }

  /** Hand the rows gathered so far to the sink. */
  flush(): void {
    const batch = this.#batch;
    if (batch.rows === 0) return;
    this.appendBatch(batch.columns, batch.rows, batch.lines);
    batch.clear();
  }

  /**
   * Fields split on runs of spaces, quoted fields without their quotes; -1 when the line holds
   * anything the text decoder must read: a byte outside printable ASCII (tabs included), an
   * escape or a quote inside a quoted field, a quote that does not start a field or is not
   * followed by a space.
   */
  #split(b: Buffer, start: number, end: number): number {
    const starts = this.#starts;
    const ends = this.#ends;
    let n = 0;
    let i = start;
    while (i < end) {
      let c = b[i]!;
      if (c === SPACE) {
        i++;
        continue;
      }
      if (n === MAX_FIELDS) return -1;
      if (c === QUOTE) {
        let j = i + 1;
        while (j < end && (c = b[j]!) !== QUOTE) {
          if (c < SPACE || c > 0x7e || c === BACKSLASH) return -1;
          j++;
        }
        if (j === end || (j + 1 < end && b[j + 1] !== SPACE)) return -1;
        starts[n] = i + 1;
        ends[n++] = j;
        i = j + 1;
        continue;
      }
      let j = i;
      while (j < end && (c = b[j]!) !== SPACE) {
        if (c < SPACE || c > 0x7e || c === QUOTE) return -1;
        j++;
      }
      starts[n] = i;
      ends[n++] = j;
      i = j;
    }
    return n;
  }

  /** Whether field i is absent ("-" or empty), as orNull reads it. */
  #isNull(b: Buffer, i: number): boolean {
    const s = this.#starts[i]!;
    const len = this.#ends[i]! - s;
    return len === 0 || (len === 1 && b[s] === DASH);
  }

  /**
   * The time of "date HH:MM:SS" in epoch microseconds, the minute read by the W3cClock (so in its
   * time zone) when it changes; NaN when the text decoder must read it.
   */
  #time(b: Buffer, plan: Plan): number {
    const ds = this.#starts[plan.date]!;
    const de = this.#ends[plan.date]!;
    const ts = this.#starts[plan.time]!;
    if (this.#ends[plan.time]! - ts !== 8 || b[ts + 5] !== COLON || this.#isNull(b, plan.date)) return Number.NaN;
    const s1 = b[ts + 6]! - 48;
    const s2 = b[ts + 7]! - 48;
    if (s1 < 0 || s1 > 5 || s2 < 0 || s2 > 9) return Number.NaN;
    const key = this.#minuteKey;
    const dateLen = de - ds;
    let same = key.length === dateLen + 5;
    for (let k = 0; same && k < dateLen; k++) same = key[k] === b[ds + k];
    for (let k = 0; same && k < 5; k++) same = key[dateLen + k] === b[ts + k];
    if (!same) {
      let micros: number;
      try {
        micros = this.clock.micros(plan.names[plan.date]!, b.toString('latin1', ds, de), plan.names[plan.time]!, b.toString('latin1', ts, ts + 8));
      } catch {
        return Number.NaN;
      }
      this.#minuteMicros = micros - (s1 * 10 + s2) * 1_000_000;
      this.#minuteKey = Buffer.concat([b.subarray(ds, de), b.subarray(ts, ts + 5)]);
    }
    return this.#minuteMicros + (s1 * 10 + s2) * 1_000_000;
  }

  /** A field of digits only (at most maxDigits) as a number; -1 when null, -2 when not such a number. */
  #digits(b: Buffer, i: number, maxDigits: number): number {
    if (i < 0 || this.#isNull(b, i)) return -1;
    const s = this.#starts[i]!;
    const e = this.#ends[i]!;
    if (e - s > maxDigits) return -2;
    let n = 0;
    for (let k = s; k < e; k++) {
      const d = b[k]! - 48;
      if (d < 0 || d > 9) return -2;
      n = n * 10 + d;
    }
    return n;
  }

  /** The checked fields: addresses as the table writes them, a host without a port, whole numbers in range. */
  #check(b: Buffer, plan: Plan): boolean {
    const starts = this.#starts;
    const ends = this.#ends;
    if (this.#isNull(b, plan.clientip) || !this.#asWritten(b, plan.clientip)) return false;
    if (this.#isNull(b, plan.host) || b[starts[plan.host]!] === 0x5b /* [ */) return false;
    for (let k = starts[plan.host]!; k < ends[plan.host]!; k++) if (b[k] === COLON) return false;
    // The table keeps the query with its "?", which Blue Coat writes.
    if (plan.query >= 0 && !this.#isNull(b, plan.query) && b[starts[plan.query]!] !== QUESTION) return false;
    if (plan.server >= 0 && !this.#isNull(b, plan.server) && !this.#asWritten(b, plan.server)) return false;
    // Up to 15 digits: below 2^53, which uintValue takes; time-taken with a fraction is seconds, for the text decoder.
    this.#duration = this.#digits(b, plan.duration, 15);
    this.#respcode = this.#digits(b, plan.respcode, 3);
    this.#port = this.#digits(b, plan.port, 6);
    this.#scbytes = this.#digits(b, plan.scbytes, 15);
    this.#csbytes = this.#digits(b, plan.csbytes, 15);
    return this.#duration >= -1 && this.#respcode >= -1 && this.#port >= -1 && this.#port <= PORT_MAX && this.#scbytes >= -1 && this.#csbytes >= -1;
  }

  /** Whether field i is an address in the canonical text the table keeps (a dotted quad, RFC 5952 for IPv6). */
  #asWritten(b: Buffer, i: number): boolean {
    const text = b.toString('latin1', this.#starts[i]!, this.#ends[i]!);
    if (isDottedQuad(text)) return true;
    let canonical = this.#canonical.get(text);
    if (canonical === undefined) {
      if (this.#canonical.size >= ADDRESS_CACHE) this.#canonical.clear();
      canonical = canonicalIp(text) === text;
      this.#canonical.set(text, canonical);
    }
    return canonical;
  }

  #write(b: Buffer, plan: Plan, ts: number, line: number): void {
    const batch = this.#batch;
    const copies = plan.copies;
    for (let k = 0; k < copies.length; k += 2) this.#copy(b, copies[k]!, copies[k + 1]!);
    this.#copy(b, C.clientip, plan.clientip);
    this.#copy(b, C.host, plan.host);
    this.#copy(b, C.uriquery, plan.query);
    if (plan.extension >= 0 || plan.path < 0 || this.#isNull(b, plan.path)) this.#copy(b, C.uriextension, plan.extension);
    else {
      // The path's extension, as the text decoder derives it.
      const extension = uriExtension(b.toString('latin1', this.#starts[plan.path]!, this.#ends[plan.path]!));
      if (extension === null) batch.text(C.uriextension).addNull();
      else batch.text(C.uriextension).addText(extension);
    }
    this.#copy(b, C.serverip, plan.server);
    this.#number(C.duration, this.#duration);
    this.#number(C.respcode, this.#respcode);
    this.#number(C.uriport, this.#port);
    this.#number(C.scbytes, this.#scbytes);
    this.#number(C.csbytes, this.#csbytes);
    batch.numbers(C.ts)[batch.rows] = ts;
    batch.valid(C.ts);
    batch.text(C.format).add(this.#format, 0, this.#format.length);
    if (this.#sensor === null) batch.text(C.sensor).addNull();
    else batch.text(C.sensor).add(this.#sensor, 0, this.#sensor.length);
    batch.text(C.uid).addNull();
    batch.text(C.label).addNull();
    batch.endRow(line);
    if (batch.full) this.flush();
  }

  /** Field (-1: none) as the text of column; "-" and empty are null. */
  #copy(b: Buffer, column: number, field: number): void {
    const text = this.#batch.text(column);
    if (field < 0 || this.#isNull(b, field)) text.addNull();
    else text.add(b, this.#starts[field]!, this.#ends[field]!);
  }

  /** A number of the row, unless it is -1 (null). */
  #number(column: number, value: number): void {
    if (value === -1) return;
    this.#batch.numbers(column)[this.#batch.rows] = value;
    this.#batch.valid(column);
  }
}
