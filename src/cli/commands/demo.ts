import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { openEngine } from '../../engine/index.js';
import { generate } from '../../generate/index.js';
import { Ingestor } from '../../ingest/index.js';
import { exportCsv } from '../../lake/index.js';
import { topThreats, VISIBLE_THREATS } from '../../oa/index.js';
import type { TelemetryType } from '../../schema/index.js';
import { utcDayRange } from '../../shared/time.js';
import { commandConfig, type GlobalOptions } from '../options.js';
import { formatCount, note } from '../output.js';
import { ProgressBar } from '../progress.js';
import { generateOverrides, reportGenerated, type GenerateFlags } from './generate.js';
import { printSummary } from './ingest.js';
import { printLakeSummary } from './lake.js';
import { runMlCommand } from './ml.js';
import { printThreats, runOaCommand } from './oa.js';

/**
 * The whole path on the embedded engine: generate a day, collect it with nfcapd on loopback,
 * ingest it, summarise the lake, score every type with Spot's LDA, run operational analytics and
 * print the top threats with their explanations. The day's events of every type and the analytics'
 * tables land as CSV in <out>/out.
 */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('generate a synthetic day, collect it with nfcapd, ingest it, score it with LDA, run operational analytics and show the top threats')
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

      note('1/6 generating a synthetic enterprise day, sent as NetFlow v9 to nfcapd on 127.0.0.1');
      const generated = await generate(config.generate, { outDir: generatedDir });
      reportGenerated(generated);

      note('2/6 ingesting the nfcapd files, the DNS captures and the proxy logs into the lake');
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

      note('3/6 lake summary');
      const engine = await openEngine(config);
      try {
        const types: TelemetryType[] = ['flow'];
        if (generated.dnsFiles.length) types.push('dns');
        if (generated.proxyFiles.length) types.push('proxy');
        await printLakeSummary(engine, config.lake.path, types);
        const outDir = join(flags.out, 'out');
        for (const day of generated.days) {
          note(`3/6 exporting ${day} as CSV`);
          for (const type of types) {
            const path = join(outDir, `${type}-${day}.csv`);
            note(`${type}: ${formatCount(await exportCsv(engine, type, utcDayRange(day), path))} rows → ${path}`);
          }
          note(`4/6 Spot's suspicious connects (LDA) for ${day}: ${types.join(', ')}`);
          for (const type of types) {
            const summary = await runMlCommand(engine, config, type, { date: day, out: outDir });
            note(`${type}: ${formatCount(summary.suspicious)} suspicious of ${formatCount(summary.events)} events → ${summary.csvFile}`);
          }
          note(`5/6 operational analytics for ${day}: enrichment, attack heuristics, the ranked threat list, storyboard data`);
          await runOaCommand(engine, config, types, { date: day, out: outDir });
          note(`6/6 the top threats of ${day} (all tables in ${outDir}/)`);
          printThreats(await topThreats(engine, { relation: VISIBLE_THREATS }, 10));
        }
      } finally {
        await engine.close();
      }
      note(`ground truth of the injected attacks: ${generated.labelsPath}`);
    });
}
