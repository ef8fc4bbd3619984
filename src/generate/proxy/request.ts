/**
 * One request as a web proxy saw it, before any log format: what both writers render and what
 * the lake should hold once a decoder has read the line back.
 * @module
 */

/** How the proxy served a request; each log format has its own words for it. */
export type ProxyOutcome =
  /** Fetched from the origin server. */
  | 'miss'
  /** Served from the proxy's cache, without contacting the origin. */
  | 'hit'
  /** Revalidated with the origin (a conditional request answered 304). */
  | 'revalidated'
  /** A TLS tunnel the proxy did not open: only the host, the port and the bytes are known. */
  | 'tunnel'
  /** Refused by policy: the proxy answered itself. */
  | 'denied';

export interface ProxyRequest {
  /** When the transaction completed, epoch ms: both formats log that moment. */
  readonly end: number;
  /** Time taken, ms. */
  readonly duration: number;
  readonly client: string;
  /** The origin server's address; null when the proxy answered itself (cache hit, denial). */
  readonly server: string | null;
  readonly method: string;
  /** `tcp` for tunnels, as Blue Coat logs them. */
  readonly scheme: 'http' | 'https' | 'tcp';
  readonly host: string;
  readonly port: number;
  /** The path without its query; "/" for tunnels. */
  readonly path: string;
  /** With its leading "?", or null. */
  readonly query: string | null;
  readonly status: number;
  readonly contentType: string | null;
  readonly referer: string | null;
  readonly userAgent: string | null;
  /** Bytes from the client (request line, headers, body), and to it (status line, headers, body). */
  readonly csBytes: number;
  readonly scBytes: number;
  readonly outcome: ProxyOutcome;
  /** The proxy's web categories, ';'-separated (Blue Coat only). */
  readonly category: string;
  /** Blue Coat's application name and operation, when it recognises the application. */
  readonly app: string | null;
  readonly appOperation: string | null;
  /** The user the proxy authenticated (Blue Coat, by IP surrogate), and the user's group. */
  readonly username: string | null;
  readonly authGroup: string | null;
  /** The labels.csv id of the session, for tests; never written to a log. */
  readonly label: string | null;
}

/** The extension of a path's last segment, as Blue Coat's cs-uri-extension holds it ("exe" for "/a/b.exe"). */
export function pathExtension(path: string): string | null {
  const slash = path.lastIndexOf('/');
  let end = path.indexOf(';', slash + 1);
  if (end < 0) end = path.length;
  const dot = path.lastIndexOf('.', end - 1);
  return dot <= slash || dot === end - 1 ? null : path.slice(dot + 1, end);
}
