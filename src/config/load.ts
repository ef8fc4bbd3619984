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
  for (const [path, value] of envOverrides(options.env ?? process.env)) setPath(merged, path, value);
  for (const [path, value] of Object.entries(options.overrides ?? {})) {
    if (value !== undefined) setPath(merged, path.split('.'), value);
  }
  const result = configSchema.safeParse(merged);
  if (!result.success) throw new ConfigError(formatIssues(label, result.error));
  return result.data;
}

function formatIssues(label: string, error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.join('.');
      if (issue.code === 'unrecognized_keys') return `${label}: ${[path, ...issue.keys].filter(Boolean).join('.')}: unknown key`;
      return `${label}: ${path || '(root)'}: ${issue.message}`;
    })
    .join('\n');
}

/**
 * SPOTHREAT_ENGINE_DUCKDB_MEMORYLIMIT=4GB → ['engine', 'duckdb', 'memoryLimit'].
 * Keys are camelCase without underscores, so segments match schema keys case-insensitively.
 * Values are read as YAML scalars, so numbers, booleans and [lists] work.
 */
function* envOverrides(env: NodeJS.ProcessEnv): Generator<[string[], unknown]> {
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || value === undefined) continue;
    const segments = name.slice(ENV_PREFIX.length).toLowerCase().split('_');
    const path = resolveEnvPath(segments);
    if (!path) continue; // SPOTHREAT_* variables that are not settings (e.g. test switches)
    let parsed: unknown = value;
    try {
      parsed = parseYaml(value);
    } catch {
      /* keep the raw string */
    }
    if (parsed === null) parsed = value;
    yield [path, parsed];
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
