/**
 * Request targets as proxies log them, cut into the proxy table's URI columns without building a
 * URL object (it would normalise, reject and cost too much for a log line): absolute URLs
 * ("http://host:8080/a/b.php?x=1"), CONNECT targets ("host:443", "[2001:db8::1]:443") and paths
 * ("/a/b.php?x=1", as Zeek and web servers log them). Values are kept as logged; only an IPv6
 * host loses its brackets and takes its canonical form, as the address columns do.
 * @module
 */
import { canonicalIp } from '../../shared/ip.js';
import { FieldError, fieldValue, PORT_MAX } from '../../shared/record-fields.js';

/** The URI columns of one request; a decoder keeps one and refills it for every line. */
export interface UriParts {
  scheme: string | null;
  host: string | null;
  port: number | null;
  path: string | null;
  /** With its leading "?". */
  query: string | null;
}

export const newUriParts = (): UriParts => ({ scheme: null, host: null, port: null, path: null, query: null });

/** Ports of schemes a proxy carries, for URLs that name none. */
const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443, ws: 80, wss: 443, ftp: 21 };

function defaultPort(scheme: string | null): number | null {
  return scheme === null ? null : (DEFAULT_PORTS[scheme] ?? null);
}

/** A URI port, text[start, end) (the whole text by default), or a FieldError naming the field. */
export function uriPort(field: string, text: string, start = 0, end = text.length): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9 || i - start > 5) throw new FieldError('bad-field', `${fieldValue(field, text.slice(start, end))} is not a port`);
    n = n * 10 + d;
  }
  if (end <= start) throw new FieldError('bad-field', `${fieldValue(field, text.slice(start, end))} is not a port`);
  if (n > PORT_MAX) throw new FieldError('out-of-range', `${fieldValue(field, text.slice(start, end))} is outside 0-${PORT_MAX}`);
  return n;
}

const isSchemeChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46;

/** Length of a URL's scheme ("http" in "http://…"), 0 when the text does not start with scheme "://". */
function schemeLength(url: string): number {
  const c0 = url.charCodeAt(0);
  if (!((c0 >= 97 && c0 <= 122) || (c0 >= 65 && c0 <= 90))) return 0;
  let i = 1;
  while (i < url.length && isSchemeChar(url.charCodeAt(i))) i++;
  return url.startsWith('://', i) ? i : 0;
}

/**
 * Host and port of an authority, text[start, end) ("user@host:8080", "[::1]:443", "host"), into
 * parts. The user part is dropped: it may hold a password. No port leaves parts.port as it was.
 */
export function splitAuthority(field: string, text: string, parts: UriParts, start = 0, end = text.length): void {
  const at = text.lastIndexOf('@', end - 1);
  const s = at >= start ? at + 1 : start;
  let portStart = -1;
  if (text.charCodeAt(s) === 0x5b /* [ */) {
    const close = text.indexOf(']', s);
    if (close < 0 || close >= end) throw new FieldError('bad-field', `${fieldValue(field, text.slice(start, end))}: unclosed "[" around an IPv6 address`);
    const ip = canonicalIp(text.slice(s + 1, close));
    if (ip === null) throw new FieldError('bad-field', `${fieldValue(field, text.slice(start, end))}: not an IPv6 address between "[" and "]"`);
    parts.host = ip;
    if (text.charCodeAt(close + 1) === 0x3a /* : */ && close + 1 < end) portStart = close + 2;
    else if (close + 1 < end) throw new FieldError('bad-field', `${fieldValue(field, text.slice(start, end))}: text after the IPv6 address`);
  } else {
    let colon = text.lastIndexOf(':', end - 1);
    if (colon < s) colon = -1;
    // Two colons and no brackets: a bare IPv6 address, as some CONNECT lines carry it.
    const bare = colon >= 0 && text.indexOf(':', s) !== colon;
    if (colon >= 0 && !bare) portStart = colon + 1;
    const host = text.slice(s, portStart >= 0 ? colon : end);
    parts.host = host === '' ? null : bare ? (canonicalIp(host) ?? host) : host;
  }
  if (portStart >= 0 && portStart < end) parts.port = uriPort(field, text, portStart, end);
}

/** A path with its query ("/a/b?x=1") from position from, into parts.path and parts.query. */
function splitPathQuery(target: string, from: number, parts: UriParts): void {
  const q = target.indexOf('?', from);
  const pathEnd = q < 0 ? target.length : q;
  parts.path = pathEnd > from ? target.slice(from, pathEnd) : null;
  parts.query = q < 0 ? null : target.slice(q);
}

/** The scheme of an absolute URL, the two a proxy mostly sees without a new string each. */
function schemeOf(target: string, length: number): string {
  if (length === 4 && target.startsWith('http')) return 'http';
  if (length === 5 && target.startsWith('https')) return 'https';
  return target.slice(0, length).toLowerCase();
}

/**
 * A request target into parts (every part reset first): an absolute URL gives scheme, host, port
 * (its scheme's default when it names none), path and query; "host:port" gives host and port
 * (connect says it is a CONNECT target: the scheme is then "tcp", as Blue Coat logs tunnels);
 * a path gives path and query. Anything else ("error:invalid-request") sets no host.
 */
export function splitTarget(field: string, target: string, connect: boolean, parts: UriParts): void {
  parts.scheme = null;
  parts.host = null;
  parts.port = null;
  parts.path = null;
  parts.query = null;
  if (target.charCodeAt(0) === 0x2f /* / */ && !connect) {
    splitPathQuery(target, 0, parts);
    return;
  }
  const schemeLen = schemeLength(target);
  if (schemeLen > 0) {
    const scheme = schemeOf(target, schemeLen);
    const authStart = schemeLen + 3;
    // The authority ends where the path or the query starts.
    const slash = target.indexOf('/', authStart);
    const pathStart = slash < 0 ? target.length : slash;
    const q = target.indexOf('?', authStart);
    const authEnd = q >= 0 && q < pathStart ? q : pathStart;
    parts.scheme = scheme;
    splitAuthority(field, target, parts, authStart, authEnd);
    if (parts.port === null) parts.port = defaultPort(scheme);
    splitPathQuery(target, authEnd, parts);
    return;
  }
  if (connect || looksLikeAuthority(target)) {
    parts.scheme = connect ? 'tcp' : null;
    splitAuthority(field, target, parts);
  }
}

/** "host:port" or "[v6]:port": what a CONNECT line names, even when its method is not logged. */
function looksLikeAuthority(target: string): boolean {
  if (target.charCodeAt(0) === 0x5b) return /^\[[0-9A-Fa-f:.]+\]:\d+$/.test(target);
  const colon = target.lastIndexOf(':');
  return colon > 0 && target.indexOf('/') < 0 && /^\d{1,5}$/.test(target.slice(colon + 1)) && !target.slice(0, colon).includes(':');
}

/**
 * The extension of a path's last segment, as Blue Coat's cs-uri-extension holds it: "php" for
 * "/a/b.php", null for "/a/" or "/a/b" or "/a/b.". Path parameters (";jsessionid=…") are not part of it.
 */
export function uriExtension(path: string | null): string | null {
  if (path === null) return null;
  const slash = path.lastIndexOf('/');
  let end = path.indexOf(';', slash + 1);
  if (end < 0) end = path.length;
  const dot = path.lastIndexOf('.', end - 1);
  if (dot <= slash || dot === end - 1) return null;
  return path.slice(dot + 1, end);
}
