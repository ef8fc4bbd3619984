import type { Command } from 'commander';
import type { Config } from '../../config/index.js';
import { storedTrainingFile } from '../feedback-hooks.js';
import { openEngine } from '../../engine/index.js';
import { runSuspiciousConnects, type MlSummary } from '../../ml/index.js';
import type { TelemetryType } from '../../schema/index.js';
import { commandConfig, outOption, telemetryType } from '../options.js';
import { formatCount, note } from '../output.js';
import { dayRange } from './lake.js';

interface MlFlags {
  date: string;
  hours?: string;
  threshold?: string;
  maxResults?: string;
  topics?: string;
  seed?: string;
  feedback?: string;
  out: string;
  model?: string;
}

export function registerMl(program: Command): void {
  const ml = program.command('ml').description("Spot's suspicious-connects: fit LDA on a day's events and score them");
  for (const type of ['flow', 'dns', 'proxy'] as const) {
    withOptions(ml.command(type).description(`fit the model on a day of ${type} events and write the most suspicious ones`)).action(
      (flags: MlFlags, command: Command) => run(type, flags, command),
    );
  }
  withOptions(
    ml
      .command('score')
      .description('score a day with a saved model (<lake>/models/<type>/<day>) instead of fitting one')
      .argument('<type>', 'flow, dns or proxy')
      .requiredOption('--model <dir>', 'folder of a saved model'),
  ).action((typeName: string, flags: MlFlags, command: Command) => run(telemetryType(typeName), flags, command));
}

function withOptions(c: Command): Command {
  return c
    .requiredOption('--date <YYYY-MM-DD>', 'the day (UTC)')
    .option('--hours <from-to>', 'only these hours of the day, e.g. 8-17')
    .option('--threshold <score>', 'events scoring at most this are suspicious (ml.threshold)')
    .option('--max-results <n>', 'most suspicious events kept (ml.maxResults)')
    .option('--topics <k>', 'LDA topics (ml.topics)')
    .option('--seed <n>', 'random seed (ml.seed)')
    .option('--feedback <file>', 'analyst ratings to learn from (CSV, see docs/ml.md); default: the feedback store\'s low-risk ratings')
    .addOption(outOption().default('out'));
}

async function run(type: TelemetryType, flags: MlFlags, command: Command): Promise<void> {
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const config = commandConfig(command, {
    'ml.threshold': num(flags.threshold),
    'ml.maxResults': num(flags.maxResults),
    'ml.topics': num(flags.topics),
    'ml.seed': num(flags.seed),
  });
  const engine = await openEngine(config);
  try {
    const summary = await runMlCommand(engine, config, type, flags);
    note(`${type}: ${formatCount(summary.suspicious)} suspicious events → ${summary.csvFile} and ${summary.resultsFile}`);
  } finally {
    await engine.close();
  }
}

export async function runMlCommand(engine: Awaited<ReturnType<typeof openEngine>>, config: Config, type: TelemetryType, flags: Pick<MlFlags, 'date' | 'hours' | 'feedback' | 'out' | 'model'>): Promise<MlSummary> {
  const started = performance.now();
  let feedbackFile = flags.feedback;
  if (!feedbackFile && !flags.model) {
    // Spot's noise filter from the store: what analysts rated low risk counts dupfactor times in training.
    const learned = await storedTrainingFile(engine, config, type, flags.date, flags.out);
    if (learned) {
      feedbackFile = learned.path;
      note(`  ${type} learns from ${formatCount(learned.ratings)} low-risk rating(s): ${formatCount(learned.rows)} events ×${config.ml.dupfactor} (${learned.path})`);
    }
  }
  const lda = iterationProgress(type);
  const summary = await runSuspiciousConnects(engine, config.ml, {
    type,
    range: dayRange(flags.date, flags.hours),
    label: flags.date,
    outDir: flags.out,
    ...(feedbackFile ? { feedbackFile } : {}),
    ...(flags.model ? { modelDir: flags.model } : {}),
    onStage: (stage, seconds, detail) => {
      lda.clear();
      note(`  ${type} ${stage.padEnd(7)} ${seconds.toFixed(2).padStart(7)} s${detail ? `  ${detail}` : ''}`);
    },
    onStep: lda.step,
  });
  note(`  ${type} total   ${((performance.now() - started) / 1000).toFixed(2).padStart(7)} s`);
  return summary;
}

/** LDA iterations as they end: one line redrawn on a terminal, a line each otherwise (logs, CI). */
function iterationProgress(type: TelemetryType) {
  const tty = Boolean(process.stderr.isTTY);
  let last = performance.now();
  let drawn = false;
  return {
    step: (step: number, of: number) => {
      const now = performance.now();
      const line = `  ${type} lda     iteration ${step}/${of}  ${((now - last) / 1000).toFixed(2)} s`;
      last = now;
      if (tty) {
        process.stderr.write(`\r\x1b[2K${line}`);
        drawn = true;
      } else note(line);
    },
    /** Before a stage's line; the next iteration is timed from here. */
    clear: () => {
      if (drawn) process.stderr.write('\r\x1b[2K');
      drawn = false;
      last = performance.now();
    },
  };
}
