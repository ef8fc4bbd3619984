import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasTool, missingShared, sharedFile } from '../../../../test/helpers/shared-data.js';
import { tempDir } from '../../../../test/helpers/tmp.js';
import { openEngine } from '../../../engine/index.js';
import { CaptureReader } from '../../packet/capture-reader.js';
import { ETHERTYPE, ethernet, ipv4, ipv6, pcapFile, udp } from '../../packet/testing.js';
import { UdpDatagrams } from '../../packet/udp-datagrams.js';
import { Ingestor } from '../../run.js';
import { lakeQuery, testConfig } from '../../testing.js';
import { netflowV5 } from './testing.js';

const SFLOW = 'flows/sflow-pcap/akvorado/data-1140.pcap';
const tools = hasTool('nfcapd') && hasTool('sfcapd') && hasTool('nfdump');

const T0 = Date.UTC(2024, 0, 15, 10, 0, 0) * 1000;
const rec = (src: string, dport: number, packets: number) => ({ src, dst: '192.168.1.10', sport: 40000, dport, proto: 6, packets, bytes: packets * 100, first: 10_000, last: 20_000 });

/** The sFlow datagram of a shared capture, as UDP payload. */
function sflowPayload(): Buffer {
  let payload: Buffer | null = null;
  const reader = new CaptureReader(new UdpDatagrams({ datagram: (d) => (payload ??= Buffer.from(d.data.subarray(d.start, d.end))), bad: () => undefined }));
  reader.push(readFileSync(sharedFile(SFLOW)!));
  return payload!;
}

describe.skipIf(!tools || missingShared(SFLOW))('flow-export-pcap: a capture mixing exporters, formats and noise', () => {
  it('replays NetFlow and sFlow by header, maps rip and treceived back, and quarantines what is no export', async () => {
    const dir = tempDir();
    const v5 = (exporter: 4 | 6, src: string, sequence: number, uptimeMs: number, records: ReturnType<typeof rec>[]) => {
      const payload = netflowV5(records, { unixSecs: T0 / 1e6 + uptimeMs / 1000 - 60, uptimeMs, sequence });
      return exporter === 4 ? ethernet(ETHERTYPE.IPV4, ipv4(src, '10.9.9.9', 17, udp(50000, 9995, payload))) : ethernet(ETHERTYPE.IPV6, ipv6(src, '2001:db8::99', 17, udp(50000, 2055, payload)));
    };
    const packets = [
      { time: T0 + 123_456, data: v5(4, '10.1.1.1', 0, 60_000, [rec('10.0.0.1', 22, 3), rec('10.0.0.2', 22, 4)]) },
      // DNS on the NetFlow port: classified by its header, not its port.
      { time: T0 + 200_000, data: ethernet(ETHERTYPE.IPV4, ipv4('10.1.1.1', '10.9.9.9', 17, udp(53, 9995, Buffer.from('123401000001000000000000', 'hex')))) },
      { time: T0 + 2_500_001, data: v5(6, '2001:db8::7', 0, 62_000, [rec('10.0.0.3', 443, 5)]) },
      // A v5 header announcing more records than the datagram holds.
      { time: T0 + 2_600_000, data: v5(4, '10.1.1.1', 2, 62_100, [rec('10.0.0.9', 80, 1)]) },
      { time: T0 + 3_000_000, data: ethernet(ETHERTYPE.IPV4, ipv4('10.2.2.2', '10.9.9.9', 17, udp(50001, 6343, sflowPayload()))) },
      { time: T0 + 4_000_777, data: v5(4, '10.1.1.1', 2, 64_000, [rec('10.0.0.4', 3389, 6)]) },
      { time: T0 + 4_100_000, data: ethernet(ETHERTYPE.ARP, Buffer.alloc(28)) },
    ];
    // Break the count of the fourth packet's header: 14 Ethernet + 20 IPv4 + 8 UDP, then version and count.
    packets[3]!.data.writeUInt16BE(7, 14 + 20 + 8 + 2);
    const file = join(dir, 'mixed.pcap');
    writeFileSync(file, pcapFile(packets));

    const config = testConfig(dir);
    const ingestor = await Ingestor.open(config);
    const started = Date.now();
    const summary = await ingestor.ingest({ type: 'flow', paths: [file] });
    await ingestor.close();
    expect(summary.files.map((f) => [f.decoder, f.status, f.rows, f.quarantined])).toEqual([['flow-export-pcap', 'ingested', 9, 3]]);

    const rows = await lakeQuery<{ rip: string; sip: string; dport: number; ipkt: bigint; treceived: Date; tstart: Date }>(
      config,
      (v) => `SELECT rip, sip, dport, ipkt, treceived, tstart FROM ${v} ORDER BY treceived, sip, dport`,
    );
    const at = (micros: number) => new Date(Math.floor(micros / 1000)).toISOString();
    const netflow = rows.filter((r) => r.sip.startsWith('10.0.0.'));
    expect(netflow.map((r) => [r.rip, r.sip, r.dport, Number(r.ipkt), r.treceived.toISOString()])).toEqual([
      ['10.1.1.1', '10.0.0.1', 22, 3, at(T0 + 123_456)],
      ['10.1.1.1', '10.0.0.2', 22, 4, at(T0 + 123_456)],
      ['2001:db8::7', '10.0.0.3', 443, 5, at(T0 + 2_500_001)],
      ['10.1.1.1', '10.0.0.4', 3389, 6, at(T0 + 4_000_777)],
    ]);
    // Flow times come from the export (uptime 10 s into a router that exported at uptime 60 s, 60 s before T0 + 60 s).
    expect(netflow[0]!.tstart.toISOString()).toBe(new Date(T0 / 1000 - 50_000).toISOString());
    const sflow = rows.filter((r) => !r.sip.startsWith('10.0.0.'));
    expect(sflow.length).toBe(5);
    for (const r of sflow) {
      expect(r.rip).toBe('10.2.2.2');
      expect(r.treceived.toISOString()).toBe(at(T0 + 3_000_000));
      expect(r.tstart.toISOString()).toBe(at(T0 + 3_000_000));
    }
    expect(Math.max(...rows.map((r) => r.treceived.getTime()))).toBeLessThan(started);

    const engine = await openEngine(config);
    const q = await engine.quarantineView('flow');
    const quarantined = await engine.query<{ line: number | null; reason: string; detail: string }>(`SELECT line, reason, detail FROM ${q} ORDER BY detail`);
    await engine.close();
    // Offsets of the records: 24 (pcap header) + 16 + 162 (frame 1) = 202; + 16 + 54 (frame 2) + 16 + 134 (frame 3) = 422.
    expect(quarantined.map((r) => [r.line === null ? null : Number(r.line), r.reason, r.detail])).toEqual([
      [null, 'bad-record', '1 UDP datagrams are no flow exports, first frame 2 (offset 202), 10.1.1.1:53 → 10.9.9.9:9995: starts with version 4660: not NetFlow v5/v9, IPFIX or sFlow v5'],
      [null, 'bad-record', '1 packets are not UDP and carry no flow export'],
      [4, 'bad-record', 'offset 422: netflow-v5 datagram from 10.1.1.1:50000, byte 2: NetFlow v5 header announces 7 records (360 bytes), only 72 bytes follow'],
    ]);
  });
});
