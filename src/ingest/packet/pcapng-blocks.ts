import { PCAPNG_BOM, PCAPNG_SHB } from './capture-format.js';
import { InterfaceClock } from './interface-clock.js';
import { CaptureCorrupt, hexExcerpt, MAX_BLOCK_BYTES, type PacketHandler, type RecordFormat } from './record-format.js';

const IDB = 1;
const OPB = 2;
const SPB = 3;
const EPB = 6;
const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;
const BLOCK_MIN = 12;

interface CaptureInterface {
  readonly linkType: number;
  readonly snapLen: number;
  readonly clock: InterfaceClock;
}

/**
 * pcapng: blocks of type, total length, body and the total length again. A section header block
 * (SHB) sets the byte order and starts a new list of interfaces; each interface description block
 * (IDB) adds an interface with its link type and clock (if_tsresol, if_tsoffset). Packets come in
 * enhanced (EPB), simple (SPB, interface 0, no timestamp: time 0, as Wireshark shows it) and
 * obsolete (OPB) packet blocks. Every other block type is skipped.
 */
export class PcapngBlocks implements RecordFormat {
  readonly headerBytes = BLOCK_MIN;
  frames = 0;
  #le = true;
  #sectionSeen = false;
  #interfaces: CaptureInterface[] = [];

  constructor(private readonly handler: PacketHandler) {}

  isPacket(buf: Buffer, pos: number, available: number): boolean {
    if (available < 4) return false;
    const type = this.#u32(buf, pos);
    return type === EPB || type === SPB || type === OPB;
  }

  recordLength(buf: Buffer, pos: number): number {
    const type = buf.readUInt32LE(pos);
    if (type === PCAPNG_SHB) {
      if (buf.readUInt32LE(pos + 8) === PCAPNG_BOM) this.#le = true;
      else if (buf.readUInt32BE(pos + 8) === PCAPNG_BOM) this.#le = false;
      else throw new CaptureCorrupt('section header block without the byte-order magic 0x1a2b3c4d');
      this.#sectionSeen = true;
    } else if (!this.#sectionSeen) {
      throw new CaptureCorrupt('pcapng file without a section header block');
    }
    const length = this.#u32(buf, pos + 4);
    if (length < BLOCK_MIN || length % 4 !== 0 || length > MAX_BLOCK_BYTES) {
      throw new CaptureCorrupt(`block of type ${this.#u32(buf, pos)} with total length ${length}: not a multiple of 4 from 12 to ${MAX_BLOCK_BYTES}, the file is corrupt from here`);
    }
    return length;
  }

  record(buf: Buffer, pos: number, length: number, offset: number): void {
    if (this.#u32(buf, pos + length - 4) !== length) {
      throw new CaptureCorrupt(`block total length ${length} is not repeated at the end of the block: the file is corrupt from here`);
    }
    const type = this.#u32(buf, pos);
    if (type === PCAPNG_SHB) this.#section(buf, pos, length);
    else if (type === IDB) this.#interface(buf, pos, length, offset);
    else if (type === EPB || type === OPB) this.#packet(buf, pos, length, offset, type);
    else if (type === SPB) this.#simplePacket(buf, pos, length, offset);
  }

  #section(buf: Buffer, pos: number, length: number): void {
    const major = this.#le ? buf.readUInt16LE(pos + 12) : buf.readUInt16BE(pos + 12);
    if (major !== 1 || length < 28) throw new CaptureCorrupt(`section header block of pcapng version ${major}, length ${length}: only version 1 is known`);
    this.#interfaces = [];
  }

  #interface(buf: Buffer, pos: number, length: number, offset: number): void {
    if (length < 20) {
      this.handler.badRecord('bad-record', offset, 0, `interface description block of ${length} bytes, shorter than its 20-byte minimum`, hexExcerpt(buf, pos, pos + length));
      return;
    }
    const linkType = this.#u16(buf, pos + 8);
    const snapLen = this.#u32(buf, pos + 12);
    let resolution = 6;
    let offsetSeconds = 0;
    const end = pos + length - 4;
    for (let p = pos + 16; p + 4 <= end; ) {
      const code = this.#u16(buf, p);
      const size = this.#u16(buf, p + 2);
      if (code === 0 || p + 4 + size > end) break;
      if (code === OPT_IF_TSRESOL && size >= 1) resolution = buf[p + 4]!;
      else if (code === OPT_IF_TSOFFSET && size >= 8) offsetSeconds = Number(this.#le ? buf.readBigInt64LE(p + 4) : buf.readBigInt64BE(p + 4));
      p += 4 + ((size + 3) & ~3);
    }
    this.#interfaces.push({ linkType, snapLen, clock: new InterfaceClock(resolution, offsetSeconds) });
  }

  #packet(buf: Buffer, pos: number, length: number, offset: number, type: number): void {
    const frame = ++this.frames;
    const id = type === EPB ? this.#u32(buf, pos + 8) : this.#u16(buf, pos + 8);
    const iface = this.#interfaces[id];
    const capLen = length < 32 ? 0 : this.#u32(buf, pos + 20);
    let problem: string | null = null;
    if (length < 32) problem = `packet block of ${length} bytes, shorter than its 32-byte minimum`;
    else if (!iface) problem = `packet of interface ${id}, which no interface description block declared`;
    else if (28 + capLen + 4 > length) problem = `packet block of ${length} bytes cannot hold the ${capLen} captured bytes it announces`;
    if (problem !== null || !iface) {
      this.handler.badRecord('bad-record', offset, frame, problem ?? `packet of interface ${id}`, hexExcerpt(buf, pos, pos + length));
      return;
    }
    const micros = iface.clock.micros(this.#u32(buf, pos + 12), this.#u32(buf, pos + 16));
    this.handler.packet(iface.linkType, buf, pos + 28, capLen, this.#u32(buf, pos + 24), micros, offset, frame);
  }

  #simplePacket(buf: Buffer, pos: number, length: number, offset: number): void {
    const frame = ++this.frames;
    const iface = this.#interfaces[0];
    if (!iface || length < 16) {
      const detail = iface ? `simple packet block of ${length} bytes, shorter than its 16-byte minimum` : 'simple packet block before any interface description block';
      this.handler.badRecord('bad-record', offset, frame, detail, hexExcerpt(buf, pos, pos + length));
      return;
    }
    const origLen = this.#u32(buf, pos + 8);
    let capLen = Math.min(origLen, length - 16);
    if (iface.snapLen > 0) capLen = Math.min(capLen, iface.snapLen);
    this.handler.packet(iface.linkType, buf, pos + 12, capLen, origLen, 0, offset, frame);
  }

  #u32(buf: Buffer, pos: number): number {
    return this.#le ? buf.readUInt32LE(pos) : buf.readUInt32BE(pos);
  }

  #u16(buf: Buffer, pos: number): number {
    return this.#le ? buf.readUInt16LE(pos) : buf.readUInt16BE(pos);
  }
}
