import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasTool, missingShared, sharedFile } from '../../../../test/helpers/shared-data.js';
import { tempDir } from '../../../../test/helpers/tmp.js';
import { openEngine } from '../../../engine/index.js';
import { ETHERTYPE, ethernet, ipv4, pcapFile, udp } from '../../packet/testing.js';
import { Ingestor } from '../../run.js';
import { lakeQuery, testConfig } from '../../testing.js';

const RAW = 'flows/netflow-raw/logstash-codec-netflow';
const tools = hasTool('nfcapd') && hasTool('nfdump') && hasTool('tshark');
const TEMPLATE = 'ipfix_test_mikrotik_tpl.dat';
const DATA = 'ipfix_test_mikrotik_data258.dat';

describe.skipIf(!tools || missingShared(RAW))('flow-export-raw: bare export payloads', () => {
  it('replays a vendor template and data file joined, flows as tshark decodes them; rejects broken files by offset and reason', async () => {
    const dir = tempDir();
    const template = readFileSync(sharedFile(`${RAW}/${TEMPLATE}`)!);
    const data = readFileSync(sharedFile(`${RAW}/${DATA}`)!);
    // IPFIX messages carry their length: joined, the file splits back into the two messages.
    const joined = join(dir, 'mikrotik.dat');
    writeFileSync(joined, Buffer.concat([template, data]));
    // The oracle: the same two messages as UDP datagrams in a pcap, decoded by tshark.
    const pcap = join(dir, 'mikrotik.pcap');
    writeFileSync(pcap, pcapFile([template, data].map((m, i) => ({ time: 1_500_000_000_000_000 + i, data: ethernet(ETHERTYPE.IPV4, ipv4('10.0.0.1', '10.0.0.2', 17, udp(4739, 4739, m))) }))));
    const fields = ['cflow.srcaddr', 'cflow.dstaddr', 'cflow.srcport', 'cflow.dstport', 'cflow.protocol', 'cflow.packets', 'cflow.octets'];
    const out = spawnSync('tshark', ['-r', pcap, '-d', 'udp.port==4739,cflow', '-Y', 'frame.number == 2', '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=|', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8' }).stdout;
    const columns = out.trim().split('\t').map((c) => c.split('|'));
    const names: Record<string, string> = { '1': 'ICMP', '6': 'TCP', '17': 'UDP' };
    const expected = columns[0]!.map((_, i) => [columns[0]![i], columns[1]![i], columns[2]![i], columns[3]![i], names[columns[4]![i]!] ?? columns[4]![i], columns[5]![i], columns[6]![i]].join(' ')).sort();
    expect(expected.length).toBeGreaterThan(20);

    const invalid = ['netflow5_test_invalid01.dat', 'netflow5_test_invalid02.dat', 'netflow9_test_invalid01.dat'].map((f) => sharedFile(`${RAW}/${f}`)!);
    const config = testConfig(dir);
    const ingestor = await Ingestor.open(config);
    const summary = await ingestor.ingest({ type: 'flow', paths: [joined, ...invalid] });
    await ingestor.close();
    // Files finish in any order.
    const byName = summary.files.map((f) => [f.path.split('/').pop()!, f.decoder, f.status, f.rows, f.quarantined, f.message] as const);
    expect(byName.sort((a, b) => a[0].localeCompare(b[0]))).toEqual([
      ['mikrotik.dat', 'flow-export-raw', 'ingested', expected.length, 0, undefined],
      ['netflow5_test_invalid01.dat', 'flow-export-raw', 'failed', 0, 1, 'decoder-error: nothing to replay: offset 2: netflow-v5 message at offset 0: NetFlow v5 header announces 55582 records (1 to 30 allowed)'],
      ['netflow5_test_invalid02.dat', 'flow-export-raw', 'failed', 0, 1, 'decoder-error: nothing to replay: offset 2: netflow-v5 message at offset 0: NetFlow v5 header announces 163 records (1 to 30 allowed)'],
      // Its flowsets are sound and nfcapd reads its two flows; only its header's record count is wrong.
      ['netflow9_test_invalid01.dat', 'flow-export-raw', 'ingested', 2, 1, undefined],
    ]);

    const rows = await lakeQuery<{ sip: string; dip: string; sport: number; dport: number; proto: string; ipkt: bigint; ibyt: bigint; rip: string | null; treceived: Date }>(
      config,
      (v) => `SELECT sip, dip, sport, dport, proto, ipkt, ibyt, rip, treceived FROM ${v}`,
    );
    // netflow9_test_invalid01.dat was exported in 2015, the Mikrotik messages in 2017.
    const mikrotik = rows.filter((r) => r.treceived.getUTCFullYear() === 2017);
    expect(rows.length).toBe(expected.length + 2);
    expect(mikrotik.map((r) => [r.sip, r.dip, r.sport, r.dport, r.proto, r.ipkt, r.ibyt].join(' ')).sort()).toEqual(expected);
    // No exporter address in a bare payload; the receive time is the export time of the data message's header.
    expect(new Set(mikrotik.map((r) => r.rip))).toEqual(new Set([null]));
    expect(new Set(mikrotik.map((r) => r.treceived.toISOString()))).toEqual(new Set([new Date(data.readUInt32BE(4) * 1000).toISOString()]));

    const engine = await openEngine(config);
    const q = await engine.quarantineView('flow');
    const quarantined = await engine.query<{ source: string; reason: string; detail: string }>(`SELECT source, reason, detail FROM ${q} ORDER BY source`);
    await engine.close();
    expect(quarantined.map((r) => [r.source.split('/').pop(), r.reason, r.detail])).toEqual([
      ['netflow5_test_invalid01.dat', 'decoder-error', 'nothing to replay: offset 2: netflow-v5 message at offset 0: NetFlow v5 header announces 55582 records (1 to 30 allowed)'],
      ['netflow5_test_invalid02.dat', 'decoder-error', 'nothing to replay: offset 2: netflow-v5 message at offset 0: NetFlow v5 header announces 163 records (1 to 30 allowed)'],
      ['netflow9_test_invalid01.dat', 'bad-record', 'offset 0: NetFlow v9 header counts 2 records, but 6 flowsets follow; replayed anyway'],
    ]);
  });
});
