import { dns } from '../../schema/index.js';
import type { DecodeContext, RowDecoder, RowSink, SourceFile } from '../decoder.js';
import { openBytes } from '../source.js';
import { captureKind } from '../packet/capture-format.js';
import { CaptureReader } from '../packet/capture-reader.js';
import { DnsPacketDecoder, type CaptureStats, type DnsPacketOptions } from './dns-packet-decoder.js';

/**
 * Read a capture file (pcap or pcapng, plain or gzip) as it streams, into dns rows. The file is
 * never held in memory: records are read from the chunks as they come.
 */
export async function decodeCapture(path: string, sink: RowSink<typeof dns>, options: DnsPacketOptions, signal?: AbortSignal): Promise<CaptureStats> {
  const decoder = new DnsPacketDecoder(sink, options);
  const reader = new CaptureReader(decoder);
  for await (const chunk of await openBytes(path)) {
    signal?.throwIfAborted();
    reader.push(chunk as Buffer);
    if (reader.stopped) break;
  }
  reader.end();
  decoder.finish();
  return decoder.stats;
}

/** The native DNS decoder of packet captures: preferred by format detection, tshark is its reference. */
export const pcapDnsDecoder: RowDecoder<typeof dns> = {
  kind: 'rows',
  name: 'pcap-dns',
  table: dns,
  description: 'DNS messages of pcap and pcapng captures (plain or gzip), over UDP and TCP, decoded natively',

  accepts(_file: SourceFile, head: Buffer): boolean {
    return captureKind(head) !== null;
  },

  async decode(file: SourceFile, sink: RowSink<typeof dns>, ctx: DecodeContext): Promise<void> {
    await decodeCapture(file.path, sink, { ports: ctx.config.decoders.dns.ports, sensor: ctx.sensor }, ctx.signal);
  },
};
