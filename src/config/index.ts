/**
 * Configuration: one zod schema composed of each module's section, loaded with
 * defaults < file < environment < flags.
 * @module
 */
export { configSchema, type Config } from './schema.js';
export { loadConfig, ENV_PREFIX, type LoadOptions } from './load.js';
export { renderConfigDoc } from './doc.js';
