import { spawn } from 'node:child_process';
import { InputError } from '../../../shared/errors.js';
import type { DecodeContext } from '../../decoder.js';

/** Debian packages of the tools the replaying decoders run. */
const PACKAGE: Record<string, string> = { nfcapd: 'nfdump', sfcapd: 'nfdump-sflow', nfpcapd: 'nfdump' };

/** Throws an InputError saying how to install `binary` when it cannot be run. */
export async function checkTool(binary: string, tool: keyof typeof PACKAGE, configKey: string): Promise<void> {
  const missing = await new Promise<boolean>((resolve) => {
    const child = spawn(binary, ['-V'], { stdio: 'ignore' });
    child.on('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ENOENT' || e.code === 'EACCES'));
    child.on('close', () => resolve(false));
  });
  if (missing) throw new InputError(binary, `${tool} is not installed (Debian: apt-get install ${PACKAGE[tool]}; or set ${configKey})`);
}

/**
 * nfcapd must be there for any replay; sfcapd only once a source holds sFlow, so it is checked
 * when its collector starts (FlowCollector names the package then).
 */
export async function checkCollectors(ctx: DecodeContext): Promise<void> {
  await checkTool(ctx.config.decoders.flowExport.nfcapd, 'nfcapd', 'ingest.decoders.flowExport.nfcapd');
}
