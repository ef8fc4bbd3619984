/**
 * Decoding of W3C extended / ELFF logs, shared by the Blue Coat and the generic W3C decoders. The
 * "#Fields:" directive names the fields of the lines after it, until the next one: logs that were
 * concatenated, or written across a restart or a format change, switch layout mid-file.
 * @module
 */
import type { proxy, ProxyRow } from '../../schema/index.js';
import { canonicalIp } from '../../shared/ip.js';
import { FieldError } from '../../shared/record-fields.js';
import type { DecodeContext, RowSink, SourceFile } from '../decoder.js';
import { W3cClock } from './clock.js';
import { ElffBytes } from './elff-bytes.js';
import { elffLayout, fieldsDirective, type ElffLayout } from './elff-layout.js';
import { forEachLine, type LineHandler } from './line-reader.js';
import { rejectFieldCount, rejectFieldError, rejectLine } from './reject.js';
import { splitQuoted } from './tokens.js';
import { newUriParts, splitAuthority, splitTarget, uriExtension, uriPort } from './uri.js';
import { addressOrNull, addressValue, epochMicros, millisValue, orNull, plusAsSpace, uintValue } from './values.js';

/** What sets one ELFF writer apart. */
export interface ElffDialect {
  readonly format: 'bluecoat' | 'w3c';
  /** The layout of lines met before any #Fields directive, by their field count; a string says why there is none. */
  positional(count: number): ElffLayout | string;
  /** Why a line without a layout is rejected: no header at all, or a field count no layout has. */
  readonly noLayout: 'no-header' | 'wrong-field-count';
  /**
   * The log is the web server's own (IIS): s-ip and s-port are the server the client asked, so
   * they stand in for a missing host and port, and '+' in a user agent is a space.
   */
  readonly serverIsOrigin: boolean;
}

const value = (fields: readonly string[], i: number | undefined): string | null => (i === undefined ? null : orNull(fields[i]));

/** Decodes one file; a LineHandler, so that no closure is made per line. */
class ElffFile implements LineHandler {
  private layout: ElffLayout | null = null;
  /** The date of a "#Date:" directive, for logs whose lines carry the time only. */
  private directiveDate: string | null = null;
  private readonly fields: string[] = [];
  private readonly uri = newUriParts();
  private readonly host = newUriParts();
  private readonly clock: W3cClock;
  /** The lane for lines read from their bytes, when the sink takes batches. */
  private readonly fast: ElffBytes | null;

  constructor(
    private readonly dialect: ElffDialect,
    private readonly sink: RowSink<typeof proxy>,
    private readonly ctx: DecodeContext,
  ) {
    this.clock = new W3cClock(ctx.config.decoders.proxy.timeZone);
    // The lane reads logs of a proxy; an origin server's (IIS) fields mean other things there.
    this.fast = sink.appendBatch === undefined || dialect.serverIsOrigin ? null : new ElffBytes(sink.appendBatch.bind(sink), this.clock, dialect.positional, dialect.format, ctx.sensor);
    // Offered only with a lane: without one, whole blocks of lines are decoded to text at once.
    if (this.fast !== null) this.bytes = this.fast.line.bind(this.fast);
  }

  readonly bytes?: (buffer: Buffer, start: number, end: number, line: number) => boolean;

  /** The rows the byte lane still holds, to the sink. */
  flush(): void {
    this.fast?.flush();
  }

  line(text: string, line: number, offset: number, unterminated: boolean): void {
    if (text.charCodeAt(0) === 0x23 /* # */) {
      this.directive(text);
      return;
    }
    const fields = this.fields;
    const n = splitQuoted(text, fields);
    if (n === 0) return;
    if (n < 0) {
      const detail = `the quote opened at column ${-n} is never closed`;
      if (unterminated) rejectLine(this.sink, 'truncated', line, offset, `the file ends in the middle of a record: ${detail}`, text);
      else rejectLine(this.sink, 'bad-record', line, offset, detail, text);
      return;
    }
    const layout = this.layout ?? this.dialect.positional(n);
    if (typeof layout === 'string') {
      if (this.dialect.noLayout === 'no-header') rejectLine(this.sink, 'no-header', line, offset, layout, text);
      else if (unterminated) rejectLine(this.sink, 'truncated', line, offset, `the file ends in the middle of a record: ${layout}`, text);
      else rejectLine(this.sink, 'wrong-field-count', line, offset, layout, text);
      return;
    }
    if (n !== layout.names.length) {
      rejectFieldCount(this.sink, n, layout.names.length, layout.source, line, offset, unterminated, text);
      return;
    }
    try {
      this.sink.append(this.row(fields, layout), { line });
    } catch (e) {
      rejectFieldError(this.sink, e, line, offset, text);
    }
  }

  tooLong(line: number, offset: number, excerpt: string): void {
    rejectLine(this.sink, 'line-too-long', line, offset, `line longer than ${this.ctx.config.maxLineBytes} bytes (ingest.maxLineBytes)`, excerpt);
  }

