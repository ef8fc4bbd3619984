import type { Command } from 'commander';
import { openEngine } from '../../engine/index.js';
import { daysBetween, evaluateAgainstLabels, evaluateAgainstRatings, FeedbackStore, type LabelPrecision } from '../../feedback/index.js';
import { readLabels } from '../../generate/index.js';
import { UsageError } from '../../shared/errors.js';
import { commandConfig, formatOption, outputFormat, telemetryType } from '../options.js';
import { printRows } from '../output.js';

interface EvalFlags {
  date?: string;
  from?: string;
  to?: string;
  k: string;
  labels?: string;
  suppress?: boolean;
  store?: string;
}

/** `spothreat eval`: precision@k of the days' ML rankings against the analyst's ratings, or the generator's labels. */
export function registerEval(program: Command): void {
  program
    .command('eval')
    .description("precision@k of each day's ML ranking against the analyst's ratings (1, 2 threats; 3 benign), or against a generated labels.csv")
    .argument('<type>', 'flow, dns or proxy')
    .option('--date <YYYY-MM-DD>', 'one day')
    .option('--from <YYYY-MM-DD>', 'first day')
    .option('--to <YYYY-MM-DD>', 'last day (inclusive)')
    .option('--k <list>', 'cut-offs', '10,100,1000')
    .option('--labels <file>', "the generator's labels.csv: measure attacks and benign-rare jobs instead of ratings")
    .option('--suppress', 'measure the list the analyst sees: rows hidden by rules and low-risk ratings removed, the rest ranked again')
    .option('--store <file>', 'the feedback store (default <lake>/_state/feedback.duckdb)')
    .addOption(formatOption())
    .action(async (typeName: string, flags: EvalFlags, command: Command) => {
      const type = telemetryType(typeName);
      const from = flags.from ?? flags.date;
      const to = flags.to ?? flags.date ?? from;
      if (!from || !to) throw new UsageError('give --date, or --from and --to');
      const ks = flags.k.split(',').map((k) => {
        if (!/^\d+$/.test(k.trim()) || Number(k) < 1) throw new UsageError(`--k ${JSON.stringify(flags.k)}: whole numbers above 0, separated by commas`);
        return Number(k);
      });
      const config = commandConfig(command);
      const store = flags.store ? new FeedbackStore(flags.store) : FeedbackStore.forLake(config.lake.path);
      const engine = await openEngine(config);
      try {
        const suppress = Boolean(flags.suppress);
        if (flags.labels) {
          const labels = await readLabels(flags.labels);
          const rows: LabelPrecision[] = [];
          for (const day of daysBetween(from, to)) rows.push(...(await evaluateAgainstLabels(engine, store, { type, day, labels, ks, suppress })));
          printRows(rows, (['day', 'type', 'k', 'results', 'attacks', 'precision', 'recall', 'benignRare'] as const).map((key) => ({ key })), outputFormat(command));
        } else {
          const rows = await evaluateAgainstRatings(engine, store, { type, from, to, ks, suppress });
          printRows(rows, (['day', 'type', 'k', 'results', 'threats', 'benign', 'precision', 'judgedPrecision'] as const).map((key) => ({ key })), outputFormat(command));
        }
      } finally {
        await engine.close();
      }
    });
}
