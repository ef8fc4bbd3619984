import type { Command } from 'commander';
import { stringify } from 'yaml';
import { commandConfig } from '../options.js';
import { note } from '../output.js';

export function registerConfig(program: Command): void {
  const cmd = program.command('config').description('inspect the configuration');
  cmd
    .command('dump')
    .description('print the effective configuration (defaults, file, environment, flags) as YAML')
    .action((_flags: object, command: Command) => {
      process.stdout.write(stringify(commandConfig(command)));
    });
  cmd
    .command('check')
    .description('validate the configuration; exit code 2 with the key and reason when it is wrong')
    .action((_flags: object, command: Command) => {
      commandConfig(command);
      note('configuration is valid');
    });
}
