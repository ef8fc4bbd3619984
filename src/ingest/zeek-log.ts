/**
 * Reads any Zeek log (conn, dns, http …) into records whose fields are looked up by Zeek name.
 *
 * TSV: the #separator, #set_separator, #empty_field, #unset_field, #path and #fields headers
 * drive the split; they may repeat mid-file when logs were concatenated. Values are unescaped
 * (\x09, \x2c …). Stratosphere's IoT-23 logs pack several columns into the last one with runs of
 * spaces ("tunnel_parents   label   detailed-label"): such columns are unpacked.
 * JSON lines: dotted keys ("id.orig_h"), underscore keys ("id_orig_h") or nested objects;
 * times as epoch seconds or ISO 8601.
 * @module
 */
import type { RejectReason } from '../schema/index.js';
import { markLast } from '../shared/iterate.js';
import { FieldError, fieldValue, hasUndecodableBytes } from '../shared/record-fields.js';
import { decimalSecondsToMicros } from '../shared/time.js';
import { isoToMicros } from '../shared/wall-clock.js';
import { readLines } from './source.js';

export interface ZeekRecord {
  readonly format: 'tsv' | 'json';
  /** The log's name from #path (TSV) or _path (JSON); null when the log does not say. */
  readonly path: string | null;
  /** The field is a column of this log (it may still be unset in this record). */
  has(field: string): boolean;
  /** The value as text: null when unset or absent, "" when empty. JSON booleans read "T"/"F" as in TSV. */
  text(field: string): string | null;
  /** A set or vector field; [] when empty, null when unset. */
  list(field: string): string[] | null;
  /** A time field in epoch microseconds; throws a bad-timestamp FieldError when it is not one. */
  time(field: string): number | null;
  /** An interval field in microseconds; throws a bad-field FieldError when it is not one. */
  interval(field: string): number | null;
}

interface Where {
  readonly line: number;
  readonly offset: number;
  /** The raw line (its start, for a line too long), for quarantine excerpts. */
  readonly text: string;
}

export type ZeekEntry =
  | (Where & { readonly kind: 'record'; readonly record: ZeekRecord })
  | (Where & { readonly kind: 'reject'; readonly reason: RejectReason; readonly detail: string });

/** Records and rejected lines of a Zeek log file, plain or gzip, in file order. */
export async function* readZeekLog(path: string, maxLineBytes: number): AsyncGenerator<ZeekEntry> {
  let header = new TsvHeader('\t');
  for await (const { item: l, last } of markLast(readLines(path, maxLineBytes), (l) => l.tooLong || /\S/.test(l.text))) {
    if (l.tooLong) {
      yield rejected(l, 'line-too-long', `line longer than ${maxLineBytes} bytes (ingest.maxLineBytes)`);
      continue;
    }
    if (hasUndecodableBytes(l.text)) {
      yield rejected(l, 'bad-record', 'the line holds bytes that are not UTF-8 text');
      continue;
    }
    const text = l.line === 1 ? l.text.replace(/^\uFEFF/, '') : l.text;
    const trimmed = text.trimStart();
    if (trimmed.startsWith('#')) {
      header = header.next(trimmed);
      continue;
    }
    if (trimmed.startsWith('{')) {
      const parsed = parseJsonObject(trimmed);
      if (typeof parsed !== 'string') yield { kind: 'record', line: l.line, offset: l.offset, text: l.text, record: new JsonRecord(parsed) };
      else if (last) yield rejected(l, 'truncated', `the file ends in the middle of a JSON record (${parsed})`);
      else yield rejected(l, 'bad-record', parsed);
      continue;
    }
    if (!header.fields) {
      yield rejected(l, 'no-header', 'record before the #fields header that names its columns');
      continue;
    }
    const values = header.split(text);
    if (typeof values !== 'string') yield { kind: 'record', line: l.line, offset: l.offset, text: l.text, record: new TsvRecord(header, values) };
    else if (last && text.split(header.separator).length < header.columns) yield rejected(l, 'truncated', `the file ends in the middle of a record: ${values}`);
    else yield rejected(l, 'wrong-field-count', values);
  }
}

function rejected(l: Where, reason: RejectReason, detail: string): ZeekEntry {
  return { kind: 'reject', line: l.line, offset: l.offset, text: l.text, reason, detail };
}

export interface ZeekSniff {
  readonly format: 'tsv' | 'json';
  readonly path: string | null;
  has(field: string): boolean;
}

