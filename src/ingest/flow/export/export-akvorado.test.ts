import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasTool, missingShared, sharedFile } from '../../../../test/helpers/shared-data.js';
import { tempDir } from '../../../../test/helpers/tmp.js';
import { CaptureReader } from '../../packet/capture-reader.js';
import { UdpDatagrams } from '../../packet/udp-datagrams.js';
import { Ingestor } from '../../run.js';
import { lakeQuery, testConfig } from '../../testing.js';

const AKVORADO = 'flows/netflow-pcap/akvorado';
const tools = hasTool('nfcapd') && hasTool('nfdump') && hasTool('mergecap') && hasTool('tshark');

/**
 * Flows landed per capture (template capture merged before its data capture). SOURCES.md counts
 * what tshark decodes, option records included: mpls.pcap and physicalinterfaces.pcap hold one
 * option record besides their 2 and 8 flows, options-data only option records (sampler
 * settings, no flows). data+templates.pcap puts a data flowset before its template in the same
 * datagram: like any collector, nfcapd cannot read it (tshark's 11 counts it and an option record).
 */
const EXPECTED: Record<string, number> = {
  'data+templates.pcap': 10,
  'data.pcap': 4,
  'datalink-data.pcap': 1,
  'ethernet-over-mpls-with-control-word-data.pcap': 10,
  'icmp-data.pcap': 4,
  'ipfix-srv6-data.pcap': 1,
  'ipfixprobe-data.pcap': 4,
  'juniper-cpid-data.pcap': 1,
  'mpls.pcap': 2,
  'multiplesamplingrates-data.pcap': 12,
  'nat.pcap': 9,
  'nfv5.pcap': 29,
  'options-data.pcap': 0,
  'physicalinterfaces.pcap': 8,
  'samplingrate-data.pcap': 6,
};
const TEMPLATE_OF: Record<string, string> = {
  'data.pcap': 'template.pcap',
  'datalink-data.pcap': 'datalink-template.pcap',
  'ethernet-over-mpls-with-control-word-data.pcap': 'ethernet-over-mpls-with-control-word-template.pcap',
  'icmp-data.pcap': 'icmp-template.pcap',
  'ipfix-srv6-data.pcap': 'ipfix-srv6-template.pcap',
  'ipfixprobe-data.pcap': 'ipfixprobe-templates.pcap',
  'juniper-cpid-data.pcap': 'juniper-cpid-template.pcap',
  'multiplesamplingrates-data.pcap': 'multiplesamplingrates-template.pcap',
  'options-data.pcap': 'options-template.pcap',
  'samplingrate-data.pcap': 'samplingrate-template.pcap',
};

interface Row {
  rip: string;
  sip: string;
  dip: string;
  sport: number;
  dport: number;
  proto: string;
  ipkt: bigint;
  ibyt: bigint;
  treceived: Date;
  sensor: string;
}

/** tshark's fields of every frame, one array per field (aggregated occurrences split). */
function tshark(file: string, port: number, fields: readonly string[]): string[][][] {
  const out = spawnSync('tshark', ['-r', file, '-d', `udp.port==${port},cflow`, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=|', ...fields.flatMap((f) => ['-e', f])], {
    encoding: 'utf8',
  }).stdout;
  return out
    .trim()
    .split('\n')
    .map((line) => line.split('\t').map((v) => v.split('|')));
}

/** Source and capture time of every UDP datagram of a capture (tshark is too slow to start for each). */
function datagrams(file: string): { src: string; micros: number }[] {
  const found: { src: string; micros: number }[] = [];
  const reader = new CaptureReader(new UdpDatagrams({ datagram: (d) => found.push({ src: d.src, micros: d.micros }), bad: () => undefined }));
  reader.push(readFileSync(file));
  reader.end();
  return found;
}

