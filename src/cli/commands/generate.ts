import type { Command } from 'commander';
import { generate, type GenerateResult } from '../../generate/index.js';
import { commandConfig } from '../options.js';
import { formatCount, note } from '../output.js';

export interface GenerateFlags {
  dns?: boolean;
  proxy?: boolean;
  date?: string;
  days?: string;
  workstations?: string;
  scale?: string;
  seed?: string;
}

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('generate a synthetic enterprise day: NetFlow v9 collected by nfcapd on loopback, DNS captures, proxy logs and labels.csv')
    .option('--date <YYYY-MM-DD>', 'first day (UTC); default: yesterday')
    .option('--days <n>', 'consecutive days')
    .option('--workstations <n>', 'workstations in the enterprise')
    .option('--scale <x>', 'multiplies background activity per host')
    .option('--seed <n>', 'random seed; the same seed gives the same flows')
    .option('--no-dns', 'skip the DNS capture (generate.dns)')
    .option('--no-proxy', 'skip the proxy logs (generate.proxy)')
    .option('--out <dir>', 'output folder: nfcapd/, dns/, proxy/ and labels.csv', 'generated')
    .action(async (flags: GenerateFlags & { out: string }, command: Command) => {
      const config = commandConfig(command, generateOverrides(flags));
      const result = await generate(config.generate, { outDir: flags.out });
      reportGenerated(result);
    });
}

export function generateOverrides(flags: GenerateFlags): Record<string, unknown> {
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  return {
    'generate.date': flags.date,
    'generate.days': num(flags.days),
    'generate.workstations': num(flags.workstations),
    'generate.scale': num(flags.scale),
    'generate.seed': num(flags.seed),
    'generate.dns': flags.dns === false ? false : undefined,
    'generate.proxy': flags.proxy === false ? false : undefined,
  };
}

export function reportGenerated(r: GenerateResult): void {
  note(
    `generated ${r.days.join(', ')}: ${formatCount(r.recordsSent)} flow records in ${formatCount(r.packetsSent)} NetFlow v9 packets; ` +
      `nfcapd stored ${formatCount(r.collector.flows)} flows in ${r.nfcapdFiles.length} file(s), ${r.collector.sequenceFailures} sequence failures`,
  );
  if (r.dnsFiles.length) note(`DNS: ${formatCount(r.dnsMessages)} messages in ${formatCount(r.dnsPackets)} packets, ${r.dnsFiles.length} capture file(s)`);
  if (r.proxyFiles.length) note(`proxy: ${formatCount(r.proxyLines)} requests in ${r.proxyFiles.length} hourly log file(s), Blue Coat (head office) and Squid (branch)`);
  note(`labels: ${r.labelsPath}`);
}
