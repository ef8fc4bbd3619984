import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/tmp.js';
import { ConfigError } from '../shared/errors.js';
import { loadConfig } from './load.js';
import { configSchema } from './schema.js';

describe('loadConfig', () => {
  it('needs no file: {} parses into working defaults', () => {
    const c = loadConfig({ env: {} });
    expect(c.lake.path).toBe('lake');
    expect(c.engine.kind).toBe('duckdb');
    expect(c.network.internal).toContain('10.0.0.0/8');
    expect(c.network.internal).toContain('fc00::/7');
    expect(c.ingest.decoders.nfdump.binary).toBe('nfdump');
    expect(configSchema.parse({})).toEqual(c);
  });

  it('applies defaults < file < environment < flags', () => {
    const dir = tempDir();
    const file = join(dir, 'spothreat.yaml');
    writeFileSync(file, 'lake:\n  path: /from/file\ningest:\n  workers: 3\n  chunkRows: 5000\n');
    const env = { SPOTHREAT_INGEST_WORKERS: '5', SPOTHREAT_ENGINE_DUCKDB_MEMORYLIMIT: '2GB', SPOTHREAT_NETWORK_INTERNAL: '[10.1.0.0/16, fd00::/8]' };
    const c = loadConfig({ file, env, overrides: { 'lake.path': '/from/flag' } });
    expect(c.lake.path).toBe('/from/flag');
    expect(c.ingest.workers).toBe(5);
    expect(c.ingest.chunkRows).toBe(5000);
    expect(c.engine.duckdb.memoryLimit).toBe('2GB');
    expect(c.network.internal).toEqual(['10.1.0.0/16', 'fd00::/8']);
  });

  it('names the key of an unknown setting', () => {
    const dir = tempDir();
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'ingest:\n  workerz: 3\n');
    expect(() => loadConfig({ file, env: {} })).toThrow(new ConfigError(`${file}: ingest.workerz: unknown key`));
  });

  it('names the key and the reason of a bad value', () => {
    const dir = tempDir();
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'network:\n  internal: [10.0.0.0/33]\ningest:\n  decoders:\n    argus:\n      timeZone: Mars/Olympus\n');
    let message = '';
    try {
      loadConfig({ file, env: {} });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(`${file}: network.internal.0: "10.0.0.0/33": prefix must be 0-32`);
    expect(message).toContain(`${file}: ingest.decoders.argus.timeZone: an IANA time zone`);
  });

  it('reports YAML syntax errors with the line', () => {
    const dir = tempDir();
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'lake:\n  path: [unclosed\n');
    expect(() => loadConfig({ file, env: {} })).toThrow(/broken\.yaml:\d+: not valid YAML/);
  });

  it('ignores SPOTHREAT_ variables that are not settings', () => {
    expect(loadConfig({ env: { SPOTHREAT_SHARED_DATA: '/x', SPOTHREAT_LAKE_PATH: '/y' } }).lake.path).toBe('/y');
  });

  it('rejects a bad value from the environment naming the variable and the key', () => {
    expect(() => loadConfig({ env: { SPOTHREAT_INGEST_WORKERS: 'many' } })).toThrow(new ConfigError('SPOTHREAT_INGEST_WORKERS: ingest.workers: Invalid input: expected number, received string'));
    expect(() => loadConfig({ overrides: { 'ingest.workers': -1 }, env: {} })).toThrow(/^command line: ingest\.workers: /);
  });

  it('refuses a misspelt setting in the environment instead of ignoring it', () => {
    expect(() => loadConfig({ env: { SPOTHREAT_LAKE_PAHT: '/y' } })).toThrow(new ConfigError('SPOTHREAT_LAKE_PAHT: no such setting in section lake (docs/configuration.md lists them)'));
  });
});
