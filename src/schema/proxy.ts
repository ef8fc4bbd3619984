import { col, defineTable, type RowOf } from './define.js';

/**
 * Web proxy requests: Blue Coat ProxySG (ELFF), Squid access.log, W3C extended logs and Zeek
 * http.log. Spot's 28 columns come first, in Spot's order; ts is the UTC time they derive from.
 */
export const proxy = defineTable(
  'proxy',
  {
    p_date: col.part('text', 'ts', 'date', 'Date of the request, YYYY-MM-DD, UTC (from ts).', { spot: true }),
    p_time: col.part('text', 'ts', 'time', 'Time of the request, HH:MM:SS, UTC (from ts).', { spot: true }),
    clientip: col.ip('Client address (c-ip).', { spot: true, required: true }),
    host: col.text('Host name asked for (cs-host), or the CONNECT target.', { spot: true, required: true }),
    reqmethod: col.text('Request method (cs-method): GET, POST, CONNECT …', { spot: true }),
    useragent: col.text('User agent (cs(User-Agent)).', { spot: true }),
    resconttype: col.text('Content type of the response (rs(Content-Type)).', { spot: true }),
    duration: col.bigint('Time taken to serve the request, in milliseconds (time-taken).', { spot: true }),
    username: col.text('Authenticated user (cs-username).', { spot: true }),
    authgroup: col.text('Authentication group (cs-auth-group).', { spot: true }),
    exceptionid: col.text('Proxy exception, if any (x-exception-id).', { spot: true }),
    filterresult: col.text('Filtering verdict (sc-filter-result): OBSERVED, PROXIED, DENIED …', { spot: true }),
    webcat: col.text('Web categories (cs-categories).', { spot: true }),
    referer: col.text('Referring page (cs(Referer)).', { spot: true }),
    respcode: col.int('HTTP status code of the response (sc-status). Spot kept it as text.', { spot: true }),
    action: col.text('Proxy action (s-action), e.g. TCP_HIT, TCP_MISS, TCP_DENIED.', { spot: true }),
    urischeme: col.text('URI scheme (cs-uri-scheme): http, https, tcp …', { spot: true }),
    uriport: col.port('URI port (cs-uri-port). Spot kept it as text.', { spot: true }),
    uripath: col.text('URI path (cs-uri-path).', { spot: true }),
    uriquery: col.text('URI query, with its leading "?" (cs-uri-query).', { spot: true }),
    uriextension: col.text('Extension of the path\'s last segment (cs-uri-extension).', { spot: true }),
    serverip: col.ip('Address of the server the proxy contacted (s-ip / r-ip / Squid hierarchy peer).', { spot: true }),
    scbytes: col.count('Bytes from server to client (sc-bytes).', { spot: true }),
    csbytes: col.count('Bytes from client to server (cs-bytes).', { spot: true }),
    virusid: col.text('Malware detected, if any (x-virus-id).', { spot: true }),
    bcappname: col.text('Blue Coat application name (x-bluecoat-application-name).', { spot: true }),
    bcappoper: col.text('Blue Coat application operation (x-bluecoat-application-operation).', { spot: true }),
    fulluri: col.concat(
      [{ from: 'host' }, { from: 'uripath', minLength: 1 }, { from: 'uriquery', minLength: 1 }],
      'host + uripath + uriquery, each path or query part only when longer than one character ("/" and "?" alone are left out), as Spot derived it: the URI an analyst reads and the ML scores.',
      { spot: true },
    ),
    ts: col.timestamp('When the request was logged, UTC. Logs in local time are read in the configured time zone.', { required: true }),
    format: col.text('Format of the source: bluecoat, squid, w3c or zeek-http.', { required: true }),
    sensor: col.text('Proxy or sensor that logged the request: the --sensor name given at ingest.'),
    uid: col.text('Connection identifier of the source (Zeek uid), to join with flows of the same sensor.'),
    label: col.text('Ground-truth label carried by the source file (labelled Zeek logs), if any.'),
  },
  {
    partitionBy: 'ts',
    description: 'Web proxy requests from Blue Coat, Squid, W3C extended logs and Zeek http.log.',
  },
);

export type ProxyRow = RowOf<typeof proxy>;
