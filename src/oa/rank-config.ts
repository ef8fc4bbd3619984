import { z } from 'zod';

/** Default weight of each source of evidence: how much one certain contribution alone raises the threat score. */
export const DEFAULT_WEIGHTS: Readonly<Record<string, number>> = {
  'threat-intel': 0.95,
  beacon: 0.8,
  'dns-tunnelling': 0.9,
  dga: 0.8,
  exfiltration: 0.8,
  'lateral-movement': 0.8,
  'mime-mismatch': 0.8,
  phishing: 0.8,
  'scan-horizontal': 0.7,
  'scan-vertical': 0.7,
  'rare-useragent': 0.5,
  'long-connection': 0.7,
  strobe: 0.5,
  'ml-flow': 0.3,
  'ml-dns': 0.3,
  'ml-proxy': 0.3,
  'rare-destination': 0.3,
  'new-destination': 0.2,
};

const unit = z.number().min(0).max(1);

export const rankConfig = z
  .strictObject({
    weights: z
      .record(z.string(), unit)
      .default({ ...DEFAULT_WEIGHTS })
      .meta({ description: 'Weight of each source (detector name, ml-<type>, threat-intel, rare-destination, new-destination), 0-1; missing ones use the defaults (docs/oa.md).' }),
    severity: z
      .strictObject({
        critical: unit.default(0.9).meta({ description: 'threat_score from which a threat is critical.' }),
        high: unit.default(0.7).meta({ description: '… high.' }),
        medium: unit.default(0.4).meta({ description: '… medium; below is low.' }),
      })
      .default({ critical: 0.9, high: 0.7, medium: 0.4 })
      .meta({ description: 'Severity bands of the threat score.' }),
    families: z
      .record(z.string(), z.array(z.string()))
      .default({ scan: ['scan-horizontal', 'scan-vertical'] })
      .meta({ description: 'Sources that see one behaviour: per entity, only the strongest of a family counts.' }),
    sweep: z
      .strictObject({
        minPorts: z.number().int().min(1).default(5).meta({ description: 'Ports scanned horizontally (one finding each) from which a source sweeps …' }),
        minHosts: z.number().int().min(1).default(3).meta({ description: '… together with this many hosts scanned vertically.' }),
        factor: unit.default(0.5).meta({ description: 'Multiplies the strength of a sweeper\'s damped findings; 1 turns damping off.' }),
        sources: z.array(z.string()).default(['scan-horizontal', 'scan-vertical', 'lateral-movement']).meta({ description: 'Findings damped for a sweeper.' }),
      })
      .default({ minPorts: 5, minHosts: 3, factor: 0.5, sources: ['scan-horizontal', 'scan-vertical', 'lateral-movement'] })
      .meta({ description: 'A source scanning many ports on many hosts sweeps, as authorised vulnerability scanners do: its scan and admin-port findings count less.' }),
    peerFactor: unit.default(0.8).meta({ description: 'A destination named by a finding counts it at this share of its score: the accused host comes first, a destination rises when several findings name it.' }),
    rarePrevalence: unit.default(0.05).meta({ description: 'A destination talked to by at most this share of internal hosts is rare (adds rare-destination).' }),
    historyDays: z.number().int().min(0).default(7).meta({ description: 'Days before the analysed one that decide whether a peer is new (adds new-destination); 0 turns it off.' }),
    learnedFactor: unit.default(0.1).meta({ description: 'Multiplies the strength of a finding or ML result that an analyst rated low risk on an earlier day (docs/noise-filter.md): the ranking learns what the analyst said is benign; 1 turns it off.' }),
    maxThreats: z.number().int().min(1).default(1000).meta({ description: 'Most threats kept per day.' }),
  })
  .meta({ description: 'How evidence accumulates into the ranked threat list.' });

export type RankConfig = z.infer<typeof rankConfig>;

export function weightOf(config: RankConfig, source: string): number {
  return config.weights[source] ?? DEFAULT_WEIGHTS[source] ?? 0.5;
}
