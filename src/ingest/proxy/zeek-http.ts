/**
 * Zeek http.log, TSV or JSON lines, plain or gzip, read through ../zeek-log.ts. One row per HTTP
 * request Zeek saw on the wire. Mapping: ts → ts, id.orig_h → clientip, id.resp_h → serverip
 * (in an explicit-proxy capture, as RITA's, that is the proxy: uid joins the row to its conn),
 * method, host (without a port), uri → path and query (extension from the path), referrer,
 * user_agent, status_code → respcode, response_body_len → scbytes, request_body_len → csbytes,
 * the first of resp_mime_types → resconttype, username, uid, and Stratosphere's label and
 * detailedlabel → label ("Malicious/External-Attack-to-Device"). Zeek logs no duration.
 * The scheme is http for a request to the server itself (Zeek parses cleartext HTTP only); a
 * request to a proxy names its scheme in its absolute URI, and a CONNECT ("host:443") is a tunnel,
 * scheme tcp, as the Squid decoder reads it. The port is the URI's for requests to a proxy, else
 * the server port id.resp_p.
 * @module
 */
import { proxy, type ProxyRow } from '../../schema/index.js';
import { FieldError, parseAddress, parsePort, required } from '../../shared/record-fields.js';
import type { DecodeContext, RowDecoder, RowSink, SourceFile } from '../decoder.js';
import { readZeekLog, sniffZeekLog, type ZeekRecord } from '../zeek-log.js';
import { rejectFieldError, rejectLine } from './reject.js';
import { newUriParts, splitAuthority, splitTarget, uriExtension, type UriParts } from './uri.js';
import { uintValue } from './values.js';

const DETAIL_LABEL_FIELDS = ['detailedlabel', 'detailed-label', 'detailed_label'];

/** Stratosphere's label and detailed label joined ("Benign/ESET"), as zeek-conn reads them; null when both are unset. */
function label(r: ZeekRecord): string | null {
  const detailField = DETAIL_LABEL_FIELDS.find((f) => r.has(f));
  const parts = [r.text('label'), detailField ? r.text(detailField) : null].filter((v): v is string => !!v && v !== '-' && v !== '(empty)');
  return parts.length ? parts.join('/') : null;
}

const text = (r: ZeekRecord, field: string): string | null => r.text(field) || null;

function count(r: ZeekRecord, field: string, max?: number): number | null {
  const t = text(r, field);
  return t === null ? null : uintValue(field, t, max);
}

function httpRow(r: ZeekRecord, uri: UriParts, hostParts: UriParts, sensor: string | null): ProxyRow {
  const ts = required('ts', r.time('ts'));
  const clientip = parseAddress('id.orig_h', required('id.orig_h', r.text('id.orig_h')));
  const respH = text(r, 'id.resp_h');
  const respP = text(r, 'id.resp_p');
  const method = text(r, 'method');
  const target = text(r, 'uri');
  if (target !== null) splitTarget('uri', target, method === 'CONNECT', uri);
  else uri.scheme = uri.host = uri.port = uri.path = uri.query = null;
  let host = text(r, 'host');
  if (host !== null && (host.indexOf(':') >= 0 || host.charCodeAt(0) === 0x5b)) {
    hostParts.port = null;
    splitAuthority('host', host, hostParts);
    host = hostParts.host;
  }
  // A request to a proxy names its host in the URI, which wins over the Host header (RFC 9112 §3.2.2).
  host = uri.host ?? host;
  if (host === null) throw new FieldError('missing-field', method === null && target === null ? 'host is empty: Zeek saw no request (method and uri unset)' : 'host is empty');
  const toProxy = uri.host !== null;
  const mimeTypes = r.list('resp_mime_types');
  return {
    clientip,
    host,
    reqmethod: method,
    useragent: text(r, 'user_agent'),
    resconttype: mimeTypes?.[0] || null,
    duration: null,
    username: text(r, 'username'),
    authgroup: null,
    exceptionid: null,
    filterresult: null,
    webcat: null,
    referer: text(r, 'referrer'),
    respcode: count(r, 'status_code', 999),
    action: null,
    urischeme: toProxy ? uri.scheme : 'http',
    uriport: toProxy && uri.port !== null ? uri.port : respP !== null ? parsePort('id.resp_p', respP) : null,
    uripath: uri.path,
    uriquery: uri.query,
    uriextension: uriExtension(uri.path),
    serverip: respH === null ? null : parseAddress('id.resp_h', respH),
    scbytes: count(r, 'response_body_len'),
    csbytes: count(r, 'request_body_len'),
    virusid: null,
    bcappname: null,
    bcappoper: null,
    ts,
    format: 'zeek-http',
    sensor,
    uid: text(r, 'uid'),
    label: label(r),
  };
}

export const zeekHttpDecoder: RowDecoder<typeof proxy> = {
  kind: 'rows',
  name: 'zeek-http',
  table: proxy,
  description: 'Zeek http.log, TSV or JSON lines, plain or gzip',

  accepts(_file: SourceFile, head: Buffer): boolean {
    const log = sniffZeekLog(head);
    if (!log) return false;
    if (log.path !== null) return log.path === 'http';
    return log.has('id.orig_h') && log.has('method') && log.has('uri') && log.has('status_code');
  },

  async decode(file: SourceFile, sink: RowSink<typeof proxy>, ctx: DecodeContext): Promise<void> {
    const uri = newUriParts();
    const hostParts = newUriParts();
    for await (const entry of readZeekLog(file.path, ctx.config.maxLineBytes)) {
      ctx.signal.throwIfAborted();
      if (entry.kind === 'reject') {
        rejectLine(sink, entry.reason, entry.line, entry.offset, entry.detail, entry.text);
        continue;
      }
      if (entry.record.path !== null && entry.record.path !== 'http') {
        rejectLine(sink, 'bad-record', entry.line, entry.offset, `a record of the ${entry.record.path} log, not http`, entry.text);
        continue;
      }
      try {
        sink.append(httpRow(entry.record, uri, hostParts, ctx.sensor), { line: entry.line });
      } catch (e) {
        rejectFieldError(sink, e, entry.line, entry.offset, entry.text);
      }
    }
  },
};