/** What the first bytes of a file say about it as a Zeek log, or null when they are not one. */
export function sniffZeekLog(head: Buffer): ZeekSniff | null {
  let header: TsvHeader | null = null;
  for (const raw of head.toString('utf8').replace(/^\uFEFF/, '').split('\n')) {
    const line = raw.replace(/\r$/, '').trimStart();
    if (line === '') continue;
    if (line.startsWith('#')) {
      header = (header ?? new TsvHeader('\t')).next(line);
      continue;
    }
    if (header) break;
    if (!line.startsWith('{')) return null;
    return sniffJson(line);
  }
  if (!header) return null;
  const fields = new Set(header.fields ?? []);
  return { format: 'tsv', path: header.path, has: (f) => fields.has(f) };
}

function sniffJson(line: string): ZeekSniff | null {
  const parsed = parseJsonObject(line);
  // The head may end inside a long first line: fall back to the keys written so far.
  const keys = typeof parsed === 'string' ? new Set(Array.from(line.matchAll(/"([^"\\]+)"\s*:/g), (m) => m[1]!)) : new Set(Object.keys(parsed));
  if (keys.size === 0) return null;
  const path = typeof parsed === 'string' ? (/"_path"\s*:\s*"([^"\\]*)"/.exec(line)?.[1] ?? null) : typeof parsed._path === 'string' ? parsed._path : null;
  return { format: 'json', path, has: (f) => keys.has(f) || keys.has(underscored(f)) };
}

const underscored = (field: string): string => field.replaceAll('.', '_');

/** The header state of a TSV block: each directive line gives the next state. */
class TsvHeader {
  setSeparator = ',';
  empty = '(empty)';
  unset = '-';
  path: string | null = null;
  /** Column names, with packed columns unpacked. */
  fields: readonly string[] | null = null;
  /** Columns in a line, packed columns counting once. */
  columns = 0;
  /** Line column → how many columns it packs, for packed columns only. */
  packed = new Map<number, number>();
  index = new Map<string, number>();

  constructor(readonly separator: string) {}

  /** The state after a directive line ("#fields\tts\tuid…"); a #separator line starts a new block. */
  next(line: string): TsvHeader {
    if (line.startsWith('#separator')) return new TsvHeader(unescapeZeek(line.slice('#separator'.length).trim()) || '\t');
    const cut = line.indexOf(this.separator);
    const name = cut < 0 ? line : line.slice(0, cut);
    const value = cut < 0 ? '' : line.slice(cut + this.separator.length);
    const copy = Object.assign(new TsvHeader(this.separator), this);
    switch (name) {
      case '#set_separator':
        copy.setSeparator = unescapeZeek(value);
        break;
      case '#empty_field':
        copy.empty = unescapeZeek(value);
        break;
      case '#unset_field':
        copy.unset = unescapeZeek(value);
        break;
      case '#path':
        copy.path = unescapeZeek(value);
        break;
      case '#fields':
        copy.setFields(value.split(this.separator));
        break;
    }
    return copy;
  }

  /** The values of a record line aligned with fields, or why they cannot be. */
  split(text: string): string[] | string {
    const raw = text.split(this.separator);
    if (raw.length !== this.columns) return `${raw.length} fields, the #fields header names ${this.columns}`;
    if (this.packed.size === 0) return raw;
    const values: string[] = [];
    for (let i = 0; i < raw.length; i++) {
      const count = this.packed.get(i);
      if (count === undefined) {
        values.push(raw[i]!);
        continue;
      }
      const parts = raw[i]!.trim().split(/\s{2,}/);
      if (parts.length !== count) return `column ${i + 1} packs ${parts.length} values separated by spaces, the #fields header names ${count}`;
      values.push(...parts);
    }
    return values;
  }

  private setFields(columns: string[]): void {
    const fields: string[] = [];
    this.packed = new Map();
    columns.forEach((column, i) => {
      const names = column.trim().split(/\s+/);
      if (names.length > 1) this.packed.set(i, names.length);
      fields.push(...names);
    });
    this.fields = fields;
    this.columns = columns.length;
    this.index = new Map(fields.map((f, i) => [f, i]));
  }
}

class TsvRecord implements ZeekRecord {
  readonly format = 'tsv';

  constructor(
    private readonly header: TsvHeader,
    private readonly values: readonly string[],
  ) {}

  get path(): string | null {
    return this.header.path;
  }

  has(field: string): boolean {
    return this.header.index.has(field);
  }

