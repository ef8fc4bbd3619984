import type { Dialect } from '../../engine/index.js';
import { ceilLog2, type Side, type WordSpec } from './spec.js';

/**
 * Flow words (Spot's FlowWordCreator): port_proto_hour_⌈log₂(ibyt+1)⌉_⌈log₂(ipkt+1)⌉ for the
 * source's and the destination's documents. The port is the service port (111111 when both are
 * ≤ 1024, 333333 when both are > 1024, 0 when both are 0), and the side owning it — the server —
 * gets its word prefixed with "-1_". The hour is the flow's start (Spot took the collector's
 * receive time, which replays and backfills make meaningless).
 */
export const flowWords: WordSpec = {
  inputs: ['tstart', 'sip', 'dip', 'sport', 'dport', 'proto', 'ipkt', 'ibyt'],
  type: 'flow',
  valid: () => 'sip IS NOT NULL AND dip IS NOT NULL AND sport >= 0 AND dport >= 0 AND ipkt >= 0 AND ibyt >= 0',
  prepare: async () => {},
  relation: (events) => events,
  sides(d: Dialect): readonly Side[] {
    const base = (port: string) =>
      `concat_ws('_', CAST(${port} AS VARCHAR), proto, CAST(hour(tstart) AS VARCHAR), CAST(${ceilLog2('ibyt + 1')} AS VARCHAR), CAST(${ceilLog2('ipkt + 1')} AS VARCHAR))`;
    const server = (port: string) => `'-1_' || ${base(port)}`;
    const word = (side: 'src' | 'dst') =>
      `CASE WHEN sport = 0 AND dport = 0 THEN ${base('0')} ` +
      `WHEN dport = 0 THEN ${side === 'src' ? server('sport') : base('sport')} ` +
      `WHEN sport = 0 THEN ${side === 'src' ? base('dport') : server('dport')} ` +
      `WHEN sport <= 1024 AND dport <= 1024 THEN ${base('111111')} ` +
      `WHEN sport <= 1024 THEN ${side === 'src' ? server('sport') : base('sport')} ` +
      `WHEN dport <= 1024 THEN ${side === 'src' ? base('dport') : server('dport')} ` +
      `ELSE ${base('333333')} END`;
    return [
      { doc: d.ident('sip'), word: word('src') },
      { doc: d.ident('dip'), word: word('dst') },
    ];
  },
};
