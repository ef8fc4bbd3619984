import type { RejectReason } from '../../schema/index.js';

/**
 * What the capture readers hand on. packet() is called once per captured packet with views into
 * a buffer that is reused afterwards: whatever is kept beyond the call must be copied.
 */
export interface PacketHandler {
  /**
   * One packet: its link type, its captured bytes data[start, start + capLen), its length on the
   * wire, its capture time in epoch microseconds, the byte offset of its record in the
   * (decompressed) file and its 1-based frame number, as Wireshark counts frames.
   */
  packet(linkType: number, data: Buffer, start: number, capLen: number, origLen: number, micros: number, offset: number, frame: number): void;
  /** A record that cannot be read. frame is 0 when the record is not a packet. */
  badRecord(reason: RejectReason, offset: number, frame: number, detail: string, excerpt: string): void;
}

/** A capture file format, read one record (pcap packet record, pcapng block) at a time. */
export interface RecordFormat {
  /** Bytes needed at the start of a record to tell its length. */
  readonly headerBytes: number;
  /** Packet records read so far, bad ones included. */
  readonly frames: number;
  /** Whether the record at pos, of which only `available` bytes exist, is a packet (counted as a frame). */
  isPacket(buf: Buffer, pos: number, available: number): boolean;
  /** Length of the record at pos, header included. Throws CaptureCorrupt when it cannot be told. */
  recordLength(buf: Buffer, pos: number): number;
  /** Read one whole record of that length, found at the given file offset. */
  record(buf: Buffer, pos: number, length: number, offset: number): void;
}

/** The file cannot be read past this point: no later record can be found. */
export class CaptureCorrupt extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'CaptureCorrupt';
  }
}

/** Largest packet the readers accept, as libpcap and Wireshark do for ordinary link types. */
export const MAX_PACKET_BYTES = 262_144;
/** Largest pcapng block: a packet of the largest size plus generous room for options. */
export const MAX_BLOCK_BYTES = 16 * 1024 * 1024;
/** Bytes of a bad record shown, in hex, in its quarantine excerpt. */
const EXCERPT_BYTES = 256;

/** The first bytes of a record as hex, for a quarantine excerpt. */
export function hexExcerpt(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, Math.max(0, Math.min(end, start + EXCERPT_BYTES) - start)).toString('hex');
}
