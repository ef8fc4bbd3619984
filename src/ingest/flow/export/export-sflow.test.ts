import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasTool, missingShared, sharedFile } from '../../../../test/helpers/shared-data.js';
import { tempDir } from '../../../../test/helpers/tmp.js';
import { Ingestor } from '../../run.js';
import { lakeQuery, testConfig } from '../../testing.js';

const SFLOW = 'flows/sflow-pcap/akvorado';
const tools = hasTool('sfcapd') && hasTool('nfcapd') && hasTool('nfdump') && hasTool('tshark') && hasTool('mergecap');

interface Sample {
  rate: number;
  frameLength: number;
}

/**
 * Every flow sample of every file as tshark's sFlow dissector reads them. Each file is one
 * datagram: they are concatenated with mergecap so that tshark starts once, frame i being file i.
 */
function tsharkSamples(dir: string, files: readonly string[]): Record<string, { micros: number; src: string; samples: Sample[] }> {
  const all = join(tempDir(), 'all.pcap');
  expect(spawnSync('mergecap', ['-F', 'pcap', '-a', '-w', all, ...files.map((f) => join(dir, f))]).status).toBe(0);
  const fields = ['frame.time_epoch', 'ip.src', 'sflow.flow_sample.sampling_rate', 'sflow_245.header.frame_length', 'sflow_245.ip.length'];
  const out = spawnSync('tshark', ['-r', all, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=|', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8' }).stdout;
  const lines = out.trim().split('\n');
  expect(lines.length).toBe(files.length);
  const result: Record<string, { micros: number; src: string; samples: Sample[] }> = {};
  files.forEach((file, i) => {
    const [time, src, rates, frameLengths, ipLengths] = lines[i]!.split('\t') as [string, string, string, string, string];
    const [s, f = ''] = time.split('.');
    const r = rates.split('|').map(Number);
    // sfcapd counts the length an "IP data" record gives, when the sample has one, else the sampled frame's.
    const ip = ipLengths ? ipLengths.split('|').map(Number) : [];
    const l = ip.length === r.length ? ip : frameLengths.split('|').map(Number);
    // The first ip.src is the datagram's; later ones are inside the sampled packet headers.
    result[file] = { micros: Number(s) * 1e6 + Number(f.padEnd(6, '0').slice(0, 6)), src: src.split('|')[0]!, samples: r.map((rate, j) => ({ rate, frameLength: l[j]! })) };
  });
  return result;
}

describe.skipIf(!tools || missingShared(SFLOW))('flow-export-pcap: sFlow v5 through sfcapd', () => {
  it('lands one flow per flow sample, scaled by its sampling rate, timed by the capture', async () => {
    const dir = sharedFile(SFLOW)!;
    const files = readdirSync(dir).filter((f) => f.endsWith('.pcap')).sort();
    const truth = tsharkSamples(dir, files);
    const config = testConfig(tempDir());
    const ingestor = await Ingestor.open(config);
    const started = Date.now();
    for (const file of files) {
      const summary = await ingestor.ingest({ type: 'flow', paths: [join(dir, file)], sensor: file });
      expect(summary.files.map((f) => [f.decoder, f.status, f.rows, f.quarantined]), file).toEqual([['flow-export-pcap', 'ingested', truth[file]!.samples.length, 0]]);
    }
    await ingestor.close();
    const rows = await lakeQuery<{ sensor: string; ipkt: bigint; ibyt: bigint; rip: string; treceived: Date; tstart: Date; tend: Date }>(
      config,
      (v) => `SELECT sensor, ipkt, ibyt, rip, treceived, tstart, tend FROM ${v}`,
    );
    expect(rows.length).toBe(16);
    for (const file of files) {
      const { micros, src, samples } = truth[file]!;
      const landed = rows.filter((r) => r.sensor === file);
      // sfcapd scales a sample by its rate: packets = rate, bytes = rate × the sampled frame's length.
      expect(landed.map((r) => `${r.ipkt}/${r.ibyt}`).sort(), file).toEqual(samples.map((s) => `${s.rate}/${s.rate * s.frameLength}`).sort());
      for (const r of landed) {
        expect(r.rip, file).toBe(src);
        // Samples have no time of their own: start, end and receive time are the datagram's capture time.
        for (const t of [r.treceived, r.tstart, r.tend]) expect(t.getTime(), file).toBe(Math.floor(micros / 1000));
        expect(r.treceived.getTime()).toBeLessThan(started - 86_400_000);
      }
    }
  });
});
