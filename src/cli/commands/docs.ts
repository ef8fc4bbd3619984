import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { renderConfigDoc } from '../../config/index.js';
import { renderSchemaDoc } from '../../schema/doc.js';
import { note } from '../output.js';

/** Generated documents, so that docs never drift from the code that defines them. */
export const GENERATED_DOCS = {
  'schema.md': renderSchemaDoc,
  'configuration.md': renderConfigDoc,
} as const;

export function registerDocs(program: Command): void {
  program
    .command('docs')
    .description('developer tools for the documentation')
    .command('generate')
    .description('write docs/schema.md and docs/configuration.md from the code')
    .option('--dir <dir>', 'docs folder', 'docs')
    .action(async (flags: { dir: string }) => {
      await mkdir(flags.dir, { recursive: true });
      for (const [name, render] of Object.entries(GENERATED_DOCS)) {
        await writeFile(join(flags.dir, name), render());
        note(`wrote ${join(flags.dir, name)}`);
      }
    });
}
