import { col, defineTable } from './define.js';

/*
 * Operational analytics' per-type tables: the ML results joined with their context, as Spot's
 * <type>_scores, Spot's columns first and in Spot's order, ours after. One file per day:
 * <lake>/oa/<table>/y=/m=/d=/<table>.parquet.
 */

const rep = (what: string) =>
  `Reputation of ${what} in Spot's form "source:label:level", several sources joined by "::"; empty when no source knows it.`;

export const flowScores = defineTable(
  'flow_scores',
  {
    tstart: col.timestamp('Start of the flow, UTC.', { spot: true, required: true }),
    srcip: col.ip('Source address.', { spot: true, required: true }),
    dstip: col.ip('Destination address.', { spot: true, required: true }),
    sport: col.port('Source port.', { spot: true }),
    dport: col.port('Destination port.', { spot: true }),
    proto: col.text('IP protocol.', { spot: true }),
    ipkt: col.count('Packets, source to destination.', { spot: true }),
    ibyt: col.count('Bytes, source to destination.', { spot: true }),
    opkt: col.count('Packets back, when the exporter reports them.', { spot: true }),
    obyt: col.count('Bytes back, when the exporter reports them.', { spot: true }),
    ml_score: col.double('LDA score of the flow: the lower of its two sides (docs/ml.md).', { spot: true, required: true }),
    rank: col.int('Rank among the day\'s suspicious flows, 1 = lowest score.', { spot: true, required: true }),
    srcip_internal: col.int('1 when the source is in the internal networks, else 0.', { spot: true }),
    dstip_internal: col.int('1 when the destination is in the internal networks, else 0.', { spot: true }),
    src_geoloc: col.text('Location of the source: "country;city" (geo database).', { spot: true }),
    dst_geoloc: col.text('Location of the destination: "country;city".', { spot: true }),
    src_domain: col.text('Organisation owning the source address: its AS organisation.', { spot: true }),
    dst_domain: col.text('Organisation owning the destination address: its AS organisation.', { spot: true }),
    src_rep: col.text(rep('the source'), { spot: true }),
    dst_rep: col.text(rep('the destination'), { spot: true }),
    src_context: col.text('Network-context label of the source (e.g. "Finance servers").'),
    dst_context: col.text('Network-context label of the destination.'),
    src_asn: col.bigint('Autonomous system of the source.'),
    dst_asn: col.bigint('Autonomous system of the destination.'),
    src_rep_level: col.int('Highest reputation level of the source: -1 unverified, 0 none, 1 low, 2 medium, 3 high.'),
    dst_rep_level: col.int('Highest reputation level of the destination, as src_rep_level.'),
    src_word: col.text('The source side\'s word (docs/ml.md).'),
    dst_word: col.text('The destination side\'s word.'),
    sensor: col.text('Exporter or sensor of the flow.'),
  },
  { partitionBy: 'tstart', description: 'Suspicious flows of a day (ML results), with network context, geolocation, AS and reputation.' },
);

export const dnsScores = defineTable(
  'dns_scores',
  {
    frame_time: col.timestamp('When the response was captured, UTC.', { spot: true, required: true }),
    unix_tstamp: col.bigint('frame_time in whole seconds since 1970.', { spot: true }),
    frame_len: col.int('Length of the frame, bytes.', { spot: true }),
    ip_dst: col.ip('The client (destination of the response).', { spot: true, required: true }),
    dns_qry_name: col.text('Name asked for.', { spot: true }),
    dns_qry_class: col.int('Query class.', { spot: true }),
    dns_qry_type: col.int('Query type.', { spot: true }),
    dns_qry_rcode: col.int('Response code.', { spot: true }),
    ml_score: col.double('LDA score of the response (docs/ml.md).', { spot: true, required: true }),
    tld: col.text('Registered domain of the query (Public Suffix List), as Spot\'s tld column held.', { spot: true }),
    query_rep: col.text(rep('the query name'), { spot: true }),
    hh: col.int('Hour of frame_time, 0-23.', { spot: true }),
    dns_qry_class_name: col.text('IANA name of the class (IN, CH …); "Unknown (n)" otherwise.', { spot: true }),
    dns_qry_type_name: col.text('IANA name of the type (A, TXT …).', { spot: true }),
    dns_qry_rcode_name: col.text('IANA name of the response code (NoError, NXDomain …).', { spot: true }),
    network_context: col.text('Network-context label of the client.', { spot: true }),
    rank: col.int('Rank among the day\'s suspicious responses, 1 = lowest score.', { required: true }),
    ip_src: col.ip('The server that answered.'),
    dns_a: col.text('First A or AAAA answer.'),
    subdomain: col.text('The query name without its registered domain.'),
    query_rep_level: col.int('Highest reputation level of the query name (-1 … 3).'),
    client_internal: col.int('1 when the client is in the internal networks, else 0.'),
    word: col.text('The response\'s word (docs/ml.md).'),
  },
  { partitionBy: 'frame_time', description: 'Suspicious DNS responses of a day (ML results), with registered domain, IANA names, context and reputation.' },
);

export const proxyScores = defineTable(
  'proxy_scores',
  {
    tdate: col.text('Date of the request, YYYY-MM-DD, UTC.', { spot: true }),
    time: col.text('Time of the request, HH:MM:SS, UTC.', { spot: true }),
    clientip: col.ip('Client.', { spot: true, required: true }),
    host: col.text('Host asked for.', { spot: true }),
    reqmethod: col.text('Request method.', { spot: true }),
    useragent: col.text('User agent.', { spot: true }),
    resconttype: col.text('Content type of the response.', { spot: true }),
    duration: col.bigint('Time taken, ms.', { spot: true }),
    username: col.text('Authenticated user.', { spot: true }),
    webcat: col.text('Web categories.', { spot: true }),
    referer: col.text('Referring page.', { spot: true }),
    respcode: col.int('HTTP status.', { spot: true }),
    uriport: col.port('URI port.', { spot: true }),
    uripath: col.text('URI path.', { spot: true }),
    uriquery: col.text('URI query.', { spot: true }),
    serverip: col.ip('Server the proxy contacted.', { spot: true }),
    scbytes: col.count('Bytes server to client.', { spot: true }),
    csbytes: col.count('Bytes client to server.', { spot: true }),
    fulluri: col.text('host + path + query (docs/schema.md).', { spot: true }),
    word: col.text('The request\'s word (docs/ml.md).', { spot: true }),
    ml_score: col.double('LDA score of the request.', { spot: true, required: true }),
    uri_rep: col.text(rep('the URI or its host'), { spot: true }),
    respcode_name: col.text('IANA name of the HTTP status (200 → OK).', { spot: true }),
    network_context: col.text('Network-context label of the client.', { spot: true }),
    ts: col.timestamp('When the request was logged, UTC.', { required: true }),
    rank: col.int('Rank among the day\'s suspicious requests, 1 = lowest score.', { required: true }),
    host_domain: col.text('Registered domain of the host (Public Suffix List).'),
    uri_rep_level: col.int('Highest reputation level of the URI or host (-1 … 3).'),
    client_internal: col.int('1 when the client is in the internal networks, else 0.'),
  },
  { partitionBy: 'ts', description: 'Suspicious proxy requests of a day (ML results), with HTTP status names, context and reputation.' },
);
