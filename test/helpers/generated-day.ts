import { join } from 'node:path';
import type { Config } from '../../src/config/index.js';
import { generate, readLabels, type GenerateResult, type Label } from '../../src/generate/index.js';
import { Ingestor } from '../../src/ingest/index.js';
import type { TelemetryType } from '../../src/schema/index.js';

/**
 * Generates the configured day into `<dir>/gen` and ingests the files it wrote of the given types into the configured lake:
 * the labelled day the whole-program tests of ML and OA run on.
 */
export async function ingestGeneratedDay(
  config: Config,
  dir: string,
  types: readonly TelemetryType[] = ['flow', 'dns', 'proxy'],
): Promise<{ generated: GenerateResult; labels: Label[] }> {
  const generated = await generate(config.generate, { outDir: join(dir, 'gen') });
  const files: Record<TelemetryType, readonly string[]> = { flow: generated.nfcapdFiles, dns: generated.dnsFiles, proxy: generated.proxyFiles };
  const ingestor = await Ingestor.open(config);
  try {
    for (const type of types) if (files[type].length) await ingestor.ingest({ type, paths: [...files[type]] });
  } finally {
    await ingestor.close();
  }
  return { generated, labels: await readLabels(generated.labelsPath) };
}
