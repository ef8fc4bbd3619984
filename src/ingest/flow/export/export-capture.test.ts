import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasTool, missingShared, sharedFile } from '../../../../test/helpers/shared-data.js';
import { tempDir } from '../../../../test/helpers/tmp.js';
import { Ingestor } from '../../run.js';
import { lakeQuery, testConfig } from '../../testing.js';

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

const PMACCT = 'flows/netflow-pcap/pmacct';
const CASES = [
  '100-IPFIXv10-CISCO',
  '101-NFv9-CISCO-cust_primitives',
  '102-NFv9-CISCO-f2rd-pretag-sampling-reload',
  '104-IPFIXv10-IPv6-CISCO-sampling_option',
  '106-IPFIXv10-HUAWEI-vrf_name',
  '111-IPFIXv10-NFv9-IPv6-IPv4-mix_sources',
  '112-IPFIXv10-CISCO-options-map-reassignment',
];
const tools = hasTool('nfcapd') && hasTool('nfdump');

interface PmacctFlow {
  ip_src: string;
  ip_dst: string;
  port_src: number;
  port_dst: number;
  ip_proto: string;
  packets: number;
  bytes: number;
  timestamp_start?: string;
}

interface LakeFlow {
  sensor: string;
  rip: string;
  sip: string;
  dip: string;
  sport: number;
  dport: number;
  proto: string;
  ipkt: bigint | number;
  ibyt: bigint | number;
  treceived: Date;
}

/** IP source of each capture's export datagrams (tshark -T fields -e ip.src -e ipv6.src): the exporter rip must name. */
const EXPORTER: Record<string, Record<string, number>> = {
  '100-IPFIXv10-CISCO': { '138.187.0.13': 12 },
  '101-NFv9-CISCO-cust_primitives': { '138.187.57.55': 51 },
  '102-NFv9-CISCO-f2rd-pretag-sampling-reload': { '10.10.0.33': 35 },
  '104-IPFIXv10-IPv6-CISCO-sampling_option': { '2a02:a90:4007:700::54': 3 },
  '106-IPFIXv10-HUAWEI-vrf_name': { '2001:db8:54::1': 3 },
  '111-IPFIXv10-NFv9-IPv6-IPv4-mix_sources': { '138.187.57.55': 11, '2001:4d98:a100:303:0:931:f:1': 13 },
  '112-IPFIXv10-CISCO-options-map-reassignment': { '2001:db8:90::1': 9 },
};

/**
 * Sampling rates pmacct multiplies counts by, from the exporter's option records. nfcapd 1.7.1
 * applies no sampling announced in IPFIX option data, so the lake keeps the counts as exported.
 */
const SAMPLING: Record<string, number> = { '104-IPFIXv10-IPv6-CISCO-sampling_option': 256 };
/** pmacct's protocol names where they differ from ours. */
const PROTO: Record<string, string> = { 'ipv6-icmp': 'ICMP6' };

// pmacct's peer_ip_src is the address of its test harness's replayer (172.21.1.101, fd25::101),
// not the exporter's, so flows are compared without it and rip is checked against the capture.
function multiset(flows: readonly Tuple[], aggregated: boolean): string[] {
  if (!aggregated) return flows.map(key).sort();
  const sums = new Map<string, Tuple>();
  for (const f of flows) {
    const k = key({ ...f, ipkt: 0, ibyt: 0 });
    const sum = sums.get(k);
    sums.set(k, sum ? { ...sum, ipkt: sum.ipkt + f.ipkt, ibyt: sum.ibyt + f.ibyt } : f);
  }
  return [...sums.values()].map(key).sort();
}

interface Tuple {
  sip: string;
  dip: string;
  sport: number;
  dport: number;
  proto: string;
  ipkt: number;
  ibyt: number;
}

const key = (f: { sip: string; dip: string; sport: number; dport: number; proto: string; ipkt: unknown; ibyt: unknown }) =>
  [f.sip, f.dip, f.sport, f.dport, f.proto, f.ipkt, f.ibyt].join(' ');

describe.skipIf(!tools || missingShared(PMACCT))('flow-export-pcap: pmacct captures against nfacctd output', () => {
  it('lands exactly the flows pmacct expects, exporter and all', async () => {
    const dir = tempDir();
    const config = testConfig(dir);
    const ingestor = await Ingestor.open(config);
    const outcomes = [];
    // One request per case, its name as the sensor: the collector's ident, and how rows are told apart.
    for (const c of CASES) {
      const summary = await ingestor.ingest({ type: 'flow', paths: [`${sharedFile(PMACCT)}/${c}/*.pcap`], sensor: c });
      outcomes.push(...summary.files.map((f) => [f.path.slice(f.path.indexOf(PMACCT) + PMACCT.length + 1), f.decoder, f.status, f.rows, f.quarantined]));
    }
    await ingestor.close();
    // Files of one request finish in any order.
    outcomes.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(outcomes).toEqual([
      ['100-IPFIXv10-CISCO/traffic-00.pcap', 'flow-export-pcap', 'ingested', 12, 0],
      ['101-NFv9-CISCO-cust_primitives/traffic-00.pcap', 'flow-export-pcap', 'ingested', 51, 0],
      ['102-NFv9-CISCO-f2rd-pretag-sampling-reload/traffic-00.pcap', 'flow-export-pcap', 'ingested', 35, 0],
      ['104-IPFIXv10-IPv6-CISCO-sampling_option/traffic-00.pcap', 'flow-export-pcap', 'ingested', 3, 0],
      ['106-IPFIXv10-HUAWEI-vrf_name/traffic-00.pcap', 'flow-export-pcap', 'ingested', 3, 0],
      ['111-IPFIXv10-NFv9-IPv6-IPv4-mix_sources/traffic-00.pcap', 'flow-export-pcap', 'ingested', 11, 0],
      ['111-IPFIXv10-NFv9-IPv6-IPv4-mix_sources/traffic-01.pcap', 'flow-export-pcap', 'ingested', 13, 0],
      ['112-IPFIXv10-CISCO-options-map-reassignment/traffic-00.pcap', 'flow-export-pcap', 'ingested', 9, 0],
    ]);
    const rows = await lakeQuery<LakeFlow & Record<string, unknown>>(config, (v) => `SELECT rip, sip, dip, sport, dport, proto, ipkt, ibyt, treceived, sensor FROM ${v}`);
    for (const c of CASES) {
      const json = readFileSync(`${sharedFile(PMACCT)}/${c}/output-flow-00.json`, 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as PmacctFlow);
      const rate = SAMPLING[c] ?? 1;
      const expected = json.map((j) => ({
        sip: j.ip_src,
        dip: j.ip_dst,
        sport: j.port_src,
        dport: j.port_dst,
        proto: PROTO[j.ip_proto] ?? j.ip_proto.toUpperCase(),
        ipkt: j.packets / rate,
        ibyt: j.bytes / rate,
      }));
      const landed = rows.filter((r) => r.sensor === c).map((r) => ({ ...r, ipkt: Number(r.ipkt), ibyt: Number(r.ibyt) }));
      // 111 has no timestamps among its primitives: nfacctd sums records of equal keys there, and so does the test.
      const aggregated = c.startsWith('111');
      expect(multiset(landed, aggregated), c).toEqual(multiset(expected, aggregated));
      expect(countBy(rows.filter((r) => r.sensor === c).map((r) => r.rip)), c).toEqual(EXPORTER[c]);
    }
  });
});
