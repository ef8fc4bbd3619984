import type { SourceFile } from '../../decoder.js';
import { captureKind } from '../../packet/capture-format.js';
import { openBytes } from '../../source.js';
import { checkExport, type ExportKind } from './export-message.js';
import type { ExportDatagram } from './replay.js';
import { RejectList, replayDecoder } from './replay-run.js';

/** The largest UDP payload: a v9 or sFlow message, which carries no length, is at most this. */
const MAX_DATAGRAM = 65_507;
/** Bytes gathered before an incomplete message is judged broken rather than waiting for more. */
const LOOKAHEAD = 2 * 65_536;

/**
 * The export messages of a bare payload file, back to back: NetFlow v5 split by its record count,
 * IPFIX by its message length; NetFlow v9 and sFlow carry no length, so the rest of the file is
 * one message. A message that cannot be read ends the file with a reject naming its offset: no
 * later message boundary can be trusted.
 */
export async function* rawExports(file: SourceFile, rejects: RejectList, signal: AbortSignal): AsyncGenerator<ExportDatagram> {
  let buf: Buffer = Buffer.alloc(0);
  let base = 0;
  const next = (final: boolean): { message?: ExportDatagram; stop?: boolean } | null => {
    if (buf.length === 0 || (!final && buf.length < LOOKAHEAD)) return null;
    const check = checkExport(buf, 0, buf.length);
    if (!('length' in check)) {
      const what = check.kind ? `${check.kind} message` : 'data';
      rejects.add({ reason: 'bad-record', detail: `offset ${base + check.at}: ${what} at offset ${base}: ${check.problem}` });
      return { stop: true };
    }
    if (check.length > MAX_DATAGRAM) {
      rejects.add({ reason: 'bad-record', detail: `offset ${base}: ${check.kind} message of ${check.length} bytes, more than a UDP datagram holds (a v9 or sFlow file is one datagram)` });
      return { stop: true };
    }
    if (check.warning) rejects.add({ reason: 'bad-record', detail: `offset ${base}: ${check.warning}; replayed anyway` });
    const payload = Buffer.from(buf.subarray(0, check.length));
    buf = buf.subarray(check.length);
    base += check.length;
    return { message: { exporter: '', kind: check.kind, payload, micros: exportMicros(check.kind, payload) ?? Math.round(file.mtimeMs * 1000) } };
  };
  for await (const chunk of await openBytes(file.path)) {
    signal.throwIfAborted();
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    for (let step = next(false); step; step = next(false)) {
      if (step.stop) return;
      yield step.message!;
    }
  }
  for (let step = next(true); step; step = next(true)) {
    if (step.stop) return;
    yield step.message!;
  }
}

/** The export time a message's header carries, epoch microseconds (sFlow has none). */
function exportMicros(kind: ExportKind, m: Buffer): number | null {
  if (kind === 'netflow-v5') return m.readUInt32BE(8) * 1e6 + Math.floor(m.readUInt32BE(12) / 1000);
  if (kind === 'netflow-v9') return m.readUInt32BE(8) * 1e6;
  if (kind === 'ipfix') return m.readUInt32BE(4) * 1e6;
  return null;
}

/** Whether a file starts like a bare export message (not a capture, not an nfcapd file). */
function looksRaw(head: Buffer): boolean {
  if (head.length < 4 || head[0] !== 0 || captureKind(head) !== null) return false;
  return checkExport(head, 0, head.length).kind !== null;
}

/**
 * Bare export payloads (.dat: what a collector's socket received, one or more messages back to
 * back), replayed to nfcapd/sfcapd like captured datagrams. The file names no exporter: rip is
 * null; treceived is the export time in each message's header (the file's mtime for sFlow).
 */
export const flowExportRawDecoder = replayDecoder({
  name: 'flow-export-raw',
  description: 'bare NetFlow v5/v9, IPFIX or sFlow v5 export payloads (.dat), replayed to nfcapd/sfcapd on loopback and read with nfdump',
  accepts: looksRaw,
  datagrams: rawExports,
});
