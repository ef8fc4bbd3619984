import { z } from 'zod';
import { enrichConfig } from './enrich/index.js';
import { detectorsConfig } from './heuristics/index.js';
import { rankConfig } from './rank-config.js';

export const storyboardConfig = z
  .strictObject({
    detailsLimit: z.number().int().min(1).default(250).meta({ description: 'Raw events kept per suspicious event in the edge and dendrogram tables (Spot: 250).' }),
    topThreats: z.number().int().min(0).default(50).meta({ description: 'Threats (from the top of the list) that get investigation data: peers, impact, timeline.' }),
    topPeers: z.number().int().min(1).default(100).meta({ description: 'Peers kept per threat, by events and by bytes (merged).' }),
    timelinePeers: z.number().int().min(1).default(10).meta({ description: 'Strongest peers of a threat on its timeline.' }),
    timelineLimit: z.number().int().min(1).default(1000).meta({ description: 'Timeline rows per threat (Spot: 1000).' }),
  })
  .meta({ description: 'Precomputed data behind the storyboard and investigation views.' });

export const oaConfig = z
  .strictObject({
    scoresLimit: z.number().int().min(0).default(0).meta({ description: 'ML results per type that go into <type>_scores (Spot\'s -l LIMIT); 0 takes them all (ml.maxResults).' }),
    enrich: enrichConfig.default(enrichConfig.parse({})),
    detectors: detectorsConfig.default(detectorsConfig.parse({})),
    rank: rankConfig.default(rankConfig.parse({})),
    storyboard: storyboardConfig.default(storyboardConfig.parse({})),
  })
  .meta({ description: 'Operational analytics: enrichment, attack heuristics, the ranked threat list and storyboard data.' });

export type OaConfig = z.infer<typeof oaConfig>;
