import type { Command } from 'commander';
import { openEngine, type Engine } from '../../engine/index.js';
import { exportCsv, summariseLake } from '../../lake/index.js';
import { TABLES, type TelemetryType } from '../../schema/index.js';
import { DAY_MS, parseUtcDate } from '../../shared/time.js';
import { UsageError } from '../../shared/errors.js';
import { join, resolve } from 'node:path';
import { commandConfig, formatOption, outOption, outputFormat, telemetryType } from '../options.js';
import { formatCount, note, printRows } from '../output.js';

export function registerLake(program: Command): void {
  const lake = program.command('lake').description('look into the lake');

  lake
    .command('summary')
    .description('rows per type per hour, quarantined records by reason, sources by status')
    .option('--type <type>', 'only this telemetry type')
    .addOption(formatOption())
    .action(async (flags: { type?: string }, command: Command) => {
      const config = commandConfig(command);
      const types = flags.type ? [telemetryType(flags.type)] : (Object.keys(TABLES) as TelemetryType[]);
      const engine = await openEngine(config);
      try {
        const format = outputFormat(command);
        if (format !== 'table') {
          const summary = await summariseLake(engine, types);
          printRows(summary.hours, [{ key: 'type' }, { key: 'hour' }, { key: 'rows' }, { key: 'files' }], format);
          return;
        }
        await printLakeSummary(engine, config.lake.path, types);
      } finally {
        await engine.close();
      }
    });

  lake
    .command('export')
    .description("write one day's (or a time range's) rows of a type to CSV, Spot's columns first")
    .argument('<type>', 'telemetry type: flow, dns or proxy')
    .requiredOption('--date <YYYY-MM-DD>', 'the day (UTC)')
    .option('--hours <from-to>', 'only these hours of the day, e.g. 8-17 (inclusive)')
    .addOption(outOption().default('out'))
    .action(async (typeName: string, flags: { date: string; hours?: string; out: string }, command: Command) => {
      const type = telemetryType(typeName);
      const config = commandConfig(command);
      const range = dayRange(flags.date, flags.hours);
      const engine = await openEngine(config);
      try {
        const suffix = flags.hours ? `_h${flags.hours}` : '';
        const path = join(flags.out, `${type}-${flags.date}${suffix}.csv`);
        const rows = await exportCsv(engine, type, range, path);
        note(`wrote ${formatCount(rows)} ${type} rows to ${path}`);
      } finally {
        await engine.close();
      }
    });
}

export function dayRange(date: string, hours?: string): { from: number; to: number } {
  let day: number;
  try {
    day = parseUtcDate(date);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (!hours) return { from: day, to: day + DAY_MS };
  const m = /^(\d{1,2})(?:-(\d{1,2}))?$/.exec(hours);
  const a = Number(m?.[1]);
  const b = Number(m?.[2] ?? m?.[1]);
  if (!m || a > 23 || b > 23 || a > b) throw new UsageError(`--hours ${JSON.stringify(hours)}: expected H or H-H within 0-23`);
  return { from: day + a * 3_600_000, to: day + (b + 1) * 3_600_000 };
}

/** The summary as tables on stdout: rows per hour, quarantine by reason, sources by status. */
export async function printLakeSummary(engine: Engine, lakePath: string, types: readonly TelemetryType[]): Promise<void> {
  const summary = await summariseLake(engine, types);
  process.stdout.write(`lake ${resolve(lakePath)}\n\nrows per hour (UTC)\n`);
  if (summary.hours.length === 0) process.stdout.write('  (no rows yet)\n');
  else printRows(summary.hours, [{ key: 'type' }, { key: 'hour' }, { key: 'rows', align: 'right' }, { key: 'files', align: 'right' }], 'table');
  const used = types.filter((t) => types.length === 1 || summary.hours.some((h) => h.type === t) || summary.sources.some((s) => s.type === t));
  for (const type of used) {
    const total = summary.hours.filter((h) => h.type === type).reduce((n, h) => n + h.rows, 0);
    process.stdout.write(`total ${type}: ${formatCount(total)} rows\n`);
  }
  process.stdout.write('\nquarantine\n');
  if (summary.quarantine.length === 0) process.stdout.write('  (nothing quarantined)\n');
  else printRows(summary.quarantine, [{ key: 'type' }, { key: 'reason' }, { key: 'records', align: 'right' }, { key: 'sources', align: 'right' }], 'table');
  process.stdout.write('\nsources\n');
  if (summary.sources.length === 0) process.stdout.write('  (none ingested)\n');
  else printRows(summary.sources, [{ key: 'type' }, { key: 'status' }, { key: 'sources', align: 'right' }, { key: 'rows', align: 'right' }], 'table');
}