  text(field: string): string | null {
    const v = this.raw(field);
    if (v === null) return null;
    return v === this.header.empty ? '' : unescapeZeek(v);
  }

  list(field: string): string[] | null {
    const v = this.raw(field);
    if (v === null) return null;
    return v === this.header.empty ? [] : v.split(this.header.setSeparator).map(unescapeZeek);
  }

  time(field: string): number | null {
    const v = this.text(field);
    if (v === null) return null;
    return decimalSecondsToMicros(v) ?? isoToMicros(v) ?? badTime(field, v);
  }

  interval(field: string): number | null {
    const v = this.text(field);
    if (v === null) return null;
    return decimalSecondsToMicros(v) ?? badInterval(field, v);
  }

  private raw(field: string): string | null {
    const i = this.header.index.get(field);
    const v = i === undefined ? undefined : this.values[i];
    return v === undefined || v === this.header.unset ? null : v;
  }
}

type JsonObject = Record<string, unknown>;

class JsonRecord implements ZeekRecord {
  readonly format = 'json';
  readonly path: string | null;

  constructor(private readonly object: JsonObject) {
    this.path = typeof object._path === 'string' ? object._path : null;
  }

  has(field: string): boolean {
    return Object.hasOwn(this.object, field) || Object.hasOwn(this.object, underscored(field));
  }

  text(field: string): string | null {
    const v = this.value(field);
    if (v === null || v === undefined) return null;
    if (typeof v === 'string') return v;
    if (typeof v === 'boolean') return v ? 'T' : 'F';
    if (Array.isArray(v)) return v.map(String).join(',');
    return typeof v === 'number' ? String(v) : JSON.stringify(v);
  }

  list(field: string): string[] | null {
    const v = this.value(field);
    if (v === null || v === undefined) return null;
    return Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))) : [this.text(field)!];
  }

  time(field: string): number | null {
    const v = this.value(field);
    if (v === null || v === undefined) return null;
    if (typeof v === 'number' && Number.isFinite(v)) return Math.round(v * 1e6);
    if (typeof v === 'string') return decimalSecondsToMicros(v) ?? isoToMicros(v) ?? badTime(field, v);
    return badTime(field, JSON.stringify(v));
  }

  interval(field: string): number | null {
    const v = this.value(field);
    if (v === null || v === undefined) return null;
    // Zeek's JSON writes the full double; TSV rounds to microseconds, and so do we.
    if (typeof v === 'number' && Number.isFinite(v)) return Math.round(v * 1e6);
    return (typeof v === 'string' ? decimalSecondsToMicros(v) : null) ?? badInterval(field, typeof v === 'string' ? v : JSON.stringify(v));
  }

  private value(field: string): unknown {
    if (Object.hasOwn(this.object, field)) return this.object[field];
    const alt = underscored(field);
    return Object.hasOwn(this.object, alt) ? this.object[alt] : undefined;
  }
}

/** The line as a flat object (nested objects joined with dots), or why it is not one. */
function parseJsonObject(text: string): JsonObject | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return `not valid JSON: ${(e as Error).message}`;
  }
  if (!isObject(parsed)) return 'the JSON value is not an object';
  return Object.values(parsed).some(isObject) ? flatten(parsed, '', {}) : parsed;
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function flatten(object: JsonObject, prefix: string, into: JsonObject): JsonObject {
  for (const [key, value] of Object.entries(object)) {
    if (isObject(value)) flatten(value, `${prefix}${key}.`, into);
    else into[`${prefix}${key}`] = value;
  }
  return into;
}

/** Zeek's escapes: \xHH for separators and non-printable bytes (decoded as UTF-8), \\ for a backslash. */
export function unescapeZeek(text: string): string {
  if (!text.includes('\\')) return text;
  const parts: Buffer[] = [];
  let done = 0;
  for (const m of text.matchAll(/\\x([0-9a-fA-F]{2})|\\\\/g)) {
    parts.push(Buffer.from(text.slice(done, m.index), 'utf8'), Buffer.of(m[1] ? parseInt(m[1], 16) : 0x5c));
    done = m.index + m[0].length;
  }
  parts.push(Buffer.from(text.slice(done), 'utf8'));
  return Buffer.concat(parts).toString('utf8');
}

function badTime(field: string, value: string): never {
  throw new FieldError('bad-timestamp', `${fieldValue(field, value)} is not a time (epoch seconds or ISO 8601)`);
}

function badInterval(field: string, value: string): never {
  throw new FieldError('bad-field', `${fieldValue(field, value)} is not a duration in seconds`);
}
