import { Command, Option } from 'commander';
import { loadConfig, type Config } from '../config/index.js';
import { UsageError } from '../shared/errors.js';
import { isTelemetryType, TABLES, type TelemetryType } from '../schema/index.js';
import type { OutputFormat } from './output.js';

/** Options every command takes, declared once. */
export interface GlobalOptions {
  config?: string;
  lake?: string;
}

export function addGlobalOptions(program: Command): Command {
  return program
    .option('--config <file>', 'configuration file (YAML or JSON); defaults apply without one')
    .option('--lake <dir>', 'lake folder (overrides lake.path)');
}

export const outOption = () => new Option('--out <dir>', 'folder for the CSV files this command writes');
export const formatOption = () => new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table');

/** The effective configuration of a command: defaults < file < environment < flags. */
export function commandConfig(command: Command, overrides: Record<string, unknown> = {}): Config {
  const g = command.optsWithGlobals<GlobalOptions>();
  return loadConfig({ file: g.config, overrides: { 'lake.path': g.lake, ...overrides } });
}

export function telemetryType(value: string): TelemetryType {
  if (!isTelemetryType(value)) throw new UsageError(`unknown telemetry type ${JSON.stringify(value)}; choose one of: ${Object.keys(TABLES).join(', ')}`);
  return value;
}

export function outputFormat(command: Command): OutputFormat {
  return (command.opts<{ format?: OutputFormat }>().format ?? 'table') as OutputFormat;
}
