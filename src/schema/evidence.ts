import { col, defineTable, type RowOf } from './define.js';

/**
 * Evidence written by operational analytics' detectors (beaconing, scans, tunnelling …): one row per finding, with the
 * entity it accuses, the peer, the time window, what was measured and a sentence an analyst can read.
 */
export const evidence = defineTable(
  'evidence',
  {
    detector: col.text('Detector that wrote the row: beacon, long-connection, strobe, dns-tunnelling, dga, scan-horizontal, scan-vertical, exfiltration, lateral-movement, rare-useragent, mime-mismatch, threat-intel …', { required: true }),
    type: col.text('Telemetry the evidence comes from: flow, dns or proxy.', { required: true }),
    entity: col.text('The accused entity: usually the internal host (an IP address).', { required: true }),
    peer: col.text('The other side: an IP address, a registered domain, an FQDN or a port, by detector; empty when the finding is about the entity alone.'),
    peer_kind: col.text('What peer is: ip, domain (registered), fqdn, url, port or none.', { required: true }),
    window_start: col.timestamp('Start of the time window the measures cover, UTC.', { required: true }),
    window_end: col.timestamp('End of the time window the measures cover, UTC.', { required: true }),
    events: col.bigint('Number of events (flows, queries, requests) behind the finding.'),
    score: col.double('Strength of the finding, 0 to 1 (1 is certain); each detector documents its own formula.', { required: true }),
    measures: col.text('The measured values behind the score, as a JSON object (names are per detector, documented in docs/oa.md).'),
    explanation: col.text('One sentence for the analyst: what was seen and why it matters.', { required: true }),
  },
  { partitionBy: 'window_start', description: 'Findings of the attack heuristics: entity, peer, window, measures, score and explanation.' },
);

export type EvidenceRow = RowOf<typeof evidence>;
