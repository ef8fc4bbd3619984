#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ConfigError, InputError, UsageError } from '../shared/errors.js';
import { registerConfig } from './commands/config.js';
import { registerDemo } from './commands/demo.js';
import { registerDocs } from './commands/docs.js';
import { registerEval } from './commands/eval.js';
import { registerFeedback } from './commands/feedback.js';
import { registerGenerate } from './commands/generate.js';
import { registerIngest } from './commands/ingest.js';
import { registerLake } from './commands/lake.js';
import { registerMl } from './commands/ml.js';
import { registerOa } from './commands/oa.js';
import { registerSchema } from './commands/schema.js';
import { addGlobalOptions } from './options.js';
import { note } from './output.js';

/** Exit codes: 0 success, 1 a bug (with its stack), 2 bad usage or configuration, 3 some inputs failed. */
const program = addGlobalOptions(new Command('spothreat'))
  .description('Network threat analytics for flows, DNS and proxy logs')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride();

for (const register of [registerIngest, registerLake, registerMl, registerOa, registerGenerate, registerDemo, registerConfig, registerSchema, registerDocs, registerFeedback, registerEval]) register(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exitCode = e.exitCode === 0 ? 0 : 2;
  else if (e instanceof ConfigError || e instanceof UsageError) {
    note(`spothreat: ${e.message}`);
    process.exitCode = 2;
  } else if (e instanceof InputError) {
    note(`spothreat: ${e.message}`);
    process.exitCode = 3;
  } else {
    note(`spothreat: internal error, please report it:\n${(e as Error).stack ?? String(e)}`);
    process.exitCode = 1;
  }
}
