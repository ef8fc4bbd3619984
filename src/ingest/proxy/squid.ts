/**
 * Squid access.log in its native format, the default (src/log/FormatSquidNative.cc):
 *   time.ms elapsed client action/code size method URL user hierarchy/peer type
 *   1157689312.049   5006 10.105.21.199 TCP_MISS/200 19763 CONNECT login.yahoo.com:443 badeyek DIRECT/175.16.199.115 -
 * and the Apache common and combined formats Squid can write instead (squid-httpd.ts); the
 * format is told line by line, so concatenated logs of both read. Mapping: elapsed (ms) →
 * duration, action/code → action and respcode, size (the reply Squid sent, headers included) →
 * scbytes, user (URL-encoded by Squid, decoded) → username, the peer → serverip when it is an
 * address ("NONE/-" has none), type → resconttype. The URL is cut into scheme, host, port (the
 * scheme's default when it names none), path, query and extension; a CONNECT target "host:443"
 * gives host and port, scheme "tcp" (what Blue Coat logs for tunnels: what flows inside is not
 * known) and no path. With log_mime_hdrs on, the request headers that follow give the user agent
 * and referer. Times are epoch seconds (native) or carry their offset (common, combined): exact.
 * @module
 */
import { proxy, type ProxyRow } from '../../schema/index.js';
import { FieldError } from '../../shared/record-fields.js';
import type { DecodeContext, RowDecoder, RowSink, SourceFile } from '../decoder.js';
import { ClfClock } from './clock.js';
import { forEachLine, type LineHandler } from './line-reader.js';
import { BadRecord, rejectFieldCount, rejectFieldError, rejectLine } from './reject.js';
import { headLines } from './sniff.js';
import { HTTPD_PROXY_LINE, httpdRow } from './squid-httpd.js';
import { splitWords } from './tokens.js';
import { newUriParts, splitTarget, uriExtension, type UriParts } from './uri.js';
import { addressOrNull, addressValue, epochMicros, orNull, percentDecoded, uintValue } from './values.js';

const NATIVE_FIELDS = 10;
const NATIVE_LINE = /^\d{9,11}\.\d{3}\s+\d+\s+\S+\s+[A-Z_]+\/\d{3}\s+(?:\d+|-)\s+\S+\s+\S+\s+\S+\s+\S+\/\S+\s+\S+/;

/** A native line starts with "seconds.millis": digits with one dot (an IPv4 client has three, an IPv6 one none). */
function isNativeLine(line: string): boolean {
  const first = line.charCodeAt(0) - 48;
  if (first < 0 || first > 9) return false;
  let end = line.indexOf(' ');
  if (end < 0) end = line.length;
  const dot = line.indexOf('.');
  if (dot <= 0 || dot >= end - 1) return false;
  const next = line.indexOf('.', dot + 1);
  return next < 0 || next > end;
}

/** User-Agent and Referer of the request headers log_mime_hdrs adds: "[Host: a\r\nUser-Agent: b\r\n]", %-escaped. */
function mimeHeader(blob: string, name: string): string | null {
  const end = blob.indexOf(']');
  const headers = blob.slice(1, end < 0 ? blob.length : end).split('\\r\\n');
  for (const h of headers) {
    const colon = h.indexOf(':');
    if (colon > 0 && h.slice(0, colon).trim().toLowerCase() === name) return orNull(percentDecoded(h.slice(colon + 1).trim()));
  }
  return null;
}

