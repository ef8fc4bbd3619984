import { PCAP_MICRO_BE, PCAP_MICRO_LE, PCAP_NANO_BE, PCAP_NANO_LE } from './capture-format.js';
import { CaptureCorrupt, hexExcerpt, MAX_PACKET_BYTES, type PacketHandler, type RecordFormat } from './record-format.js';

const FILE_HEADER = 24;
const RECORD_HEADER = 16;

/**
 * Classic pcap (libpcap 2.4): a 24-byte file header, then records of a 16-byte header (seconds,
 * micro- or nanoseconds, captured and original length) and the packet. The byte order is the
 * writer's, told by the magic number. The link type field's upper bits carry FCS flags: masked off.
 */
export class PcapRecords implements RecordFormat {
  headerBytes = FILE_HEADER;
  frames = 0;
  #le = true;
  #nano = false;
  #linkType = -1;
  #maxCapLen = MAX_PACKET_BYTES;

  constructor(private readonly handler: PacketHandler) {}

  isPacket(): boolean {
    return this.#linkType >= 0;
  }

  recordLength(buf: Buffer, pos: number): number {
    if (this.#linkType < 0) return FILE_HEADER;
    const capLen = this.#u32(buf, pos + 8);
    if (capLen > this.#maxCapLen) {
      throw new CaptureCorrupt(`packet record ${this.frames + 1} claims ${capLen} captured bytes, more than the ${this.#maxCapLen} a packet can have: the file is corrupt from here`);
    }
    return RECORD_HEADER + capLen;
  }

  record(buf: Buffer, pos: number, length: number, offset: number): void {
    if (this.#linkType < 0) return this.#fileHeader(buf, pos);
    const frame = ++this.frames;
    const seconds = this.#u32(buf, pos);
    const fraction = this.#u32(buf, pos + 4);
    const origLen = this.#u32(buf, pos + 12);
    const limit = this.#nano ? 1_000_000_000 : 1_000_000;
    if (fraction >= limit) {
      this.handler.badRecord('bad-timestamp', offset, frame, `packet record with ${fraction} ${this.#nano ? 'nano' : 'micro'}seconds, more than one second`, hexExcerpt(buf, pos, pos + length));
      return;
    }
    const micros = seconds * 1_000_000 + (this.#nano ? Math.floor(fraction / 1000) : fraction);
    this.handler.packet(this.#linkType, buf, pos + RECORD_HEADER, length - RECORD_HEADER, origLen, micros, offset, frame);
  }

  /** A 32-bit field in the file's byte order, read without Buffer's bounds-checking helpers: this runs per packet. */
  #u32(buf: Buffer, pos: number): number {
    return this.#le
      ? ((buf[pos + 3]! << 24) | (buf[pos + 2]! << 16) | (buf[pos + 1]! << 8) | buf[pos]!) >>> 0
      : ((buf[pos]! << 24) | (buf[pos + 1]! << 16) | (buf[pos + 2]! << 8) | buf[pos + 3]!) >>> 0;
  }

  #fileHeader(buf: Buffer, pos: number): void {
    const magic = buf.readUInt32BE(pos);
    this.#le = magic === PCAP_MICRO_LE || magic === PCAP_NANO_LE;
    this.#nano = magic === PCAP_NANO_LE || magic === PCAP_NANO_BE;
    if (!this.#le && magic !== PCAP_MICRO_BE && magic !== PCAP_NANO_BE) throw new CaptureCorrupt('not a pcap file header');
    const snapLen = this.#le ? buf.readUInt32LE(pos + 16) : buf.readUInt32BE(pos + 16);
    // Some writers put a snap length larger than any packet; the packet limit still applies.
    this.#maxCapLen = Math.max(MAX_PACKET_BYTES, Math.min(snapLen, 16 * MAX_PACKET_BYTES));
    this.#linkType = (this.#le ? buf.readUInt32LE(pos + 20) : buf.readUInt32BE(pos + 20)) & 0xffff;
    this.headerBytes = RECORD_HEADER;
  }
}
