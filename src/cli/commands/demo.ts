import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { openEngine } from '../../engine/index.js';
import { generate } from '../../generate/index.js';
import { Ingestor } from '../../ingest/index.js';
import { exportCsv } from '../../lake/index.js';
import type { TelemetryType } from '../../schema/index.js';
import { parseUtcDate } from '../../shared/time.js';
import { commandConfig, type GlobalOptions } from '../options.js';
import { formatCount, note } from '../output.js';
import { ProgressBar } from '../progress.js';
import { generateOverrides, reportGenerated, type GenerateFlags } from './generate.js';
import { printSummary } from './ingest.js';
import { printLakeSummary } from './lake.js';

/**
 * The whole path on the embedded engine: generate a day, collect it with nfcapd on loopback,
 * ingest it, summarise the lake and export the day as CSV. Later stages join as they land.
 */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('generate a synthetic day, collect it with nfcapd, ingest it, summarise the lake and export the day as CSV')
    .option('--out <dir>', 'demo folder: generated/, lake/ (unless --lake) and the CSV export', 'demo')
    .option('--date <YYYY-MM-DD>', 'the day (UTC); default: yesterday')
    .option('--workstations <n>', 'workstations in the enterprise')
    .option('--scale <x>', 'multiplies background activity per host')
    .option('--seed <n>', 'random seed')
    .action(async (flags: GenerateFlags & { out: string }, command: Command) => {
      const lake = command.optsWithGlobals<GlobalOptions>().lake ?? join(flags.out, 'lake');
      const config = commandConfig(command, { ...generateOverrides(flags), 'lake.path': lake });
      const generatedDir = join(flags.out, 'generated');
      // A demo starts from scratch each time, so that its numbers can be read against labels.csv.
      await rm(generatedDir, { recursive: true, force: true });
      await rm(config.lake.path, { recursive: true, force: true });

      note('1/4 generating a synthetic enterprise day, sent as NetFlow v9 to nfcapd on 127.0.0.1');
      const generated = await generate(config.generate, { outDir: generatedDir });
      reportGenerated(generated);

      note('2/4 ingesting the nfcapd files, the DNS captures and the proxy logs into the lake');
      const ingestor = await Ingestor.open(config);
      const progress = new ProgressBar();
      try {
        printSummary(await ingestor.ingest({ type: 'flow', paths: [...generated.nfcapdFiles] }, progress));
        if (generated.dnsFiles.length) printSummary(await ingestor.ingest({ type: 'dns', paths: [...generated.dnsFiles] }, progress));
        if (generated.proxyFiles.length) printSummary(await ingestor.ingest({ type: 'proxy', paths: [...generated.proxyFiles] }, progress));
      } finally {
        progress.stop();
        await ingestor.close();
      }

      note('3/4 lake summary');
      const engine = await openEngine(config);
      try {
        const types: TelemetryType[] = ['flow'];
        if (generated.dnsFiles.length) types.push('dns');
        if (generated.proxyFiles.length) types.push('proxy');
        await printLakeSummary(engine, config.lake.path, types);
        note('4/4 exporting the day as CSV');
        for (const day of generated.days) {
          const path = join(flags.out, `flow-${day}.csv`);
          const from = parseUtcDate(day);
          const rows = await exportCsv(engine, 'flow', { from, to: from + 86_400_000 }, path);
          note(`wrote ${formatCount(rows)} flows to ${path}`);
        }
      } finally {
        await engine.close();
      }
      note(`ground truth of the injected attacks: ${generated.labelsPath}`);
    });
}
