import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { hasTool, missingShared, sharedFile } from '../../../test/helpers/shared-data.js';
import { tempDir } from '../../../test/helpers/tmp.js';
import { Ingestor } from '../run.js';
import { lakeQuery, testConfig } from '../testing.js';

const SSH = 'flows/pcap-for-flow-export/stratosphere-slips/malicious-ssh-bruteforce.pcap';
const NFV5 = 'flows/netflow-pcap/akvorado/nfv5.pcap';
const tools = hasTool('nfpcapd') && hasTool('nfdump') && hasTool('tshark') && hasTool('capinfos');

interface Row {
  sip: string;
  dip: string;
  sport: number;
  dport: number;
  proto: string;
  ipkt: bigint;
  ibyt: bigint;
  rip: string | null;
  tend: Date;
  treceived: Date;
  sensor: string;
}

/** Per direction of every TCP connection, tshark's packets and summed IP lengths (frames may carry Ethernet padding). */
function tcpDirections(file: string): string[] {
  const out = spawnSync('tshark', ['-r', file, '-Y', 'tcp', '-T', 'fields', '-e', 'ip.src', '-e', 'tcp.srcport', '-e', 'ip.dst', '-e', 'tcp.dstport', '-e', 'ip.len'], { encoding: 'utf8' }).stdout;
  const sums = new Map<string, [number, number]>();
  for (const line of out.split('\n').filter(Boolean)) {
    const [src, sport, dst, dport, len] = line.split('\t');
    const key = `${src}:${sport} ${dst}:${dport}`;
    const sum = sums.get(key) ?? [0, 0];
    sums.set(key, [sum[0] + 1, sum[1] + Number(len)]);
  }
  return [...sums].map(([key, [packets, bytes]]) => `${key} ${packets} ${bytes}`).sort();
}

describe.skipIf(!tools || missingShared(SSH) || missingShared(NFV5))('nfpcapd decoder (packet captures to flows)', () => {
  it('turns every packet into flows, each direction as tshark counts it, received at its end', async () => {
    const ssh = sharedFile(SSH)!;
    const config = testConfig(tempDir());
    const ingestor = await Ingestor.open(config);
    const summary = await ingestor.ingest({ type: 'flow', paths: [ssh], sensor: 'ssh' });
    // --decoder nfpcapd makes flows of any capture: nfv5.pcap is one UDP export datagram.
    const forced = await ingestor.ingest({ type: 'flow', paths: [sharedFile(NFV5)!], decoder: 'nfpcapd', sensor: 'nfv5' });
    await ingestor.close();
    expect(summary.files.map((f) => [f.decoder, f.status, f.rows, f.quarantined])).toEqual([['nfpcapd', 'ingested', 134, 0]]);
    expect(forced.files.map((f) => [f.decoder, f.status, f.rows])).toEqual([['nfpcapd', 'ingested', 1]]);

    const rows = await lakeQuery<Row & Record<string, unknown>>(config, (v) => `SELECT sip, dip, sport, dport, proto, ipkt, ibyt, rip, tend, treceived, sensor FROM ${v}`);
    const sshRows = rows.filter((r) => r.sensor === 'ssh');
    // Totals: capinfos' packet count, and the IP bytes tshark sums (nfpcapd counts IP lengths).
    const packets = Number(/Number of packets:\s+(\d+)/.exec(spawnSync('capinfos', ['-c', ssh], { encoding: 'utf8' }).stdout)![1]);
    const ipBytes = spawnSync('tshark', ['-r', ssh, '-T', 'fields', '-e', 'ip.len'], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter(Boolean)
      .reduce((n, v) => n + Number(v), 0);
    expect([sshRows.reduce((n, r) => n + Number(r.ipkt), 0), sshRows.reduce((n, r) => n + Number(r.ibyt), 0)]).toEqual([packets, ipBytes]);
    expect([packets, ipBytes]).toEqual([1178, 230_592]);
    // Every TCP flow, each direction, as tshark counts the packets of that direction.
    const tcp = sshRows.filter((r) => r.proto === 'TCP').map((r) => `${r.sip}:${r.sport} ${r.dip}:${r.dport} ${r.ipkt} ${r.ibyt}`).sort();
    expect(tcp).toEqual(tcpDirections(ssh));
    for (const r of rows) {
      expect(r.rip).toBeNull();
      expect(r.treceived.getTime()).toBe(r.tend.getTime());
    }
    const v5 = rows.find((r) => r.sensor === 'nfv5')!;
    // IP length: 20 (IPv4) + 8 (UDP) + 24 + 29 × 48 (the v5 header and its 29 records).
    expect([v5.sip, v5.dport, v5.proto, Number(v5.ipkt), Number(v5.ibyt)]).toEqual(['10.19.144.41', 9990, 'UDP', 1, 1444]);
  });
});
