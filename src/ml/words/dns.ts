import type { Dialect } from '../../engine/index.js';
import { registerNames, withNames } from './names.js';
import { entropyBin, floorLog2, type Side, type WordSpec } from './spec.js';

/**
 * DNS words (Spot's DNSWordCreation), one per response, in the client's document (ip_dst):
 * class_⌊log₂ frame_len⌋_hour_⌊log₂ |subdomain|⌋_entropyBin(subdomain)_⌊log₂ labels⌋_qtype_rcode.
 * class is 2 for the organisation's own domains, 1 for popular ones, 0 otherwise. Spot scored
 * responses only (it read them from tshark with dns.flags.response == 1); so does this.
 */
export const dnsWords: WordSpec = {
  inputs: ['frame_time', 'frame_len', 'ip_dst', 'dns_qry_name', 'dns_qry_type', 'dns_qry_rcode', 'dns_qr'],
  type: 'dns',
  valid: () => "dns_qr AND ip_dst IS NOT NULL AND dns_qry_name IS NOT NULL AND dns_qry_name NOT IN ('', '-', '(empty)')",
  async prepare(engine, { training }, config) {
    const valid = this.valid(engine.dialect);
    await registerNames(
      engine,
      `SELECT DISTINCT dns_qry_name AS name FROM ${training} AS e WHERE ${valid}`,
      `SELECT DISTINCT ip_dst AS client, dns_qry_name AS name FROM ${training} AS e WHERE ${valid}`,
      config,
    );
  },
  relation: (events) => withNames(events, 'dns_qry_name'),
  sides(d: Dialect): readonly Side[] {
    const parts = [
      'CAST(ml_class AS VARCHAR)',
      `CAST(${floorLog2('frame_len')} AS VARCHAR)`,
      'CAST(hour(frame_time) AS VARCHAR)',
      `CAST(${floorLog2('length(ml_subdomain)')} AS VARCHAR)`,
      `CAST(${entropyBin(d.stringEntropy('ml_subdomain'))} AS VARCHAR)`,
      `CAST(${floorLog2('ml_labels')} AS VARCHAR)`,
      "coalesce(CAST(dns_qry_type AS VARCHAR), '-1')",
      "coalesce(CAST(dns_qry_rcode AS VARCHAR), '-1')",
    ];
    return [{ doc: d.ident('ip_dst'), word: `concat_ws('_', ${parts.join(', ')})` }];
  },
};
