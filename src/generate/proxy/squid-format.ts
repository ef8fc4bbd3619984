import type { ProxyRequest } from './request.js';

/**
 * Squid access.log lines in the native format, with log_mime_hdrs on (the branch turned it on to
 * see user agents and referers):
 *   time.ms elapsed client action/code size method URL user hierarchy/peer type [request headers] [reply headers]
 * Times are epoch seconds with milliseconds; a CONNECT names host:port; header blocks are escaped
 * as Squid escapes them (%XX for '%', '[', ']', '"' and controls; line ends as \r\n).
 * @module
 */

export const SQUID_ACTION = { miss: 'TCP_MISS', hit: 'TCP_HIT', revalidated: 'TCP_REFRESH_UNMODIFIED', tunnel: 'TCP_TUNNEL', denied: 'TCP_DENIED' } as const;

const REASONS: Readonly<Record<number, string>> = { 200: 'OK', 201: 'Created', 204: 'No Content', 206: 'Partial Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' };

function escape(text: string): string {
  return text.replace(/[%[\]"\x00-\x1f\x7f-\uffff]/g, (c) =>
    [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

/** The URL as Squid logs it: the absolute URL of a plain request, host:port of a CONNECT. */
export function squidUrl(q: ProxyRequest): string {
  if (q.method === 'CONNECT') return `${q.host}:${q.port}`;
  const port = q.port === (q.scheme === 'https' ? 443 : 80) ? '' : `:${q.port}`;
  const host = q.host.includes(':') ? `[${q.host}]` : q.host;
  return `${q.scheme}://${host}${port}${q.path}${q.query ?? ''}`;
}

export function squidLine(q: ProxyRequest): string {
  const end = (q.end / 1000).toFixed(3);
  const peer = q.server === null ? 'HIER_NONE/-' : `HIER_DIRECT/${q.server}`;
  const request =
    q.method === 'CONNECT'
      ? '[]'
      : `[Host: ${escape(q.host)}\\r\\n${q.userAgent === null ? '' : `User-Agent: ${escape(q.userAgent)}\\r\\n`}Accept: */*\\r\\n${q.referer === null ? '' : `Referer: ${escape(q.referer)}\\r\\n`}]`;
  const type = q.contentType === null ? '' : `Content-Type: ${escape(q.contentType)}\\r\\n`;
  const reply = q.method === 'CONNECT' ? '[]' : `[HTTP/1.1 ${q.status} ${REASONS[q.status] ?? 'OK'}\\r\\n${type}]`;
  return `${end} ${String(q.duration).padStart(6)} ${q.client} ${SQUID_ACTION[q.outcome]}/${q.status} ${q.scBytes} ${q.method} ${squidUrl(q)} - ${peer} ${q.contentType === null ? '-' : q.contentType.replace(/ /g, '')} ${request} ${reply}`;
}
