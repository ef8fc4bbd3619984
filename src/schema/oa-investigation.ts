import { col, defineTable } from './define.js';

/*
 * Threat investigation and storyboard data for the top threats: Spot's expanded search,
 * impact analysis, incident progression, globe and timelines, precomputed in SQL.
 */

const anchor = () => col.text('The threat the row belongs to: an address, a query name or a domain.', { required: true });

export const peerSummary = defineTable(
  'peer_summary',
  {
    anchor: anchor(),
    type: col.text('Telemetry: flow, dns or proxy.', { required: true }),
    peer: col.text('The other side: an address (flow), a query name or client (dns), a host or client (proxy).', { required: true }),
    direction: col.text('two-way, inbound-only or outbound-only, as seen from the anchor.', { required: true }),
    sport: col.port('Source port of the flows (flow; the lowest when several).'),
    dport: col.port('Destination port of the flows (flow; the lowest when several).'),
    first_seen: col.timestamp('First event between them.', { required: true }),
    last_seen: col.timestamp('Last event between them.', { required: true }),
    connections: col.bigint('Events between them.', { required: true }),
    max_bytes: col.bigint('Largest event, bytes.'),
    avg_bytes: col.double('Mean event size, bytes.'),
    max_packets: col.bigint('Largest event, packets (flow).'),
    avg_packets: col.double('Mean event, packets (flow).'),
    context: col.text('Network-context label of the peer (addresses).'),
    internal: col.bool('The peer is an internal address.'),
    country: col.text('Country of the peer.'),
    lat: col.double('Latitude of the peer, for the map.'),
    lon: col.double('Longitude of the peer, for the map.'),
  },
  { partitionBy: 'first_seen', description: 'Expanded search of each top threat: every peer with first and last seen, counts, sizes, direction, context and location.' },
);

export const impact = defineTable(
  'impact',
  {
    anchor: anchor(),
    direction: col.text('two-way, inbound-only or outbound-only.', { required: true }),
    context: col.text('Network-context label of the peers, "internal" or "external" when they have none.', { required: true }),
    peers: col.bigint('Peers in that direction and context.', { required: true }),
    connections: col.bigint('Their events with the anchor.', { required: true }),
    bytes: col.bigint('Their bytes with the anchor.'),
    first_seen: col.timestamp('First of those events.', { required: true }),
  },
  { partitionBy: 'first_seen', description: 'Impact analysis and incident progression: peers of each top threat by direction × network context.' },
);

export const timeline = defineTable(
  'timeline',
  {
    anchor: anchor(),
    type: col.text('Telemetry: flow, dns or proxy.', { required: true }),
    tstart: col.timestamp('First event of the group.', { spot: true, required: true }),
    tend: col.timestamp('Last event of the group.', { spot: true, required: true }),
    srcip: col.text('Source (flow), client (dns, proxy).', { spot: true }),
    dstip: col.text('Destination (flow), query name (dns), host (proxy).', { spot: true }),
    proto: col.text('Protocol (flow), query type (dns), method (proxy).', { spot: true }),
    sport: col.port('Source port (flow).', { spot: true }),
    dport: col.port('Destination port (flow), URI port (proxy).', { spot: true }),
    events: col.bigint('Events in the group.', { required: true }),
    ipkt: col.bigint('Packets (flow).', { spot: true }),
    ibyt: col.bigint('Bytes (flow: source bytes; proxy: both ways).', { spot: true }),
    respcode: col.int('HTTP status (proxy) or DNS rcode (dns).'),
  },
  { partitionBy: 'tstart', description: 'Timeline of each top threat with its strongest peers, grouped by 5-tuple (flow), query (dns) or URI and status (proxy).' },
);
