import { mkdir, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { openEngine } from '../../engine/index.js';
import { Feedback, FeedbackStore, isRelationKind, listOrder, RELATION_KINDS, RULE_FILE_FIELDS, suppressedList, threatListSql, TRAINING_SOURCES, type TrainingSource, type RatingValue, type RuleFormat } from '../../feedback/index.js';
import { ratings as ratingsTable, changes as changesTable } from '../../feedback/index.js';
import { csvField } from '../../shared/csv.js';
import { UsageError } from '../../shared/errors.js';
import { commandConfig, formatOption, outputFormat, telemetryType } from '../options.js';
import { note, printRows } from '../output.js';

/** `spothreat feedback …`: ratings, suppression rules, the audit trail and undo (docs/noise-filter.md). */
export function registerFeedback(program: Command): void {
  const fb = program
    .command('feedback')
    .description("analysts' ratings and suppression rules: rate, rule, list, export, import, undo, reset, show, training")
    .option('--store <file>', 'the feedback store (default <lake>/_state/feedback.duckdb)')
    .option('--analyst <name>', 'who makes the change (default $SPOTHREAT_ANALYST or the login name)');

  const specOptions: [string, string][] = [
    ['--sip <ip>', 'flow: source address'], ['--dip <ip>', 'flow: destination address'], ['--sport <port>', 'flow: source port'],
    ['--dport <port>', 'flow: destination port'], ['--proto <proto>', 'flow: protocol'], ['--client <ip>', 'dns, proxy: client address'],
    ['--query <name>', 'dns: the exact name'], ['--domain <domain>', 'dns: the registered domain'], ['--host <host>', 'proxy: the host'],
    ['--uri-prefix <prefix>', 'proxy: the start of the full URI'],
  ];
  const rate = fb
    .command('rate')
    .description('rate the events a match spec selects on a day: 1 high, 2 medium, 3 low risk')
    .argument('<type>', 'flow, dns or proxy')
    .requiredOption('--date <YYYY-MM-DD>', 'the day of the events (UTC)')
    .addOption(new Option('--rating <n>', '1 high, 2 medium, 3 low risk').choices(['1', '2', '3']).makeOptionMandatory())
    .option('--comment <text>', 'why');
  for (const [flag, what] of specOptions) rate.option(flag, what);
  rate.action(async (typeName: string, flags: Record<string, string>, command: Command) => {
    const { rating, date, comment, ...rest } = flags;
    const spec = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k === 'uriPrefix' ? 'uri_prefix' : k, v]));
    const r = await feedback(command).rate({ type: telemetryType(typeName), day: date!, rating: Number(rating) as RatingValue, spec, analyst: analyst(command), ...(comment ? { comment } : {}) });
    note(`rating ${r.rating.id} ${r.replaced ? 'replaced' : 'saved'} (change ${r.change})`);
  });

  const rule = fb.command('rule').description('suppression rules: add, from-rating, delete');
  const add = rule.command('add').description('write a rule by hand: rows meeting all its conditions are hidden').requiredOption('--name <name>', 'unique name');
  for (const f of RULE_FILE_FIELDS.filter((f) => f !== 'name')) add.option(`--${f.replaceAll('_', '-')} <value>`, fieldHelp(f));
  add.action(async (flags: Record<string, string>, command: Command) => {
    const fields = Object.fromEntries(Object.entries(flags).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));
    const r = await feedback(command).addRule({ owner: analyst(command), ...fields }, analyst(command));
    note(`rule ${r.rule.id} ${JSON.stringify(r.rule.name)} added (change ${r.change})`);
  });
  rule
    .command('from-rating')
    .description('make a rule from a low-risk rating in one step: its match spec, on every day')
    .argument('<rating-id>')
    .option('--name <name>', 'rule name (default from the rating)')
    .option('--expires-at <when>', 'YYYY-MM-DD or an ISO date-time, UTC')
    .option('--comment <text>', 'why')
    .action(async (id: string, flags: { name?: string; expiresAt?: string; comment?: string }, command: Command) => {
      const r = await feedback(command).ruleFromRating(intArg(id, 'rating id'), analyst(command), { ...flags, ...(flags.expiresAt ? { expires_at: flags.expiresAt } : {}) });
      note(`rule ${r.rule.id} ${JSON.stringify(r.rule.name)} added from rating ${id} (change ${r.change})`);
    });
  rule
    .command('delete')
    .argument('<rule-id>')
    .action(async (id: string, _flags: unknown, command: Command) => {
      const r = await feedback(command).deleteRule(intArg(id, 'rule id'), analyst(command));
      note(`rule ${id} deleted (change ${r.change})`);
    });

  fb.command('list')
    .description('print ratings, rules or the audit trail')
    .addOption(new Option('--what <what>', 'ratings, rules or changes').choices(['ratings', 'rules', 'changes']).default('ratings'))
    .option('--type <type>', 'ratings of one type')
    .option('--date <YYYY-MM-DD>', 'ratings of one day')
    .option('--active', 'rules in force now (not expired)')
    .addOption(formatOption())
    .action(async (flags: { what: string; type?: string; date?: string; active?: boolean }, command: Command) => {
      const rows = await listRows(feedback(command), flags);
      printRows(rows.rows, rows.columns.map((key) => ({ key })), outputFormat(command));
    });

  fb.command('export')
    .description('write ratings or changes as CSV, rules as CSV or YAML (stdout, --file, or <what>.<format> in --out)')
    .argument('<what>', 'ratings, rules or changes')
    .addOption(new Option('--as <format>', 'file format').choices(['csv', 'yaml']).default('csv'))
    .option('--file <path>', 'write here instead of stdout')
    .option('--out <dir>', 'write <what>.<format> into this folder instead of stdout')
    .action(async (what: string, flags: { as: RuleFormat; file?: string; out?: string }, command: Command) => {
      const f = feedback(command);
      let text: string;
      if (what === 'rules') text = await f.exportRules(flags.as);
      else if (what === 'ratings' || what === 'changes') {
        if (flags.as !== 'csv') throw new UsageError(`${what} export as CSV only`);
        const { rows, columns } = await listRows(f, { what });
        text = [columns.join(','), ...rows.map((r) => columns.map((c) => csvField(r[c])).join(','))].join('\n') + '\n';
      } else throw new UsageError(`export ratings, rules or changes, not ${JSON.stringify(what)}`);
      if (flags.file && flags.out) throw new UsageError('give --file or --out, not both');
      let path = flags.file;
      if (flags.out) {
        await mkdir(flags.out, { recursive: true });
        path = join(flags.out, `${what}.${flags.as}`);
      }
      if (path) (await writeFile(path, text), note(`wrote ${what} to ${path}`));
      else process.stdout.write(text);
    });

  fb.command('import')
    .description('add or update rules from a CSV or YAML file, checked as a whole first')
    .argument('<file>')
    .option('--replace', 'also delete the rules the file does not name')
    .action(async (file: string, flags: { replace?: boolean }, command: Command) => {
      const r = await feedback(command).importRules(file, analyst(command), { replace: Boolean(flags.replace) });
      note(`${file}: ${r.added} added, ${r.updated} updated, ${r.deleted} deleted, ${r.unchanged} unchanged (change ${r.change})`);
    });

  fb.command('undo')
    .description('revert the last change, or the given one')
    .argument('[change-id]')
    .action(async (id: string | undefined, _flags: unknown, command: Command) => {
      const r = await feedback(command).undo(analyst(command), id === undefined ? undefined : intArg(id, 'change id'));
      note(`change ${r.reverted} undone (${r.items} rows restored; change ${r.undo})`);
    });

  fb.command('reset')
    .description("remove every rating of a type and day (Spot's Reset Scoring); undoable")
    .argument('<type>', 'flow, dns or proxy')
    .requiredOption('--date <YYYY-MM-DD>', 'the day')
    .action(async (typeName: string, flags: { date: string }, command: Command) => {
      const r = await feedback(command).reset(telemetryType(typeName), flags.date, analyst(command));
      note(`${r.removed} ratings of ${typeName} ${flags.date} removed (change ${r.change})`);
    });

  fb.command('show')
    .description('a day\'s list with rules and ratings applied: the visible rows, or the hidden ones with their rule')
    .argument('<list>', `${RELATION_KINDS.join(', ')} (flow, dns, proxy: ML results)`)
    .requiredOption('--date <YYYY-MM-DD>', 'the day')
    .addOption(new Option('--rows <which>', 'visible, hidden or all').choices(['visible', 'hidden', 'all']).default('visible'))
    .option('--limit <n>', 'at most this many rows', '100')
    .addOption(formatOption())
    .action(async (list: string, flags: { date: string; rows: string; limit: string }, command: Command) => {
      if (!isRelationKind(list)) throw new UsageError(`unknown list ${JSON.stringify(list)}; choose one of: ${RELATION_KINDS.join(', ')}`);
      const config = commandConfig(command);
      const engine = await openEngine(config);
      try {
        // Threats are ranked again from the day's evidence and scores, so that rules and ratings reorder the list.
        const sql = list === 'threats' ? await threatListSql(engine, config, store(command), flags.date) : (await suppressedList(engine, store(command), { list, day: flags.date })).sql;
        const where = flags.rows === 'visible' ? 'WHERE suppressed_by IS NULL' : flags.rows === 'hidden' ? 'WHERE suppressed_by IS NOT NULL' : '';
        const rows = await engine.query(`SELECT * FROM (${sql}) AS s ${where} ORDER BY ${listOrder(list)} LIMIT ${intArg(flags.limit, '--limit')}`);
        const columns = rows[0] ? Object.keys(rows[0]) : [];
        printRows(rows, columns.map((key) => ({ key })), outputFormat(command));
      } finally {
        await engine.close();
      }
    });

  fb.command('training')
    .description('write the events low-risk ratings match as the CSV `spothreat ml --feedback` reads (Spot\'s noise filter)')
    .argument('<type>', 'flow, dns or proxy')
    .requiredOption('--date <YYYY-MM-DD>', 'the day ML will fit')
    .requiredOption('--file <path>', 'the CSV to write')
    .option('--lookback <days>', 'ratings of this many earlier days count too', '30')
    .addOption(
      new Option('--source <where>', "the events: those of --date the ratings match, each rating's day's ML results (Spot), or each rating's day in the lake")
        .choices([...TRAINING_SOURCES])
        .default('day'),
    )
    .action(async (typeName: string, flags: { date: string; file: string; lookback: string; source: TrainingSource }, command: Command) => {
      const config = commandConfig(command);
      const engine = await openEngine(config);
      try {
        const s = await new Feedback(store(command)).trainingFeedback(engine, {
          type: telemetryType(typeName),
          day: flags.date,
          path: flags.file,
          lookbackDays: intArg(flags.lookback, '--lookback'),
          source: flags.source,
        });
        note(`${s.rows} events of ${s.ratings} of ${s.lowRisk} low-risk ratings → ${s.path} (each counts ml.dupfactor times)`);
      } finally {
        await engine.close();
      }
    });
}

