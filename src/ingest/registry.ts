import type { TelemetryType } from '../schema/index.js';
import type { Decoder, SourceFile } from './decoder.js';
import { pcapDnsDecoder } from './dns/pcap-dns.js';
import { tsharkDnsDecoder } from './dns/tshark-dns.js';
import { zeekDnsDecoder } from './dns/zeek-dns.js';
import { PROXY_DECODERS } from './proxy/index.js';
import { argusBinetflowDecoder } from './flow/argus-binetflow.js';
import { flowExportPcapDecoder } from './flow/export/export-capture.js';
import { flowExportRawDecoder } from './flow/export/export-raw.js';
import { nfcapdDecoder } from './flow/nfcapd.js';
import { nfdumpCsvDecoder } from './flow/nfdump-csv.js';
import { nfpcapdDecoder } from './flow/nfpcapd.js';
import { zeekConnDecoder } from './flow/zeek-conn.js';

/** Every decoder, by telemetry type, in the order formats are tried. */
export const DECODERS = {
  // nfcapd's magic first; captures of flow exports before other captures (nfpcapd); text formats last.
  flow: [nfcapdDecoder, flowExportPcapDecoder, flowExportRawDecoder, nfpcapdDecoder, zeekConnDecoder, argusBinetflowDecoder, nfdumpCsvDecoder],
  // Native first and tshark last: detection never picks the reference decoder, --decoder tshark does.
  dns: [pcapDnsDecoder, zeekDnsDecoder, tsharkDnsDecoder],
  proxy: PROXY_DECODERS,
} as const satisfies Record<TelemetryType, readonly Decoder[]>;

export function decodersFor(type: TelemetryType): readonly Decoder[] {
  return DECODERS[type];
}

export function decoderNamed(name: string): Decoder | undefined {
  for (const list of Object.values(DECODERS) as (readonly Decoder[])[]) {
    const found = list.find((d) => d.name === name);
    if (found) return found;
  }
  return undefined;
}

/** The first decoder of the type that recognises the file, or undefined. */
export function detectDecoder(type: TelemetryType, file: SourceFile, head: Buffer): Decoder | undefined {
  return decodersFor(type).find((d) => d.accepts(file, head));
}
