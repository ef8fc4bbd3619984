import { z } from 'zod';
import { engineConfig } from '../engine/config.js';
import { generateConfig } from '../generate/config.js';
import { ingestConfig } from '../ingest/config.js';
import { lakeConfig } from '../lake/config.js';
import { mlConfig } from '../ml/config.js';
import { networkConfig } from './network.js';
import { oaConfig } from '../oa/config.js';

/** The whole configuration: each module's section side by side. `{}` parses into a working demo config. */
export const configSchema = z.strictObject({
  lake: lakeConfig.default(lakeConfig.parse({})),
  engine: engineConfig.default(engineConfig.parse({})),
  network: networkConfig.default(networkConfig.parse({})),
  ingest: ingestConfig.default(ingestConfig.parse({})),
  generate: generateConfig.default(generateConfig.parse({})),
  ml: mlConfig.default(mlConfig.parse({})),
  oa: oaConfig.default(oaConfig.parse({})),
});

export type Config = z.infer<typeof configSchema>;