function store(command: Command): FeedbackStore {
  const g = command.optsWithGlobals<{ store?: string }>();
  return g.store ? new FeedbackStore(g.store) : FeedbackStore.forLake(commandConfig(command).lake.path);
}

function feedback(command: Command): Feedback {
  return new Feedback(store(command));
}

function analyst(command: Command): string {
  return command.optsWithGlobals<{ analyst?: string }>().analyst ?? process.env.SPOTHREAT_ANALYST ?? userInfo().username;
}

function intArg(text: string, what: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${what} must be a whole number, not ${JSON.stringify(text)}`);
  return Number(text);
}

async function listRows(f: Feedback, flags: { what: string; type?: string; date?: string; active?: boolean }): Promise<{ rows: Record<string, unknown>[]; columns: readonly string[] }> {
  if (flags.what === 'rules') {
    const rows = await f.rules(flags.active ? { activeAt: new Date() } : {});
    return { rows, columns: ['id', ...RULE_FILE_FIELDS, 'created_at', 'from_rating'] };
  }
  if (flags.what === 'changes') return { rows: await f.changes(100_000), columns: changesTable.columnNames };
  const rows = await f.ratings({ ...(flags.type ? { type: telemetryType(flags.type) } : {}), ...(flags.date ? { day: flags.date } : {}) });
  return { rows, columns: ratingsTable.columnNames };
}

function fieldHelp(field: string): string {
  return (
    {
      type: 'only rows of flow, dns or proxy',
      cidr: 'a network on either side (IPv4/IPv6 CIDR or an address)',
      src_cidr: 'a network on the source (client) side',
      dst_cidr: 'a network on the destination side',
      domain: 'a name, or *.example.com (the domain and every name under it)',
      ports: 'destination ports: 22,443,8000-8100',
      src_ports: 'source ports',
      proto: 'protocol: TCP, UDP …',
      uri_prefix: 'start of the full URI',
      useragent: 'user agent: exact, or a glob with * and ?',
      detector: 'detector name (beacon, scan-horizontal …)',
      owner: 'who answers for the rule (default the analyst)',
      comment: 'why the rows are noise',
      expires_at: 'YYYY-MM-DD or an ISO date-time, UTC; the rule stops applying then',
    } as Record<string, string>
  )[field]!;
}
