import { col, defineTable } from './define.js';

/** The cross-type threat list: one row per entity, evidence accumulated from every stage. */
export const threats = defineTable(
  'threats',
  {
    rank: col.int('Position in the day\'s list, 1 = most severe.', { required: true }),
    entity: col.text('The host (an internal address) or destination (an external address or a domain).', { required: true }),
    entity_kind: col.text('host, destination-ip or destination-domain.', { required: true }),
    severity: col.text('critical, high, medium or low, from threat_score (docs/oa.md).', { required: true }),
    threat_score: col.double('Accumulated evidence, 0 to 1: 1 − Π(1 − weight·strength) over the contributions.', { required: true }),
    first_seen: col.timestamp('First event of the entity in the evidence, UTC.', { required: true }),
    last_seen: col.timestamp('Last event of the entity in the evidence, UTC.'),
    internal: col.bool('The entity is an address in the internal networks.'),
    context: col.text('Network-context label of the entity.'),
    country: col.text('Country of the entity (geo database).'),
    asn: col.bigint('Autonomous system of the entity.'),
    as_org: col.text('Organisation of that AS.'),
    detectors: col.textList('Detectors that wrote evidence about the entity, strongest first.'),
    peers: col.textList('The peers named in the evidence, strongest first (at most 10).'),
    evidence_rows: col.bigint('Evidence rows behind the entity.'),
    ml_events: col.bigint('Suspicious ML events of the entity, all types.'),
    ml_best_rank: col.int('Best (lowest) ML rank among them, within its type.'),
    ti_level: col.int('Highest threat-intelligence level of the entity or its peers (-1 … 3).'),
    prevalence: col.double('Share of internal hosts that talked to the destination (for a host: the rarest of its evidence peers).'),
    new_peer: col.bool('A peer in the evidence was never seen in the lake before the day.'),
    contributions: col.text('Every contribution as JSON: [{source, strength, weight, value, detail}].'),
    explanation: col.text('The contributions in words, strongest first.', { required: true }),
  },
  { partitionBy: 'first_seen', description: 'One ranked threat list per day across flow, DNS and proxy, with the reason for each contribution.' },
);

/** Events per minute per type: the ingest summary page. */
export const ingestSummary = defineTable(
  'ingest_summary',
  {
    type: col.text('flow, dns or proxy.', { required: true }),
    minute: col.timestamp('The minute, UTC.', { required: true }),
    tdate: col.text('The minute as Spot wrote it: "YYYY-MM-DD HH:MM".', { spot: true, required: true }),
    total: col.bigint('Events in that minute.', { spot: true, required: true }),
  },
  { partitionBy: 'minute', description: 'Events per minute and type in the lake: the ingest summary.' },
);
