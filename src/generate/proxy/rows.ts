import type { ProxyRow } from '../../schema/proxy.js';
import { BLUECOAT_ACTION, exceptionId, filterResult } from './bluecoat-format.js';
import { pathExtension, type ProxyRequest } from './request.js';
import type { ProxyFormat } from './sensors.js';
import { SQUID_ACTION } from './squid-format.js';

/** What the lake's proxy table should hold for a logged request: a proxy row without the ingest's own columns. */
export type ProxyRequestRow = Omit<ProxyRow, 'sensor' | 'uid' | 'label'>;

/**
 * The row of a request as its log format carries it: Blue Coat logs every column Spot kept,
 * to the second; Squid's native format has no request bytes, user, categories or Blue Coat
 * application fields, its time has milliseconds, a CONNECT has no path, and its type field
 * loses the spaces of the Content-Type.
 */
export function proxyRequestRow(q: ProxyRequest, format: ProxyFormat): ProxyRequestRow {
  const connect = q.method === 'CONNECT';
  const common = {
    clientip: q.client,
    host: q.host,
    reqmethod: q.method,
    duration: q.duration,
    respcode: q.status,
    urischeme: q.scheme,
    uriport: q.port,
    uriquery: q.query,
    serverip: q.server,
    scbytes: q.scBytes,
    virusid: null,
  };
  if (format === 'bluecoat') {
    return {
      ...common,
      useragent: q.userAgent,
      resconttype: q.contentType,
      username: q.username,
      authgroup: q.authGroup,
      exceptionid: exceptionId(q.outcome),
      filterresult: filterResult(q.outcome),
      webcat: q.category,
      referer: q.referer,
      action: BLUECOAT_ACTION[q.outcome],
      uripath: q.path,
      uriextension: pathExtension(q.path),
      csbytes: q.csBytes,
      bcappname: q.app,
      bcappoper: q.appOperation,
      ts: Math.floor(q.end / 1000) * 1_000_000,
      format: 'bluecoat',
    };
  }
  return {
    ...common,
    useragent: connect ? null : q.userAgent,
    resconttype: q.contentType === null ? null : q.contentType.replace(/ /g, ''),
    username: null,
    authgroup: null,
    exceptionid: null,
    filterresult: null,
    webcat: null,
    referer: connect ? null : q.referer,
    action: SQUID_ACTION[q.outcome],
    uripath: connect ? null : q.path,
    uriextension: connect ? null : pathExtension(q.path),
    csbytes: null,
    bcappname: null,
    bcappoper: null,
    ts: q.end * 1000,
    format: 'squid',
  };
}
