import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { flow } from '../../../schema/index.js';
import type { DecodeContext, SourceFile, SourceReject, ToolDecoder, ToolRun } from '../../decoder.js';
import { NFDUMP_FORMAT, nfcapdDecoder, nfdumpLayout } from '../nfcapd.js';
import { startNfdump } from '../nfdump-tool.js';
import { ExportReplay, type ExportDatagram, type ReplayResult } from './replay.js';
import { rewriteReplayed } from './replayed-output.js';
import { checkCollectors } from './tools.js';

/** Rejects kept per file; the rest are counted in one last row. */
const MAX_REJECTS = 1000;

/** Rejects of one source, bounded: a capture full of noise gives a few rows, not millions. */
export class RejectList {
  readonly items: SourceReject[] = [];
  #more = 0;

  add(reject: SourceReject): void {
    if (this.items.length < MAX_REJECTS) this.items.push(reject);
    else this.#more++;
  }

  /** The rows to quarantine. */
  rows(): SourceReject[] {
    return this.#more ? [...this.items, { reason: 'bad-record', detail: `${this.#more} more unreadable records, not listed one by one` }] : this.items;
  }
}

/** A decoder whose files hold flow export datagrams, replayed to nfcapd/sfcapd and read with nfdump. */
export function replayDecoder(d: {
  readonly name: string;
  readonly description: string;
  readonly accepts: (head: Buffer) => boolean;
  /** The file's datagrams in order; what cannot be replayed goes to `rejects`. */
  readonly datagrams: (file: SourceFile, rejects: RejectList, signal: AbortSignal) => AsyncIterable<ExportDatagram>;
}): ToolDecoder<typeof flow> {
  return {
    kind: 'tool',
    name: d.name,
    table: flow,
    description: d.description,
    accepts: (_file, head) => d.accepts(head),
    async check(ctx: DecodeContext) {
      await nfcapdDecoder.check(ctx);
      await checkCollectors(ctx);
    },
    async start(file: SourceFile, ctx: DecodeContext): Promise<ToolRun> {
      const rejects = new RejectList();
      return replayAsToolRun(ctx, d.datagrams(file, rejects, ctx.signal), rejects);
    },
  };
}

/**
 * Replay the export datagrams of one source to private collectors and hand nfdump's reading of
 * what they stored to the lake writer, with rip and treceived mapped back (replayed-output.ts).
 * What could not be replayed, what the collectors rejected and what loopback lost is quarantined.
 */
export async function replayAsToolRun(ctx: DecodeContext, datagrams: AsyncIterable<ExportDatagram>, rejects: RejectList): Promise<ToolRun> {
  const options = ctx.config.decoders.flowExport;
  // The collectors' files live in the source's staging area, removed with it once committed.
  if (!ctx.workDir) throw new Error('replaying flow exports needs a work folder (DecodeContext.workDir)');
  const outDir = ctx.workDir;
  await mkdir(outDir, { recursive: true });
  const replay = await ExportReplay.open({
    nfcapd: options.nfcapd,
    sfcapd: options.sfcapd,
    outDir,
    packetsPerSecond: options.packetsPerSecond,
    stepMs: options.receiveStepMs,
    ...(ctx.sensor ? { ident: ctx.sensor } : {}),
  });
  try {
    for await (const d of datagrams) {
      ctx.signal.throwIfAborted();
      await replay.send(d);
    }
  } catch (e) {
    await replay.abort();
    throw e;
  }
  const result: ReplayResult = await replay.finish();
  const sent = Object.values(result.sent).reduce((a, b) => a + b, 0);
  const layout = nfdumpLayout(ctx.sensor);
  if (sent === 0) {
    const why = rejects.items.length ? rejects.items.map((r) => r.detail).slice(0, 3).join('; ') : 'the file holds no flow export datagram';
    return { layout, stdout: Readable.from([]), finished: Promise.resolve({ error: `nothing to replay: ${why}` }), rejects: rejects.items.slice(3) };
  }
  for (const [kind, report] of Object.entries(result.reports)) {
    if (report.badPackets > 0) {
      rejects.add({ reason: 'bad-record', detail: `${kind} counted ${report.badPackets} of the replayed datagrams as bad packets (their records are lost)` });
    }
  }
  if (result.lost > 0) rejects.add({ reason: 'bad-record', detail: `${result.lost} replayed datagrams were lost on loopback: lower ingest.decoders.flowExport.packetsPerSecond` });

  const binary = ctx.config.decoders.nfdump.binary;
  const runs = (['nfcapd', 'sfcapd'] as const)
    .filter((kind) => result.files[kind].length > 0)
    .map((kind) => ({ kind, ...startNfdump(binary, ['-q', '-N', '-6', '-R', join(outDir, kind), '-o', NFDUMP_FORMAT], ctx.signal) }));
  const finished = Promise.all(runs.map((r) => r.finished)).then((outcomes) => {
    const errors = outcomes.flatMap((o) => (o.error ? [o.error] : []));
    return errors.length ? { error: errors.join('; ') } : {};
  });
  return { layout, stdout: rewriteReplayed(runs.map((r) => ({ stdout: r.stdout, timesAreReceived: r.kind === 'sfcapd' })), result), finished, rejects: rejects.rows() };
}
