import { captureKind } from './capture-format.js';
import { PcapRecords } from './pcap-records.js';
import { PcapngBlocks } from './pcapng-blocks.js';
import { CaptureCorrupt, hexExcerpt, type PacketHandler, type RecordFormat } from './record-format.js';

/** Bytes needed to tell pcap from pcapng. */
const SNIFF_BYTES = 12;

/**
 * Reads a capture as it streams in, chunk by chunk, and hands each packet to the handler. Records
 * are read in place from the chunk; only a record that straddles two chunks is copied, into a
 * carry buffer as large as the largest such record. A corrupt record header (no later record can
 * be found) and a file that ends inside a record are reported once, after the packets before them.
 */
export class CaptureReader {
  #format: RecordFormat | null = null;
  #carry = Buffer.alloc(64 * 1024);
  #carryLength = 0;
  #carryOffset = 0;
  /** File offset of the first byte of the chunk being read. */
  #base = 0;
  /** File offset of the record being read, for the report when it turns out corrupt. */
  #at = 0;
  #stopped = false;

  constructor(private readonly handler: PacketHandler) {}

  /** True once the file cannot be read any further: later chunks are ignored. */
  get stopped(): boolean {
    return this.#stopped;
  }

  push(chunk: Buffer): void {
    if (this.#stopped) return;
    try {
      let pos = 0;
      if (this.#carryLength > 0 || !this.#format) pos = this.#completeCarry(chunk);
      if (pos >= 0) {
        pos = this.#records(chunk, pos);
        this.#keep(chunk, pos);
      }
    } catch (e) {
      if (!(e instanceof CaptureCorrupt)) throw e;
      this.#stop(e.detail);
    }
    this.#base += chunk.length;
  }

  /** The end of the file: a record left incomplete is a truncated file. */
  end(): void {
    if (this.#stopped || this.#carryLength === 0) return;
    const carry = this.#carry;
    const format = this.#format;
    let detail: string;
    if (!format) detail = `the file ends after ${this.#carryLength} bytes, too short to be a capture`;
    else if (this.#carryLength < format.headerBytes) detail = `the file ends inside a record header: ${this.#carryLength} of its ${format.headerBytes} bytes`;
    else detail = `the file ends inside a record: ${this.#carryLength} of its ${format.recordLength(carry, 0)} bytes`;
    const frame = format?.isPacket(carry, 0, this.#carryLength) ? format.frames + 1 : 0;
    this.handler.badRecord('truncated', this.#carryOffset, frame, detail, hexExcerpt(carry, 0, this.#carryLength));
    this.#carryLength = 0;
  }

  /** Complete the record begun in the carry buffer; the chunk position after it, or -1 when the chunk did not suffice. */
  #completeCarry(chunk: Buffer): number {
    let used = 0;
    if (this.#carryLength === 0) this.#carryOffset = this.#base;
    for (;;) {
      const need = this.#format ? this.#format.headerBytes : SNIFF_BYTES;
      used = this.#fill(chunk, used, need);
      if (this.#carryLength < need) return -1;
      this.#at = this.#carryOffset;
      if (!this.#format) {
        this.#format = this.#open(this.#carry);
        continue;
      }
      const length = this.#format.recordLength(this.#carry, 0);
      used = this.#fill(chunk, used, length);
      if (this.#carryLength < length) return -1;
      this.#format.record(this.#carry, 0, length, this.#carryOffset);
      this.#carryLength = 0;
      return used;
    }
  }

  /** Copy bytes from the chunk until the carry holds `size` bytes; the chunk position reached. */
  #fill(chunk: Buffer, from: number, size: number): number {
    if (this.#carryLength >= size) return from;
    const take = Math.min(size - this.#carryLength, chunk.length - from);
    if (this.#carry.length < this.#carryLength + take) {
      // Grown with the bytes that come, not to the length a (maybe corrupt) header announces.
      const larger = Buffer.alloc(Math.min(size, Math.max(this.#carryLength + take, this.#carry.length * 2)));
      this.#carry.copy(larger, 0, 0, this.#carryLength);
      this.#carry = larger;
    }
    chunk.copy(this.#carry, this.#carryLength, from, from + take);
    this.#carryLength += take;
    return from + take;
  }

  #records(chunk: Buffer, start: number): number {
    const format = this.#format!;
    const end = chunk.length;
    let pos = start;
    while (end - pos >= format.headerBytes) {
      this.#at = this.#base + pos;
      const length = format.recordLength(chunk, pos);
      if (end - pos < length) break;
      format.record(chunk, pos, length, this.#base + pos);
      pos += length;
    }
    return pos;
  }

  /** Keep the unread tail of the chunk, the start of a record, for the next chunk. */
  #keep(chunk: Buffer, pos: number): void {
    if (pos >= chunk.length) return;
    this.#carryOffset = this.#base + pos;
    this.#carryLength = 0;
    this.#fill(chunk, pos, chunk.length - pos);
  }

  #open(head: Buffer): RecordFormat {
    const kind = captureKind(head);
    if (kind === 'pcap') return new PcapRecords(this.handler);
    if (kind === 'pcapng') return new PcapngBlocks(this.handler);
    throw new CaptureCorrupt('not a pcap or pcapng file: its first bytes are no capture magic number');
  }

  #stop(detail: string): void {
    this.#stopped = true;
    this.#carryLength = 0;
    this.handler.badRecord('bad-record', this.#at, 0, detail, '');
  }
}
