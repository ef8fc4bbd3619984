import type { Command } from 'commander';
import { dialectFor } from '../../engine/index.js';
import { createTableSql, csvHeader, TABLES, type TelemetryType } from '../../schema/index.js';
import { telemetryType } from '../options.js';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the canonical schema of a type as SQL DDL or as its CSV header')
    .argument('[type]', 'telemetry type; all when omitted')
    .option('--dialect <name>', 'duckdb or spark', 'duckdb')
    .option('--location <dir>', 'with --dialect spark: the lake folder, making an external Parquet table')
    .option('--csv', 'print the CSV header instead')
    .action((typeName: string | undefined, flags: { dialect: string; location?: string; csv?: boolean }) => {
      const types = typeName ? [telemetryType(typeName)] : (Object.keys(TABLES) as TelemetryType[]);
      const dialect = dialectFor(flags.dialect === 'spark' ? 'spark' : 'duckdb');
      for (const t of types) {
        const table = TABLES[t];
        if (flags.csv) process.stdout.write(csvHeader(table) + '\n');
        else process.stdout.write(createTableSql(table, dialect, flags.location ? { location: `${flags.location}/${t}` } : {}) + ';\n');
      }
    });
}
