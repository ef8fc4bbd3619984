import { evidence } from './evidence.js';
import { dnsDendro, dnsEdge, flowChords, flowEdge, proxyEdge } from './oa-storyboard.js';
import { impact, peerSummary, timeline } from './oa-investigation.js';
import { dnsScores, flowScores, proxyScores } from './oa-scores.js';
import { ingestSummary, threats } from './oa-threats.js';

/** Every table operational analytics writes, by name: <lake>/oa/<name>/y=/m=/d=/<name>.parquet and <out>/<name>.csv. */
export const OA_TABLES = {
  flow_scores: flowScores,
  dns_scores: dnsScores,
  proxy_scores: proxyScores,
  evidence,
  threats,
  flow_edge: flowEdge,
  flow_chords: flowChords,
  dns_edge: dnsEdge,
  dns_dendro: dnsDendro,
  proxy_edge: proxyEdge,
  peer_summary: peerSummary,
  impact,
  timeline,
  ingest_summary: ingestSummary,
} as const;

export type OaTableName = keyof typeof OA_TABLES;
