/** Test helpers for the proxy decoders: a sink that keeps what it is given, one-call decoding, fixtures. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { batchRows, type BatchColumn } from '../../lake/column-batch.js';
import type { proxy, ProxyRow, RejectReason } from '../../schema/index.js';
import type { Position, RowDecoder, RowSink } from '../decoder.js';
import { decodeContext, sourceFile, type Rejected } from '../flow/testing.js';
import { readHead } from '../source.js';

/**
 * A sink that keeps rows in line order. With batches (the default) it takes what the byte lane of
 * the ELFF decoders gathers, as ingest does; without, every line goes through the text decoder.
 */
export class ProxySink implements RowSink<typeof proxy> {
  rows: ProxyRow[] = [];
  /** The line of each row, in the same order. */
  lines: number[] = [];
  readonly rejects: Rejected[] = [];
  /** Lines whose rows came in batches (read from their bytes), in the order they came. */
  readonly batchedLines: number[] = [];
  readonly appendBatch?: (columns: readonly BatchColumn[], rows: number, lines: Int32Array) => void;

  constructor(batches = true) {
    if (batches) this.appendBatch = (columns, rows, lines) => this.#appendBatch(columns, rows, lines);
  }

  append(row: ProxyRow, at: Position): void {
    this.rows.push(row);
    this.lines.push(at.line ?? -1);
  }

  #appendBatch(columns: readonly BatchColumn[], rows: number, lines: Int32Array): void {
    this.batchedLines.push(...lines.subarray(0, rows));
    const added = batchRows(columns, rows) as ProxyRow[];
    // A batch comes when full or at the end: its rows (in line order) may precede rows already here.
    const merged: ProxyRow[] = [];
    const mergedLines: number[] = [];
    let i = 0;
    let j = 0;
    while (i < this.rows.length || j < rows) {
      const takeOld = j >= rows || (i < this.rows.length && this.lines[i]! < lines[j]!);
      merged.push(takeOld ? this.rows[i]! : added[j]!);
      mergedLines.push(takeOld ? this.lines[i++]! : lines[j++]!);
    }
    this.rows = merged;
    this.lines = mergedLines;
  }

  reject(reason: RejectReason, at: Position, detail?: string, excerpt?: string): void {
    this.rejects.push({ reason, line: at.line, offset: at.offset, detail, excerpt });
  }

  /** The row decoded from a line. */
  rowAt(line: number): ProxyRow {
    const i = this.lines.indexOf(line);
    if (i < 0) throw new Error(`no row from line ${line}; rejects: ${JSON.stringify(this.rejects)}`);
    return this.rows[i]!;
  }

  /** Rejected lines as [line, reason], in file order. */
  rejected(): [number | undefined, RejectReason][] {
    return this.rejects.map((r) => [r.line, r.reason]);
  }
}

export async function decodeProxy(decoder: RowDecoder<typeof proxy>, path: string, ingest: Record<string, unknown> = {}, batches = true): Promise<ProxySink> {
  const sink = new ProxySink(batches);
  await decoder.decode(sourceFile(path), sink, decodeContext(ingest));
  return sink;
}

/** Whether the decoder recognises the file from its first bytes, as ingest detects formats. */
export async function acceptsFile(decoder: RowDecoder<typeof proxy>, path: string): Promise<boolean> {
  return decoder.accepts(sourceFile(path), await readHead(path));
}

/** Write a fixture: lines joined with LF (a string or Buffer is written as it is), gzip when the name ends in .gz. */
export function writeLog(dir: string, name: string, content: readonly string[] | string | Buffer): string {
  const path = join(dir, name);
  const bytes = typeof content === 'string' || Buffer.isBuffer(content) ? Buffer.from(content) : Buffer.from(content.join('\n') + '\n');
  writeFileSync(path, name.endsWith('.gz') ? gzipSync(bytes) : bytes);
  return path;
}

/** Every column null but the given ones, with the defaults of a decoded row: for exact comparisons. */
export function proxyRow(values: Partial<ProxyRow> & Pick<ProxyRow, 'clientip' | 'host' | 'ts' | 'format'>): ProxyRow {
  return {
    reqmethod: null,
    useragent: null,
    resconttype: null,
    duration: null,
    username: null,
    authgroup: null,
    exceptionid: null,
    filterresult: null,
    webcat: null,
    referer: null,
    respcode: null,
    action: null,
    urischeme: null,
    uriport: null,
    uripath: null,
    uriquery: null,
    uriextension: null,
    serverip: null,
    scbytes: null,
    csbytes: null,
    virusid: null,
    bcappname: null,
    bcappoper: null,
    sensor: 'test',
    uid: null,
    label: null,
    ...values,
  };
}

const IIS_FIELDS = '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken';

/** An IIS log restarted once: the directive block again, with other fields. */
export const IIS_LOG = [
  '#Software: Microsoft Internet Information Services 10.0',
  '#Version: 1.0',
  '#Date: 2024-02-01 00:00:00',
  IIS_FIELDS,
  '2024-02-01 00:00:01 192.168.0.10 GET /default.aspx id=5&x=y 443 - 10.2.2.2 Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64) https://portal.example/ 200 0 0 31',
  '2024-02-01 00:00:02 fe80::1 POST /api/login.json - 80 CORP\\alice 2001:db8:0::20 curl/8.0 - 401 1 2148074254 4',
  '2024-02-01 00:00:03 192.168.0.10 GET /x - 443 - 10.2.2.2 curl/8.0 - 200 0 0',
  '#Software: Microsoft Internet Information Services 10.0',
  '#Version: 1.0',
  '#Date: 2024-02-01 01:00:00',
  '#Fields: date time cs-host c-ip cs-method cs-uri-stem sc-status sc-bytes cs-bytes time-taken',
  '2024-02-01 01:00:00 www.example.com:8443 10.2.2.3 GET /img/logo.png 304 150 400 0',
  '2024-02-01 01:00:01 www.example.com 10.2.2.3 GET /img/logo.png 200 9000 400 abc',
  '2024-02-01 01:00:02 www.example.com 10.2.2.3 GET /last 200 10 20 1',
];
