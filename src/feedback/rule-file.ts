import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { CsvError, parse as parseCsv } from 'csv-parse/sync';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, stringify, type Node as YamlNode } from 'yaml';
import { csvField } from '../shared/csv.js';
import { InputError } from '../shared/errors.js';
import { normaliseRule, RULE_FILE_FIELDS, type RuleFields } from './rule-spec.js';
import type { RuleRow } from './tables.js';

/**
 * Rule files, CSV or YAML, with the fields of RULE_FILE_FIELDS (an `id` column is allowed and ignored). A file is
 * checked as a whole before anything is written: the first bad rule rejects it, naming its line and the reason.
 */
export type RuleFormat = 'csv' | 'yaml';

export function ruleFormatOf(path: string): RuleFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  throw new InputError(path, 'a rule file ends in .csv, .yaml or .yml');
}

export async function readRuleFile(path: string, format: RuleFormat = ruleFormatOf(path)): Promise<RuleFields[]> {
  const text = await readFile(path, 'utf8');
  return format === 'csv' ? parseRuleCsv(text, path) : parseRuleYaml(text, path);
}

export function parseRuleCsv(text: string, source: string): RuleFields[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parseCsv(text, { columns: checkHeader(source), info: true, skip_empty_lines: true, bom: true, trim: false });
  } catch (e) {
    if (e instanceof InputError) throw e;
    const line = e instanceof CsvError ? (e as CsvError & { lines?: number }).lines : undefined;
    throw new InputError(source, `not a valid CSV file: ${(e as Error).message.replace(/^Invalid Record Length: /, '')}`, line ? { line } : undefined);
  }
  return checkAll(
    source,
    records.map(({ record, info }) => ({ fields: record, line: info.lines, fieldLine: () => info.lines })),
  );
}

function checkHeader(source: string) {
  return (header: string[]) => {
    const names = header.map((h) => h.trim());
    const unknown = names.filter((h) => h !== 'id' && !(RULE_FILE_FIELDS as readonly string[]).includes(h));
    if (unknown.length) throw new InputError(source, `unknown column ${unknown.map((u) => JSON.stringify(u)).join(', ')}; the columns are ${RULE_FILE_FIELDS.join(', ')}`, { line: 1 });
    if (!names.includes('name') || !names.includes('owner')) throw new InputError(source, 'the header must name at least the columns name and owner', { line: 1 });
    return names;
  };
}

/** YAML: a list of rules, or a mapping whose `rules` key holds the list. Lists of ports are joined with commas. */
export function parseRuleYaml(text: string, source: string): RuleFields[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (node: { range?: [number, number, number] | null } | null | undefined) => (node?.range ? lineCounter.linePos(node.range[0]).line : 1);
  const [error] = doc.errors;
  if (error) throw new InputError(source, `not valid YAML: ${error.message.split('\n')[0]}`, { line: lineCounter.linePos(error.pos[0]).line });
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return [];
  const list = isMap(root) ? root.get('rules', true) : root;
  if (isMap(root)) {
    const extra = root.items.find((p) => !(isScalar(p.key) && p.key.value === 'rules'));
    if (extra) throw new InputError(source, 'the top level holds only `rules:`', { line: lineOf(extra.key as YamlNode) });
  }
  if (list === undefined || list === null) return [];
  if (!isSeq(list)) throw new InputError(source, 'expected a list of rules (each a mapping of fields)', { line: lineOf(list as YamlNode) });
  return checkAll(
    source,
    list.items.map((item) => {
      const line = lineOf(item as YamlNode);
      if (!isMap(item)) throw new InputError(source, 'a rule is a mapping of fields (name: …, owner: …)', { line });
      const fields: Record<string, unknown> = {};
      for (const pair of item.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const value = (pair.value as YamlNode | null)?.toJSON?.() ?? null;
        fields[key] = Array.isArray(value) ? value.join(',') : value;
      }
      const fieldLine = (field: string) => {
        const pair = item.items.find((p) => isScalar(p.key) && p.key.value === field);
        return pair ? lineOf(pair.key as YamlNode) : line;
      };
      return { fields, line, fieldLine };
    }),
  );
}

function checkAll(source: string, items: readonly { fields: Record<string, unknown>; line: number; fieldLine: (field: string) => number }[]): RuleFields[] {
  const seen = new Map<string, number>();
  return items.map(({ fields, line, fieldLine }) => {
    const { id: _ignored, ...rest } = fields;
    let rule: RuleFields;
    try {
      rule = normaliseRule(rest);
    } catch (e) {
      const message = (e as Error).message;
      const field = /^([a-z_]+): /.exec(message)?.[1];
      const name = typeof rest.name === 'string' && rest.name ? `rule ${JSON.stringify(rest.name)}: ` : '';
      throw new InputError(source, `${name}${message}`, { line: field ? fieldLine(field) : line });
    }
    const first = seen.get(rule.name);
    if (first !== undefined) throw new InputError(source, `rule ${JSON.stringify(rule.name)} is already defined on line ${first}`, { line });
    seen.set(rule.name, line);
    return rule;
  });
}

function fileValue(rule: RuleRow, field: (typeof RULE_FILE_FIELDS)[number]): string | null {
  const v = rule[field];
  return v instanceof Date ? v.toISOString() : v === null ? null : String(v);
}

export function rulesCsv(rules: readonly RuleRow[]): string {
  const header = ['id', ...RULE_FILE_FIELDS].join(',');
  return [header, ...rules.map((r) => [r.id, ...RULE_FILE_FIELDS.map((f) => fileValue(r, f))].map(csvField).join(','))].join('\n') + '\n';
}

export function rulesYaml(rules: readonly RuleRow[]): string {
  const list = rules.map((r) => Object.fromEntries(RULE_FILE_FIELDS.flatMap((f) => (fileValue(r, f) === null ? [] : [[f, fileValue(r, f)]]))));
  return `# Spothreat suppression rules (docs/noise-filter.md)\n${stringify({ rules: list }, { lineWidth: 0 })}`;
}
