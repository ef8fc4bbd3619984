import type { Command } from 'commander';
import { Ingestor, watchAndIngest, type IngestSummary } from '../../ingest/index.js';
import { commandConfig, telemetryType } from '../options.js';
import { formatCount, note } from '../output.js';
import { ProgressBar } from '../progress.js';

interface IngestFlags {
  force?: boolean;
  watch?: boolean;
  decoder?: string;
  sensor?: string;
  quiet?: boolean;
}

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('read telemetry files into the lake (files, folders, globs; folders recursively)')
    .argument('<type>', 'telemetry type: flow, dns or proxy')
    .argument('<paths...>', 'files, folders or globs')
    .option('--force', 're-ingest files already ingested, replacing their rows')
    .option('--watch', 'keep watching the folders and ingest new files as they appear')
    .option('--decoder <name>', 'read with this decoder instead of detecting the format')
    .option('--sensor <name>', 'sensor name for sources that carry none (Zeek, Argus, CSV)')
    .option('--quiet', 'print only the summary')
    .action(async (typeName: string, paths: string[], flags: IngestFlags, command: Command) => {
      const type = telemetryType(typeName);
      const config = commandConfig(command);
      const ingestor = await Ingestor.open(config);
      const stop = () => ingestor.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const progress = new ProgressBar(flags.quiet);
      const request = { type, paths, force: flags.force, decoder: flags.decoder, sensor: flags.sensor };
      let failed = false;
      try {
        if (flags.watch) {
          note(`watching ${paths.join(', ')} for ${type} files (every ${config.ingest.watch.intervalSeconds} s; Ctrl-C stops)`);
          await watchAndIngest(ingestor, { ...request, force: false }, {
            ...config.ingest.watch,
            onRound: (s) => printSummary(s),
            onError: (path, reason) => note(`error        ${path} — ${reason}`),
          }, progress);
        } else {
          const summary = await ingestor.ingest(request, progress);
          progress.stop();
          printSummary(summary);
          failed = summary.errors.length > 0 || summary.files.some((f) => f.status === 'failed' || (f.status === 'unrecognised' && paths.includes(f.path)));
        }
      } finally {
        progress.stop();
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        await ingestor.close();
      }
      if (ingestor.signal.aborted) note('ingest stopped; files in progress will be redone by the next run');
      if (failed) process.exitCode = 3;
    });
}

export function printSummary(s: IngestSummary): void {
  for (const e of s.errors) note(`error        ${e.path} — ${e.reason}`);
  const count = (status: string) => s.files.filter((f) => f.status === status).length;
  const rate = s.seconds > 0 ? Math.round(s.rows / s.seconds) : 0;
  const parts = [
    `${count('ingested')} ingested`,
    count('partial') && `${count('partial')} partial`,
    count('failed') && `${count('failed')} failed`,
    count('unchanged') && `${count('unchanged')} unchanged`,
    count('duplicate') && `${count('duplicate')} duplicate`,
    count('unrecognised') && `${count('unrecognised')} not recognised`,
  ].filter(Boolean);
  note(
    `${s.type}: ${s.files.length} files (${parts.join(', ')}), ${formatCount(s.rows)} rows, ${formatCount(s.quarantined)} quarantined, ` +
      `${s.seconds.toFixed(1)} s, ${formatCount(rate)} rows/s`,
  );
}
