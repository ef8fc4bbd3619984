import type { Command } from 'commander';
import { openEngine } from '../../engine/index.js';
import { analyseDay, topThreats, VISIBLE_THREATS, type OaSummary, type ThreatLine } from '../../oa/index.js';
import { oaFilter } from '../feedback-hooks.js';
import type { TelemetryType } from '../../schema/index.js';
import { UsageError } from '../../shared/errors.js';
import { commandConfig, outOption } from '../options.js';
import { formatCount, note } from '../output.js';
import { dayRange } from './lake.js';

interface OaFlags {
  date: string;
  hours?: string;
  out: string;
  top: string;
}

export function registerOa(program: Command): void {
  program
    .command('oa')
    .description('operational analytics of a day: enrichment, attack heuristics, Spot\'s <type>_scores, the ranked threat list and storyboard data')
    .argument('<type>', 'flow, dns, proxy or all')
    .requiredOption('--date <YYYY-MM-DD>', 'the day (UTC)')
    .option('--hours <from-to>', 'only these hours of the day, e.g. 8-17')
    .option('--top <n>', 'threats to print', '10')
    .addOption(outOption().default('out'))
    .action(async (typeName: string, flags: OaFlags, command: Command) => {
      const types = oaTypes(typeName);
      const config = commandConfig(command);
      const engine = await openEngine(config);
      try {
        const summary = await runOaCommand(engine, config, types, flags);
        printThreats(await topThreats(engine, { relation: VISIBLE_THREATS }, Number(flags.top)));
        note(`wrote ${Object.keys(summary.tables).length} tables for ${flags.date} to ${flags.out}/ and the lake`);
      } finally {
        await engine.close();
      }
    });
}

function oaTypes(name: string): TelemetryType[] {
  if (name === 'all') return ['flow', 'dns', 'proxy'];
  if (name === 'flow' || name === 'dns' || name === 'proxy') return [name];
  throw new UsageError(`unknown type ${JSON.stringify(name)}: flow, dns, proxy or all`);
}

export async function runOaCommand(
  engine: Awaited<ReturnType<typeof openEngine>>,
  config: Parameters<typeof analyseDay>[1],
  types: readonly TelemetryType[],
  flags: Pick<OaFlags, 'date' | 'hours' | 'out'>,
): Promise<OaSummary> {
  const started = performance.now();
  const filter = oaFilter(engine, config, flags.date);
  const summary = await analyseDay(engine, config, {
    ...(filter ? { filter } : {}),
    day: flags.date,
    range: dayRange(flags.date, flags.hours),
    types,
    outDir: flags.out,
    onStage: (stage, seconds, detail) => note(`  oa ${stage.padEnd(14)} ${seconds.toFixed(2).padStart(7)} s${detail ? `  ${detail}` : ''}`),
  });
  note(`  oa ${'total'.padEnd(14)} ${((performance.now() - started) / 1000).toFixed(2).padStart(7)} s`);
  for (const n of summary.notes) note(`  note: ${n}`);
  note(`  ${formatCount(summary.tables.threats ?? 0)} threats, ${formatCount(summary.tables.evidence ?? 0)} evidence rows`);
  return summary;
}

export function printThreats(threats: readonly ThreatLine[]): void {
  if (!threats.length) return note('no threats');
  note('top threats:');
  for (const t of threats) {
    note(`${String(t.rank).padStart(4)}. ${t.severity.padEnd(8)} ${t.threat_score.toFixed(3)}  ${t.entity} (${t.entity_kind})`);
    // One line per contribution: the explanation's own "; " separators also occur inside details (user agents).
    const contributions = JSON.parse(t.contributions) as { source: string; strength: number; weight: number; detail: string }[];
    for (const c of contributions.slice(0, 4)) {
      const line = `${c.source} ${c.strength} (weight ${c.weight}): ${c.detail}`;
      note(`          ${line.length > 150 ? `${line.slice(0, 147)}…` : line}`);
    }
  }
}