  private directive(text: string): void {
    const names = fieldsDirective(text);
    if (names !== null) {
      this.layout = elffLayout(names, 'the #Fields header');
      this.fast?.use(this.layout);
    }
    else if (/^#date:/i.test(text)) this.directiveDate = text.slice('#Date:'.length).trim().split(/\s+/)[0] ?? null;
  }

  private time(f: readonly string[], layout: ElffLayout): number {
    const { at, names } = layout;
    if (at.time !== undefined) {
      const date = at.date === undefined ? this.directiveDate : value(f, at.date);
      const time = value(f, at.time);
      if (date === null) throw new FieldError('missing-field', at.date === undefined ? 'time without a date field or a #Date directive' : `${names[at.date]} is empty`);
      if (time === null) throw new FieldError('missing-field', `${names[at.time]} is empty`);
      return this.clock.micros(at.date === undefined ? '#Date' : names[at.date]!, date, names[at.time]!, time);
    }
    const unix = value(f, at.unixTime);
    if (unix !== null) return epochMicros(names[at.unixTime!]!, unix);
    throw new FieldError('missing-field', at.unixTime === undefined ? 'no date and time fields (date, time or x-timestamp-unix)' : `${names[at.unixTime]} is empty`);
  }

  private row(f: readonly string[], layout: ElffLayout): ProxyRow {
    const { at, names } = layout;
    const origin = this.dialect.serverIsOrigin;
    const ts = this.time(f, layout);
    const client = value(f, at.clientIp);
    if (client === null) throw new FieldError('missing-field', at.clientIp === undefined ? 'no client address field (c-ip)' : `${names[at.clientIp]} is empty`);
    const clientip = addressValue(names[at.clientIp!]!, client);
    const method = value(f, at.method);

    const uri = this.uri;
    const full = value(f, at.uri);
    if (full !== null) splitTarget(names[at.uri!]!, full, method === 'CONNECT', uri);
    else uri.scheme = uri.host = uri.port = uri.path = uri.query = null;

    let host = value(f, at.host);
    let hostPort: number | null = null;
    if (host !== null && (host.indexOf(':') >= 0 || host.charCodeAt(0) === 0x5b)) {
      // A Host header value may carry the port ("example.com:8080") or a bracketed IPv6 address.
      this.host.port = null;
      splitAuthority(names[at.host!]!, host, this.host);
      host = this.host.host;
      hostPort = this.host.port;
    }
    host ??= uri.host;
    const serverIndex = at.remoteIp ?? at.supplierIp ?? at.serverIp;
    const server = value(f, serverIndex);
    if (host === null && origin && server !== null) host = canonicalIp(server) ?? server;
    if (host === null) {
      const fields = origin ? 'cs-host, cs-uri or s-ip' : 'cs-host or cs-uri';
      throw new FieldError('missing-field', at.host !== undefined ? `${names[at.host]} is empty` : `no host: the log has no ${fields} field`);
    }

    const portText = value(f, at.port);
    const serverPort = origin ? value(f, at.serverPort) : null;
    const port = portText !== null ? uriPort(names[at.port!]!, portText) : (hostPort ?? uri.port ?? (serverPort !== null ? uriPort(names[at.serverPort!]!, serverPort) : null));
    const path = value(f, at.path) ?? uri.path;
    let query = value(f, at.query) ?? uri.query;
    // IIS writes the query without its "?", Blue Coat with it; the table keeps it.
    if (query !== null && query.charCodeAt(0) !== 0x3f) query = '?' + query;
    const status = value(f, at.status);
    const taken = value(f, at.timeTaken);
    const sc = value(f, at.scBytes);
    const cs = value(f, at.csBytes);
    const agent = value(f, at.userAgent);
    return {
      clientip,
      host,
      reqmethod: method,
      useragent: origin ? plusAsSpace(agent) : agent,
      resconttype: value(f, at.contentType),
      duration: taken === null ? null : millisValue(names[at.timeTaken!]!, taken),
      username: value(f, at.username),
      authgroup: value(f, at.authGroup),
      exceptionid: value(f, at.exceptionId),
      filterresult: value(f, at.filterResult),
      webcat: value(f, at.categories),
      referer: value(f, at.referer),
      respcode: status === null ? null : uintValue(names[at.status!]!, status, 999),
      action: value(f, at.action),
      urischeme: value(f, at.scheme) ?? uri.scheme,
      uriport: port,
      uripath: path,
      uriquery: query,
      uriextension: at.extension !== undefined ? value(f, at.extension) : uriExtension(path),
      serverip: server === null ? null : addressOrNull(server),
      scbytes: sc === null ? null : uintValue(names[at.scBytes!]!, sc),
      csbytes: cs === null ? null : uintValue(names[at.csBytes!]!, cs),
      virusid: value(f, at.virusId),
      bcappname: value(f, at.appName),
      bcappoper: value(f, at.appOperation),
      ts,
      format: this.dialect.format,
      sensor: this.ctx.sensor,
      uid: null,
      label: null,
    };
  }
}

export async function decodeElff(dialect: ElffDialect, file: SourceFile, sink: RowSink<typeof proxy>, ctx: DecodeContext): Promise<void> {
  const decoder = new ElffFile(dialect, sink, ctx);
  try {
    await forEachLine(file.path, ctx.config.maxLineBytes, ctx.signal, decoder);
  } finally {
    // Rows before a read error are kept, as the text decoder's are.
    decoder.flush();
  }
}
