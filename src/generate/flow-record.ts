import { flagsText } from '../shared/tcp-flags.js';

/**
 * One unidirectional NetFlow record as the simulated router exports it, shaped after the
 * canonical flow columns (src/schema/flow.ts) so a test can compare it field for field with
 * what nfdump reads back from nfcapd's files. Times are epoch milliseconds.
 */
export interface FlowRecord {
  readonly tstart: number;
  readonly tend: number;
  readonly sip: string;
  readonly dip: string;
  readonly sport: number;
  /** For ICMP, type * 256 + code, as nfdump reports it (sport is then 0). */
  readonly dport: number;
  /** Canonical upper-case protocol name (TCP, UDP, ICMP, ICMP6). */
  readonly proto: string;
  /** nfdump's eight positions CWR ECE URG ACK PSH RST SYN FIN; all dots for non-TCP records. */
  readonly flag: string;
  readonly stos: number;
  readonly dtos: number;
  readonly ipkt: number;
  readonly ibyt: number;
  readonly input: number;
  readonly output: number;
  readonly sas: number;
  readonly das: number;
  /** 0 ingress, 1 egress: the exporter meters every interface on ingress. */
  readonly dir: number;
  readonly fwd: number;
  /** When the exporter sent the record (the export packet's unix_secs comes from it). */
  readonly exported: number;
  /** The labels.csv id of the session this record belongs to, or null for background. */
  readonly label: string | null;
}

/** Every flag byte's text, computed once: records are made by the million. */
const FLAG_TEXT = Array.from({ length: 256 }, (_, bits) => flagsText(bits));
const FLAG_BITS = new Map(FLAG_TEXT.map((text, bits) => [text, bits]));

/** TCP flag bits to nfdump's text ("...AP.S."). */
export function flagString(bits: number): string {
  return FLAG_TEXT[bits & 0xff]!;
}

/** nfdump's eight-position flag text back to bits; throws on anything else. */
export function flagBits(text: string): number {
  const bits = FLAG_BITS.get(text);
  if (bits === undefined) throw new Error(`not a TCP flag string: ${JSON.stringify(text)}`);
  return bits;
}
