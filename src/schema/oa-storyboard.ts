import { col, defineTable } from './define.js';

/*
 * Precomputed data behind the analyst's views (Spot's *_edge, *_chords, *_dendro, timelines,
 * impact and globe files), all set-based. Anchors are the day's suspicious events (edges) and
 * the top threats (the rest); `anchor` names the threat an entity-level row belongs to.
 */

const anchor = () => col.text('The threat the row belongs to: an address, a query name or a URI.', { required: true });

export const flowEdge = defineTable(
  'flow_edge',
  {
    score_rank: col.int('rank of the flow_scores row this flow explains.', { required: true }),
    tstart: col.timestamp('Start of the flow.', { spot: true, required: true }),
    srcip: col.ip('Source.', { spot: true, required: true }),
    dstip: col.ip('Destination.', { spot: true, required: true }),
    sport: col.port('Source port.', { spot: true }),
    dport: col.port('Destination port.', { spot: true }),
    proto: col.text('Protocol.', { spot: true }),
    flags: col.text('TCP flags.', { spot: true }),
    tos: col.int('Type of service.', { spot: true }),
    ibyt: col.count('Bytes.', { spot: true }),
    ipkt: col.count('Packets.', { spot: true }),
    input: col.int('Input interface.', { spot: true }),
    output: col.int('Output interface.', { spot: true }),
    rip: col.ip('Exporter address.', { spot: true }),
    obyt: col.count('Bytes back.', { spot: true }),
    opkt: col.count('Packets back.', { spot: true }),
    hh: col.int('Hour.', { spot: true }),
    mn: col.int('Minute.', { spot: true }),
  },
  { partitionBy: 'tstart', description: 'The raw flows behind each suspicious flow: the same pair, both directions, in the same minute.' },
);

export const flowChords = defineTable(
  'flow_chords',
  {
    ip_threat: anchor(),
    srcip: col.ip('Source.', { spot: true, required: true }),
    dstip: col.ip('Destination.', { spot: true, required: true }),
    ibyt: col.count('Bytes from srcip to dstip over the day.', { spot: true }),
    ipkt: col.count('Packets from srcip to dstip over the day.', { spot: true }),
    flows: col.bigint('Flows from srcip to dstip.'),
    first_seen: col.timestamp('First of those flows.', { required: true }),
    last_seen: col.timestamp('Last of those flows.'),
  },
  { partitionBy: 'first_seen', description: 'Traffic between an address seen several times among the suspicious flows and its suspicious peers.' },
);

export const dnsEdge = defineTable(
  'dns_edge',
  {
    score_rank: col.int('rank of the dns_scores row this response explains.', { required: true }),
    frame_time: col.timestamp('Capture time.', { required: true }),
    unix_tstamp: col.bigint('Seconds since 1970.', { spot: true }),
    frame_len: col.int('Frame length.', { spot: true }),
    ip_dst: col.ip('Client.', { spot: true }),
    ip_src: col.ip('Server.', { spot: true }),
    dns_qry_name: col.text('Name asked for.', { spot: true }),
    dns_qry_class: col.int('Class.', { spot: true }),
    dns_qry_type: col.int('Type.', { spot: true }),
    dns_qry_rcode: col.int('Response code.', { spot: true }),
    dns_a: col.text('First address answer.', { spot: true }),
    hh: col.int('Hour.', { spot: true }),
    dns_qry_class_name: col.text('Class name.', { spot: true }),
    dns_qry_type_name: col.text('Type name.', { spot: true }),
    dns_qry_rcode_name: col.text('Response code name.', { spot: true }),
    network_context: col.text('Context of the client.', { spot: true }),
  },
  { partitionBy: 'frame_time', description: 'The responses for the same name in the same hour as each suspicious response (at most storyboard.detailsLimit each).' },
);

export const dnsDendro = defineTable(
  'dns_dendro',
  {
    ip_dst: anchor(),
    frame_time: col.timestamp('Capture time.', { required: true }),
    unix_tstamp: col.bigint('Seconds since 1970.', { spot: true }),
    dns_qry_name: col.text('Name asked for.', { spot: true }),
    dns_a: col.text('First address answer.', { spot: true }),
  },
  { partitionBy: 'frame_time', description: 'Client → queries → answers of each suspicious client (at most storyboard.detailsLimit rows each).' },
);

export const proxyEdge = defineTable(
  'proxy_edge',
  {
    score_rank: col.int('rank of the proxy_scores row this request explains.', { required: true }),
    ts: col.timestamp('When the request was logged.', { required: true }),
    tdate: col.text('Date.', { spot: true }),
    time: col.text('Time.', { spot: true }),
    clientip: col.ip('Client.', { spot: true }),
    host: col.text('Host.', { spot: true }),
    webcat: col.text('Categories.', { spot: true }),
    respcode: col.int('HTTP status.', { spot: true }),
    reqmethod: col.text('Method.', { spot: true }),
    useragent: col.text('User agent.', { spot: true }),
    resconttype: col.text('Content type.', { spot: true }),
    referer: col.text('Referer.', { spot: true }),
    uriport: col.port('Port.', { spot: true }),
    serverip: col.ip('Server.', { spot: true }),
    scbytes: col.count('Bytes to the client.', { spot: true }),
    csbytes: col.count('Bytes from the client.', { spot: true }),
    fulluri: col.text('Full URI.', { spot: true }),
    hh: col.int('Hour.', { spot: true }),
    respcode_name: col.text('HTTP status name.', { spot: true }),
  },
  { partitionBy: 'ts', description: 'The requests of the same client for the same URI in the same hour as each suspicious request.' },
);