/** Epoch microseconds of tshark's frame.time_epoch ("1680655485.099595000"). */
function micros(epoch: string): number {
  const [s, f = ''] = epoch.split('.');
  return Number(s) * 1e6 + Number(f.padEnd(6, '0').slice(0, 6));
}

describe.skipIf(!tools || missingShared(AKVORADO))('flow-export-pcap: akvorado single-datagram captures', () => {
  it('lands the flows of each capture, rip and treceived from the capture, fields as tshark decodes them', async () => {
    const dir = tempDir();
    const inputs = join(dir, 'in');
    spawnSync('mkdir', ['-p', inputs]);
    for (const name of Object.keys(EXPECTED)) {
      const data = sharedFile(`${AKVORADO}/${name}`)!;
      const template = TEMPLATE_OF[name];
      if (template) {
        const merged = spawnSync('mergecap', ['-F', 'pcap', '-a', '-w', join(inputs, name), sharedFile(`${AKVORADO}/${template}`)!, data]);
        expect(merged.status, String(merged.stderr)).toBe(0);
      } else copyFileSync(data, join(inputs, name));
    }
    const config = testConfig(dir);
    const ingestor = await Ingestor.open(config);
    const started = Date.now();
    const outcomes: Record<string, number> = {};
    for (const name of Object.keys(EXPECTED)) {
      const summary = await ingestor.ingest({ type: 'flow', paths: [join(inputs, name)], sensor: name });
      expect(summary.files.map((f) => [f.decoder, f.status, f.quarantined]), name).toEqual([['flow-export-pcap', 'ingested', 0]]);
      outcomes[name] = summary.rows;
    }
    await ingestor.close();
    expect(outcomes).toEqual(EXPECTED);

    const rows = await lakeQuery<Row & Record<string, unknown>>(config, (v) => `SELECT rip, sip, dip, sport, dport, proto, ipkt, ibyt, treceived, sensor FROM ${v}`);
    // treceived is a capture time of the capture's datagrams (that of the data datagram to within the
    // 1 ms replay step; data-link-only records take the record before's), never the replay's clock.
    for (const name of Object.keys(EXPECTED)) {
      const frames = datagrams(join(inputs, name));
      const times = frames.map((f) => Math.floor(f.micros / 1000));
      for (const r of rows.filter((x) => x.sensor === name)) {
        expect(r.rip, name).toBe(frames[0]!.src);
        expect(r.treceived.getTime(), name).toBeGreaterThanOrEqual(Math.min(...times));
        expect(r.treceived.getTime(), name).toBeLessThanOrEqual(Math.max(...times));
        expect(r.treceived.getTime()).toBeLessThan(started - 86_400_000);
      }
    }

    // nfv5.pcap: every one of its 29 records, field for field, as tshark's cflow dissector reads it.
    const [v5] = tshark(sharedFile(`${AKVORADO}/nfv5.pcap`)!, 9990, [
      'frame.time_epoch',
      'cflow.srcaddr',
      'cflow.dstaddr',
      'cflow.srcport',
      'cflow.dstport',
      'cflow.protocol',
      'cflow.packets',
      'cflow.octets',
    ]);
    const names: Record<string, string> = { '6': 'TCP', '17': 'UDP', '1': 'ICMP' };
    const expected = v5![1]!.map((_, i) => [v5![1]![i], v5![2]![i], v5![3]![i], v5![4]![i], names[v5![5]![i]!], v5![6]![i], v5![7]![i]].join(' ')).sort();
    const landed = rows
      .filter((r) => r.sensor === 'nfv5.pcap')
      .map((r) => [r.sip, r.dip, r.sport, r.dport, r.proto, r.ipkt, r.ibyt].join(' '))
      .sort();
    expect(landed).toEqual(expected);
    // A single datagram, a single step: treceived is its capture time to the microsecond.
    expect(new Set(rows.filter((r) => r.sensor === 'nfv5.pcap').map((r) => r.treceived.toISOString()))).toEqual(new Set(['2023-04-05T00:44:45.099Z']));
  });
});
