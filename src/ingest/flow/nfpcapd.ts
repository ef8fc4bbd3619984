import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { StagedLayout } from '../../lake/staged.js';
import { flow } from '../../schema/index.js';
import type { DecodeContext, SourceFile, ToolDecoder, ToolRun } from '../decoder.js';
import { captureKind } from '../packet/capture-format.js';
import { isGzip, openBytes } from '../source.js';
import { checkTool } from './export/tools.js';
import { NFDUMP_FIELD_INDEX, NFDUMP_FORMAT, nfcapdDecoder, nfdumpLayout } from './nfcapd.js';
import { StderrLines, startNfdump } from './nfdump-tool.js';

/**
 * nfpcapd stamps flows with the wall clock of the run as their receive time; for a capture read
 * after the fact the flow's end (when a collector would have had it) is printed there instead.
 */
const FORMAT = NFDUMP_FORMAT.replace('%tr', '%te');

/**
 * Ordinary packet captures (pcap or pcapng, plain or gzip) turned into flows by nfpcapd -r, as a
 * probe on the wire would export them, then read with nfdump. Captures that carry flow exports go
 * to flow-export-pcap instead, found first by detection; --decoder nfpcapd makes flows of any.
 */
export const nfpcapdDecoder: ToolDecoder<typeof flow> = {
  kind: 'tool',
  name: 'nfpcapd',
  table: flow,
  description: 'packet captures (pcap, pcapng, plain or gzip) turned into flows by nfpcapd and read with nfdump',
  accepts: (_file, head) => captureKind(head) !== null,

  async check(ctx: DecodeContext) {
    await nfcapdDecoder.check(ctx);
    await checkTool(ctx.config.decoders.nfpcapd.binary, 'nfpcapd', 'ingest.decoders.nfpcapd.binary');
  },

  async start(file: SourceFile, ctx: DecodeContext): Promise<ToolRun> {
    if (!ctx.workDir) throw new Error('nfpcapd needs a work folder (DecodeContext.workDir)');
    const outDir = join(ctx.workDir, 'nfpcapd');
    await mkdir(outDir, { recursive: true });
    // libpcap reads no gzip: a compressed capture is unpacked into the work folder first.
    let capture = file.path;
    if (await isGzipFile(file.path)) {
      capture = join(ctx.workDir, 'capture.pcap');
      await pipeline(Readable.from(await openBytes(file.path)), createWriteStream(capture));
    }
    const error = await runNfpcapd(ctx.config.decoders.nfpcapd.binary, capture, outDir, ctx.signal);
    const layout = withoutRouter(nfdumpLayout(ctx.sensor));
    if (error) return { layout, stdout: Readable.from([]), finished: Promise.resolve({ error }) };
    return { layout, ...startNfdump(ctx.config.decoders.nfdump.binary, ['-q', '-N', '-6', '-R', outDir, '-o', FORMAT], ctx.signal) };
  },
};

async function isGzipFile(path: string): Promise<boolean> {
  const fd = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    await fd.read(head, 0, 2, 0);
    return isGzip(head);
  } finally {
    await fd.close();
  }
}

/** Flows made from packets have no exporter: nfdump's 0.0.0.0 router address is dropped, rip is null. */
function withoutRouter(layout: StagedLayout): StagedLayout {
  const fields = layout.fields.map((f, i) => (i === NFDUMP_FIELD_INDEX.rip ? {} : f));
  return { ...layout, fields, constants: { ...layout.constants, rip: null } };
}

/** Run nfpcapd over the capture into outDir; the error it reports, if it failed. */
function runNfpcapd(binary: string, capture: string, outDir: string, signal: AbortSignal): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn(binary, ['-r', capture, '-w', outDir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC' } });
    const log = new StderrLines();
    child.stdout.setEncoding('utf8').on('data', (s: string) => log.push(s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => log.push(s));
    const onAbort = () => child.kill('SIGTERM');
    signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e) => resolve(`${binary}: ${e.message}`));
    child.on('close', (code, killedBy) => {
      signal.removeEventListener('abort', onAbort);
      if (killedBy || code) resolve(`nfpcapd ${killedBy ? `stopped by ${killedBy}` : `exited with code ${code}`}: ${log.text().split('\n').slice(-3).join('; ')}`);
      else resolve(null);
    });
  });
}
