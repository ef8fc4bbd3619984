import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../shared/errors.js';
import { configSchema, type Config } from './schema.js';

export const ENV_PREFIX = 'SPOTHREAT_';

export interface LoadOptions {
  /** YAML or JSON file; none means defaults only. */
  file?: string;
  /** Environment to read SPOTHREAT_<SECTION>_<KEY> overrides from. */
  env?: NodeJS.ProcessEnv;
  /** Highest precedence, e.g. from command-line flags: dotted path → value. */
  overrides?: Record<string, unknown>;
}

/** Defaults < file < environment < flags. Any problem is a ConfigError naming the key. */
export function loadConfig(options: LoadOptions = {}): Config {
  const label = options.file ?? 'config';
  let raw: unknown = {};
  if (options.file) {
    let text: string;
    try {
      text = readFileSync(options.file, 'utf8');
    } catch (e) {
      throw new ConfigError(`${options.file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    try {
      raw = parseYaml(text) ?? {};
    } catch (e) {
      const where = e instanceof YAMLParseError && e.linePos ? `:${e.linePos[0].line}` : '';
      throw new ConfigError(`${options.file}${where}: not valid YAML/JSON: ${(e as Error).message.split('\n')[0]}`);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${options.file}: must hold a mapping of sections`);
  }
  const merged = structuredClone(raw) as Record<string, unknown>;
  // Where a value came from, by dotted path, so that an error names the variable or flag rather than the file.
  const origins = new Map<string, string>();
  for (const [path, value, name] of envOverrides(options.env ?? process.env)) {
    setPath(merged, path, value);
    origins.set(path.join('.'), name);
  }
  for (const [path, value] of Object.entries(options.overrides ?? {})) {
    if (value === undefined) continue;
    setPath(merged, path.split('.'), value);
    origins.set(path, 'command line');
  }
  const result = configSchema.safeParse(merged);
  if (!result.success) throw new ConfigError(formatIssues(label, origins, result.error));
  return result.data;
}

function formatIssues(label: string, origins: ReadonlyMap<string, string>, error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.join('.');
      const from = originOf(origins, issue.path.map(String)) ?? label;
      if (issue.code === 'unrecognized_keys') return `${from}: ${[path, ...issue.keys].filter(Boolean).join('.')}: unknown key`;
      return `${from}: ${path || '(root)'}: ${issue.message}`;
    })
    .join('\n');
}

/** The variable or flag that set this path or one of its parents. */
function originOf(origins: ReadonlyMap<string, string>, path: readonly string[]): string | undefined {
  for (let n = path.length; n > 0; n--) {
    const found = origins.get(path.slice(0, n).join('.'));
    if (found) return found;
  }
  return undefined;
}

/**
 * SPOTHREAT_ENGINE_DUCKDB_MEMORYLIMIT=4GB → ['engine', 'duckdb', 'memoryLimit'].
 * Keys are camelCase without underscores, so segments match schema keys case-insensitively.
 * Values are read as YAML scalars, so numbers, booleans and [lists] work.
 */
function* envOverrides(env: NodeJS.ProcessEnv): Generator<[string[], unknown, string]> {
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || value === undefined) continue;
    const segments = name.slice(ENV_PREFIX.length).toLowerCase().split('_');
    const path = resolveEnvPath(segments);
    if (!path) {
      // A variable naming a section is meant as a setting: a misspelt key must not be silently ignored.
      // Others (SPOTHREAT_PYTHON, test switches) are not settings.
      const section = Object.keys(configSchema.shape).find((k) => k.toLowerCase() === segments[0]);
      if (section) throw new ConfigError(`${name}: no such setting in section ${section} (docs/configuration.md lists them)`);
      continue;
    }
    let parsed: unknown = value;
    try {
      parsed = parseYaml(value);
    } catch {
      /* keep the raw string */
    }
    if (parsed === null) parsed = value;
    yield [path, parsed, name];
  }
}

function resolveEnvPath(segments: string[]): string[] | null {
  let shape: z.ZodType = configSchema;
  const path: string[] = [];
  for (const seg of segments) {
    const obj = unwrapObject(shape);
    if (!obj) return null;
    const key = Object.keys(obj.shape).find((k) => k.toLowerCase() === seg);
    if (!key) return null;
    path.push(key);
    shape = obj.shape[key] as z.ZodType;
  }
  return path;
}

function unwrapObject(schema: z.ZodType): z.ZodObject | null {
  let s: z.ZodType = schema;
  for (let i = 0; i < 5; i++) {
    if (s instanceof z.ZodObject) return s;
    if (s instanceof z.ZodDefault || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
    else return null;
  }
  return null;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}
