import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasTool } from '../../test/helpers/shared-data.js';
import { tempDir } from '../../test/helpers/tmp.js';
import { protoName } from '../shared/iana-proto.js';
import { ConfigError, UsageError } from '../shared/errors.js';
import { generateConfig } from './config.js';
import type { FlowRecord } from './flow-record.js';
import { labelsCsv } from './labels.js';
import { generateRecords } from './records.js';
import { generateDnsMessages } from './dns/capture.js';
import { generate } from './run.js';
import { labelsFor } from './timeline.js';

const DATE = '2026-11-24';
const config = generateConfig.parse({ workstations: 20, scale: 0.2, date: DATE });
const tools = hasTool('nfcapd') && hasTool('nfdump');

const FORMAT = 'fmt:%ts|%te|%tr|%pr|%sa|%da|%sp|%dp|%flg|%fwd|%stos|%dtos|%ipkt|%ibyt|%in|%out|%sas|%das|%dir|%ra';

/** What nfdump prints of a file, read back into the FlowRecord's fields (times printed in UTC). */
function readBack(file: string): (Omit<FlowRecord, 'exported' | 'label'> & { treceived: number; rip: string })[] {
  const run = spawnSync('nfdump', ['-r', file, '-q', '-N', '-6', '-o', FORMAT], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, maxBuffer: 1 << 28 });
  expect(run.status).toBe(0);
  const time = (text: string) => Date.parse(`${text.replace(' ', 'T')}Z`);
  return run.stdout
    .trim()
    .split('\n')
    .map((line) => {
      const [ts, te, tr, pr, sa, da, sp, dp, flg, fwd, stos, dtos, ipkt, ibyt, input, output, sas, das, dir, ra] = line.split('|').map((f) => f.trim());
      const icmp = /^(\d+)\.(\d+)$/.exec(dp!); // nfdump prints ICMP type.code
      return {
        tstart: time(ts!),
        tend: time(te!),
        treceived: time(tr!),
        proto: protoName(Number(pr)),
        sip: sa!,
        dip: da!,
        sport: Number(sp),
        dport: icmp ? Number(icmp[1]) * 256 + Number(icmp[2]) : Number(dp),
        flag: flg!,
        fwd: Number(fwd),
        stos: Number(stos),
        dtos: Number(dtos),
        ipkt: Number(ipkt),
        ibyt: Number(ibyt),
        input: Number(input),
        output: Number(output),
        sas: Number(sas),
        das: Number(das),
        dir: dir === 'E' ? 1 : 0,
        rip: ra!,
      };
    });
}

describe.skipIf(!tools)('generate: NetFlow v9 through a real nfcapd on loopback (skipped without nfcapd and nfdump: Debian package nfdump)', () => {
  it('delivers every record to nfcapd, which stores each field as generated', async () => {
    const outDir = tempDir();
    const before = Date.now();
    const result = await generate(config, { outDir });
    const after = Date.now();

    const expected = [...generateRecords(config)];
    expect(result.recordsSent).toBe(expected.length);
    expect(result.collector.flows).toBe(expected.length);
    expect(result.collector.sequenceFailures).toBe(0);
    expect(result.collector.report).toMatchObject({ flows: expected.length, sequenceErrors: 0, badPackets: 0 });
    if (result.collector.kernelDrops !== null) expect(result.collector.kernelDrops).toBe(0);
    expect(result.packetsSent).toBeGreaterThan(expected.length / 25);
    expect(result.nfcapdFiles.length).toBeGreaterThanOrEqual(1);
    for (const f of result.nfcapdFiles) expect(basename(f)).toMatch(/^nfcapd\.\d{12}$/);

    const stored = result.nfcapdFiles.flatMap(readBack);
    expect(stored).toHaveLength(expected.length);
    // nfcapd writes records in the order they arrive, which is the export order.
    const fields = ['tstart', 'tend', 'sip', 'dip', 'sport', 'dport', 'proto', 'flag', 'stos', 'dtos', 'ipkt', 'ibyt', 'input', 'output', 'sas', 'das', 'dir', 'fwd'] as const;
    const mismatches = stored.flatMap((got, i) => {
      const want = expected[i]!;
      const differ = fields.filter((f) => got[f] !== want[f]);
      return differ.length ? [{ i, differ, got, want }] : [];
    });
    expect(mismatches.slice(0, 3)).toEqual([]);
    expect(stored.some((s) => s.sip.includes(':')) && stored.some((s) => s.proto === 'ICMP6') && stored.some((s) => s.fwd === 129)).toBe(true);
    // The receive time is nfcapd's wall clock; the exporter is the loopback sender.
    expect(stored.every((s) => s.treceived >= before - 1000 && s.treceived <= after + 1000 && s.rip === '127.0.0.1')).toBe(true);

    expect(readFileSync(result.labelsPath, 'utf8')).toBe(labelsCsv(labelsFor(config, [DATE])));
    // The DNS capture, written on the same pass over the sessions.
    expect(result.dnsFiles.map((f) => basename(f))).toEqual(Array.from({ length: 24 }, (_, h) => `dns-20261124-${String(h).padStart(2, '0')}.pcap`));
    expect(result.dnsFiles.every((f) => f.startsWith(join(outDir, 'dns')))).toBe(true);
    let messages = 0;
    for (const _ of generateDnsMessages(config)) messages++;
    expect(result.dnsMessages).toBe(messages);
    expect(result.dnsPackets).toBeGreaterThan(messages);
    const stat = spawnSync('nfdump', ['-I', '-r', result.nfcapdFiles[0]!], { encoding: 'utf8' });
    expect(stat.stdout).toMatch(/^Ident: spothreat-gen$/m);
  });

  it('refuses a folder that already holds nfcapd files', async () => {
    const outDir = tempDir();
    mkdirSync(join(outDir, 'nfcapd'));
    writeFileSync(join(outDir, 'nfcapd', 'nfcapd.202611240000'), '');
    await expect(generate(config, { outDir })).rejects.toThrow(UsageError);
  });
});

describe('generate without nfcapd', () => {
  it('names the setting when the collector cannot be started', async () => {
    const missing = generateConfig.parse({ ...config, collector: { ...config.collector, nfcapd: '/nonexistent/nfcapd' } });
    const error = await generate(missing, { outDir: tempDir() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^generate\.collector\.nfcapd: \/nonexistent\/nfcapd not found/);
  });
});
