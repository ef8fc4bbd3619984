/**
 * The Apache formats Squid writes with "logformat common" and "logformat combined"
 * (src/log/FormatHttpdCommon.cc, FormatHttpdCombined.cc in squid-cache/squid):
 *   client - user [08/Sep/2006:04:21:52 +0000] "GET http://host/ HTTP/1.1" 200 1234 TCP_MISS:HIER_DIRECT
 *   client - user [time] "request" status size "referer" "user agent" TCP_MISS:HIER_DIRECT
 * Squid writes the referer and user agent unescaped, so a quote inside a user agent is allowed
 * for: the agent ends at the last quote before the Squid status (or the end of the line). Lines
 * without the trailing Squid status, as Apache itself writes them, are read too.
 * @module
 */
import type { ProxyRow } from '../../schema/index.js';
import { FieldError } from '../../shared/record-fields.js';
import type { ClfClock } from './clock.js';
import { BadRecord } from './reject.js';
import { splitTarget, uriExtension, type UriParts } from './uri.js';
import { addressValue, orNull, percentDecoded, uintValue } from './values.js';

/** "TCP_MISS:HIER_DIRECT", Squid's %Ss:%Sh that ends its common and combined lines. */
const SQUID_STATUS = /^([A-Z_]+):[A-Z_]+(?:\s|$)/;

/** The next space-separated word from pos; wordEnd is where it stopped. */
let wordEnd = 0;
function word(line: string, pos: number): string {
  let end = line.indexOf(' ', pos);
  if (end < 0) end = line.length;
  wordEnd = end;
  return line.slice(pos, end);
}

function malformed(what: string): never {
  throw new BadRecord(`neither a Squid native nor an Apache common/combined line: ${what}`);
}

/** Where a closing quote is: followed by a space or the end of the line. */
function closingQuote(line: string, from: number): number {
  let q = line.indexOf('"', from);
  while (q >= 0 && q + 1 < line.length && line.charCodeAt(q + 1) !== 0x20) q = line.indexOf('"', q + 1);
  return q;
}

export function httpdRow(line: string, clock: ClfClock, uri: UriParts, sensor: string | null): ProxyRow {
  const client = word(line, 0);
  const ident = word(line, wordEnd + 1);
  const user = word(line, wordEnd + 1);
  let pos = wordEnd + 1;
  if (line.charCodeAt(pos) !== 0x5b /* [ */) malformed('no [time] after the client and user');
  const timeEnd = line.indexOf(']', pos);
  if (timeEnd < 0) malformed('the [time] is not closed');
  const ts = clock.micros('time', line.slice(pos + 1, timeEnd));
  pos = timeEnd + 2;
  if (line.charCodeAt(timeEnd + 1) !== 0x20 || line.charCodeAt(pos) !== 0x22 /* " */) malformed('no "request" after the time');
  const requestEnd = closingQuote(line, pos + 1);
  if (requestEnd < 0) malformed('the "request" is not closed');
  const request = line.slice(pos + 1, requestEnd);
  const status = word(line, requestEnd + 2);
  const size = word(line, wordEnd + 1);
  const rest = wordEnd < line.length ? line.slice(wordEnd + 1) : '';

  // "METHOD target PROTOCOL/x.y"; a target with spaces (uri_whitespace allow) keeps them.
  const firstSpace = request.indexOf(' ');
  const lastSpace = request.lastIndexOf(' ');
  const method = firstSpace < 0 ? orNull(request) : request.slice(0, firstSpace);
  const target = firstSpace < 0 ? null : request.slice(firstSpace + 1, lastSpace > firstSpace && request.startsWith('HTTP/', lastSpace + 1) ? lastSpace : request.length);
  if (target !== null) splitTarget('request', target, method === 'CONNECT', uri);
  else uri.scheme = uri.host = uri.port = uri.path = uri.query = null;
  if (uri.host === null) throw new FieldError('missing-field', `the request ${JSON.stringify(request)} names no host`);

  let referer: string | null = null;
  let agent: string | null = null;
  let tail = rest;
  if (rest.charCodeAt(0) === 0x22) {
    const refEnd = rest.indexOf('" "', 1);
    if (refEnd < 0) malformed('a quoted referer without a quoted user agent after it');
    referer = orNull(rest.slice(1, refEnd));
    const agentEnd = agentClose(rest, refEnd + 3);
    if (agentEnd < 0) malformed('the "user agent" is not closed');
    agent = orNull(rest.slice(refEnd + 3, agentEnd));
    tail = rest.slice(agentEnd + 1).trimStart();
  }
  const squid = SQUID_STATUS.exec(tail);
  const username = orNull(user) ?? orNull(ident);
  return {
    clientip: addressValue('client', client),
    host: uri.host,
    reqmethod: method,
    useragent: agent,
    resconttype: null,
    duration: null,
    username: username === null ? null : percentDecoded(username),
    authgroup: null,
    exceptionid: null,
    filterresult: null,
    webcat: null,
    referer,
    respcode: uintValue('status', status, 999),
    action: squid ? squid[1]! : null,
    urischeme: uri.scheme,
    uriport: uri.port,
    uripath: uri.path,
    uriquery: uri.query,
    uriextension: uriExtension(uri.path),
    serverip: null,
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

/** The quote that ends the user agent: the last one followed by the end, a Squid status or mime headers. */
function agentClose(rest: string, from: number): number {
  for (let q = rest.lastIndexOf('"'); q >= from; q = rest.lastIndexOf('"', q - 1)) {
    const after = rest.slice(q + 1).trimStart();
    if (after === '' || after.charCodeAt(0) === 0x5b || SQUID_STATUS.test(after)) return q;
  }
  return -1;
}

/** The first line of a head is an Apache common/combined line of a proxy: its target is a URL or a CONNECT host:port. */
export const HTTPD_PROXY_LINE = /^\S+ \S+ \S+ \[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] "(?:CONNECT \S+:\d+|[A-Z_]+ [A-Za-z][A-Za-z0-9+.-]*:\/\/)/;
