import type { ProxyRequest } from './request.js';
import { pathExtension } from './request.js';
import type { ProxySensor } from './sensors.js';

/**
 * Blue Coat ProxySG access log lines in ELFF: Spot's 27 fields in Spot's order, then r-ip (the
 * origin server's address; s-ip is the appliance's own), under the header ProxySG writes at the
 * top of every log file it uploads. Times are UTC, to the second.
 * @module
 */

export const BLUECOAT_FIELDS = [
  'date', 'time', 'time-taken', 'c-ip', 'cs-username', 'cs-auth-group', 'x-exception-id', 'sc-filter-result', 'cs-categories',
  'cs(Referer)', 'sc-status', 's-action', 'cs-method', 'rs(Content-Type)', 'cs-uri-scheme', 'cs-host', 'cs-uri-port', 'cs-uri-path',
  'cs-uri-query', 'cs-uri-extension', 'cs(User-Agent)', 's-ip', 'sc-bytes', 'cs-bytes', 'x-virus-id', 'x-bluecoat-application-name',
  'x-bluecoat-application-operation', 'r-ip',
] as const;

const SOFTWARE = 'SGOS 7.3.16.2 (SWG Edition)';

/** The header of a log file of the sensor whose first line is logged at `start` (epoch ms). */
export function bluecoatHeader(start: number, sensor: ProxySensor): string {
  const stamp = new Date(start).toISOString();
  const when = `${stamp.slice(0, 10)} ${stamp.slice(11, 19)}`;
  return `#Software: ${SOFTWARE}\n#Version: 1.0\n#Start-Date: ${when}\n#Date: ${when}\n#Fields: ${BLUECOAT_FIELDS.join(' ')}\n#Remark: 4901063225 "${sensor.name}" "${sensor.address ?? '-'}" "main"\n`;
}

/** What s-action says about how the request was served. */
export const BLUECOAT_ACTION = { miss: 'TCP_NC_MISS', hit: 'TCP_HIT', revalidated: 'TCP_REFRESH_MISS', tunnel: 'TCP_TUNNELED', denied: 'TCP_DENIED' } as const;

export function filterResult(outcome: ProxyRequest['outcome']): string {
  return outcome === 'denied' ? 'DENIED' : outcome === 'hit' ? 'PROXIED' : 'OBSERVED';
}

export function exceptionId(outcome: ProxyRequest['outcome']): string | null {
  return outcome === 'denied' ? 'policy_denied' : null;
}

/** A field: "-" for none, quoted when it holds a space or a quote (a quote or backslash inside escaped). */
function field(value: string | number | null): string {
  if (value === null) return '-';
  const text = String(value);
  if (text === '') return '-';
  if (!/[\s"]/.test(text)) return text;
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** "YYYY-MM-DD HH:MM:SS" of the last second formatted: lines come in time order, many in the same second. */
let lastSecond = NaN;
let lastStamp = '';

function dateTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    const iso = new Date(second * 1000).toISOString();
    lastSecond = second;
    lastStamp = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  }
  return lastStamp;
}

export function bluecoatLine(q: ProxyRequest, sensor: ProxySensor): string {
  return [
    dateTime(q.end),
    q.duration,
    q.client,
    field(q.username),
    field(q.authGroup),
    field(exceptionId(q.outcome)),
    filterResult(q.outcome),
    field(q.category),
    field(q.referer),
    q.status,
    BLUECOAT_ACTION[q.outcome],
    q.method,
    field(q.contentType),
    q.scheme,
    q.host,
    q.port,
    field(q.path),
    field(q.query),
    field(pathExtension(q.path)),
    field(q.userAgent),
    field(sensor.address),
    q.scBytes,
    q.csBytes,
    '-',
    field(q.app),
    field(q.appOperation),
    field(q.server),
  ].join(' ');
}