function nativeRow(f: readonly string[], mime: string | null, uri: UriParts, sensor: string | null): ProxyRow {
  const ts = epochMicros('time', f[0]!);
  const actionCode = f[3]!;
  const slash = actionCode.indexOf('/');
  const method = orNull(f[5]);
  const url = f[6]!;
  splitTarget('URL', url, method === 'CONNECT', uri);
  if (uri.host === null) throw new FieldError('missing-field', `URL ${JSON.stringify(url)} names no host`);
  const user = orNull(f[7]);
  const peer = f[8]!;
  const peerSlash = peer.indexOf('/');
  const size = f[4]!;
  return {
    clientip: addressValue('client', f[2]!),
    host: uri.host,
    reqmethod: method,
    useragent: mime === null ? null : mimeHeader(mime, 'user-agent'),
    resconttype: orNull(f[9]),
    duration: uintValue('elapsed', f[1]!),
    username: user === null ? null : percentDecoded(user),
    authgroup: null,
    exceptionid: null,
    filterresult: null,
    webcat: null,
    referer: mime === null ? null : mimeHeader(mime, 'referer'),
    respcode: slash < 0 ? null : uintValue('code', actionCode.slice(slash + 1), 999),
    action: slash < 0 ? actionCode : actionCode.slice(0, slash),
    urischeme: uri.scheme,
    uriport: uri.port,
    uripath: uri.path,
    uriquery: uri.query,
    uriextension: uriExtension(uri.path),
    serverip: peerSlash < 0 ? null : addressOrNull(peer.slice(peerSlash + 1)),
    scbytes: size === '-' ? null : uintValue('size', size),
    csbytes: null,
    virusid: null,
    bcappname: null,
    bcappoper: null,
    ts,
    format: 'squid',
    sensor,
    uid: null,
    label: null,
  };
}

class SquidFile implements LineHandler {
  private readonly fields: string[] = [];
  private readonly uri = newUriParts();
  private readonly clock = new ClfClock();

  constructor(
    private readonly sink: RowSink<typeof proxy>,
    private readonly ctx: DecodeContext,
  ) {}

  line(text: string, line: number, offset: number, unterminated: boolean): void {
    try {
      if (isNativeLine(text)) this.native(text, line, offset, unterminated);
      else if (text.trim() !== '') this.sink.append(httpdRow(text, this.clock, this.uri, this.ctx.sensor), { line });
    } catch (e) {
      if (unterminated && e instanceof BadRecord) rejectLine(this.sink, 'truncated', line, offset, `the file ends in the middle of a record: ${e.detail}`, text);
      else rejectFieldError(this.sink, e, line, offset, text);
    }
  }

  private native(text: string, line: number, offset: number, unterminated: boolean): void {
    const f = this.fields;
    const n = splitWords(text, f, NATIVE_FIELDS);
    if (n < NATIVE_FIELDS) {
      rejectFieldCount(this.sink, n, NATIVE_FIELDS, "Squid's native format", line, offset, unterminated, text);
      return;
    }
    // Only the request and reply headers of log_mime_hdrs may follow, in [ ].
    const extra = n > NATIVE_FIELDS ? f[NATIVE_FIELDS]! : null;
    if (extra !== null && extra.charCodeAt(0) !== 0x5b) {
      rejectLine(this.sink, 'wrong-field-count', line, offset, `more than ${NATIVE_FIELDS} fields, Squid's native format names ${NATIVE_FIELDS} (log_mime_hdrs adds [headers])`, text);
      return;
    }
    this.sink.append(nativeRow(f, extra, this.uri, this.ctx.sensor), { line });
  }

  tooLong(line: number, offset: number, excerpt: string): void {
    rejectLine(this.sink, 'line-too-long', line, offset, `line longer than ${this.ctx.config.maxLineBytes} bytes (ingest.maxLineBytes)`, excerpt);
  }
}

export const squidDecoder: RowDecoder<typeof proxy> = {
  kind: 'rows',
  name: 'squid',
  table: proxy,
  description: 'Squid access.log: native format, or Apache common/combined as Squid writes them; plain or gzip',

  accepts(_file: SourceFile, head: Buffer): boolean {
    const first = headLines(head)[0];
    return first !== undefined && (NATIVE_LINE.test(first) || HTTPD_PROXY_LINE.test(first));
  },

  async decode(file: SourceFile, sink: RowSink<typeof proxy>, ctx: DecodeContext): Promise<void> {
    await forEachLine(file.path, ctx.config.maxLineBytes, ctx.signal, new SquidFile(sink, ctx));
  },
};
