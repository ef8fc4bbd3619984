import type { RejectReason } from '../../../schema/index.js';
import { captureKind } from '../../packet/capture-format.js';
import { CaptureReader } from '../../packet/capture-reader.js';
import { UdpDatagrams, type UdpDatagram } from '../../packet/udp-datagrams.js';
import { openBytes } from '../../source.js';
import { checkExport } from './export-message.js';
import type { ExportDatagram } from './replay.js';
import { RejectList, replayDecoder } from './replay-run.js';

/** What a capture held besides flow exports, reported in one quarantine row each. */
interface Noise {
  count: number;
  first: string;
}

/**
 * The flow export datagrams of a capture, in capture order, classified by their headers (not by
 * port): NetFlow v5/v9, IPFIX and sFlow may share one capture. Broken exports are rejected with
 * their frame and offset; other UDP datagrams and non-UDP packets are counted.
 */
export async function* captureExports(path: string, rejects: RejectList, signal: AbortSignal): AsyncGenerator<ExportDatagram> {
  const found: ExportDatagram[] = [];
  const notExport: Noise = { count: 0, first: '' };
  const handler = {
    datagram(d: UdpDatagram) {
      const check = checkExport(d.data, d.start, d.end);
      if ('length' in check) {
        if (check.warning) rejects.add({ reason: 'bad-record', line: d.frame, detail: `offset ${d.offset}: ${check.warning}; replayed anyway` });
        found.push({ exporter: d.src, kind: check.kind, payload: Buffer.from(d.data.subarray(d.start, d.end)), micros: d.micros });
      } else if (check.kind) {
        rejects.add({ reason: 'bad-record', line: d.frame, detail: `offset ${d.offset}: ${check.kind} datagram from ${d.src}:${d.sport}, byte ${check.at - d.start}: ${check.problem}` });
      } else if (notExport.count++ === 0) {
        notExport.first = `frame ${d.frame} (offset ${d.offset}), ${d.src}:${d.sport} → ${d.dst}:${d.dport}: ${check.problem}`;
      }
    },
    bad(reason: RejectReason, offset: number, frame: number, detail: string) {
      rejects.add({ reason, ...(frame > 0 ? { line: frame } : {}), detail: `offset ${offset}: ${detail}` });
    },
  };
  const udp = new UdpDatagrams(handler);
  const reader = new CaptureReader(udp);
  for await (const chunk of await openBytes(path)) {
    signal.throwIfAborted();
    reader.push(chunk);
    yield* found.splice(0);
    if (reader.stopped) break;
  }
  reader.end();
  yield* found.splice(0);
  if (notExport.count) rejects.add({ reason: 'bad-record', detail: `${notExport.count} UDP datagrams are no flow exports, first ${notExport.first}` });
  if (udp.stats.notUdp) rejects.add({ reason: 'bad-record', detail: `${udp.stats.notUdp} packets are not UDP and carry no flow export` });
}

/** Whether the first bytes of a capture hold a flow export datagram. */
export function headHasExports(head: Buffer): boolean {
  if (captureKind(head) === null) return false;
  let found = false;
  const udp = new UdpDatagrams({
    datagram: (d) => {
      if (!found) found = 'length' in checkExport(d.data, d.start, d.end);
    },
    bad: () => undefined,
  });
  new CaptureReader(udp).push(head);
  return found;
}

/**
 * Captures (pcap or pcapng, plain or gzip) of NetFlow v5/v9, IPFIX or sFlow export datagrams,
 * replayed to private nfcapd/sfcapd collectors on loopback and read back with nfdump.
 */
export const flowExportPcapDecoder = replayDecoder({
  name: 'flow-export-pcap',
  description: 'captures of NetFlow v5/v9, IPFIX and sFlow v5 export datagrams, replayed to nfcapd/sfcapd on loopback and read with nfdump',
  accepts: headHasExports,
  datagrams: (file, rejects, signal) => captureExports(file.path, rejects, signal),
});
