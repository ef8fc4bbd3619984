import { displayText, isPlain, latin1 } from './dns-text.js';
import type { IpText } from '../packet/ip-text.js';

const TYPE_A = 1;
const TYPE_NS = 2;
const TYPE_CNAME = 5;
const TYPE_SOA = 6;
const TYPE_PTR = 12;
const TYPE_MX = 15;
const TYPE_TXT = 16;
const TYPE_AAAA = 28;
const TYPE_SRV = 33;
/** A name is at most 255 bytes on the wire (RFC 1035 §3.1), a label 63. */
const NAME_MAX = 255;
/** mDNS questions borrow the class's top bit to ask for a unicast response (RFC 6762 §5.4). */
const MDNS_UNICAST_RESPONSE = 0x8000;

/** Why a message cannot be read. Not an Error: malformed packets can be many, and need no stack. */
export class MalformedDns {
  constructor(readonly detail: string) {}
}

/**
 * Reads one DNS message (RFC 1035 §4.1): the header, every question and every resource record of
 * the three record sections. Only what the dns table keeps is turned into text: the first
 * question, and the data of each answer record; the other records are checked, not kept, so that
 * a malformed authority or additional record makes the message malformed, as it does for tshark.
 *
 * Answer data as text: A and AAAA the canonical address; CNAME, NS and PTR the name; MX
 * "preference name"; TXT its character-strings concatenated; SOA "mname rname serial refresh retry
 * expire minimum"; SRV "priority weight port target"; any other type, and data of length 0 (as in
 * dynamic-update prerequisites), RFC 3597's generic "\# length hex". Names have no trailing dot;
 * the root is ".". Names and strings are text as dns-text.ts makes it.
 *
 * Names: compression pointers must point before the start of the labels being read, so every
 * jump goes strictly backwards and loops are impossible (forward pointers are refused); labels
 * longer than 63 bytes (the 0x40 and 0x80 label types) and names over 255 bytes are malformed.
 * Bytes after the last record are ignored, as tshark ignores them.
 *
 * One instance is reused: read() leaves the results in its fields.
 */
export class DnsMessageReader {
  id = 0;
  flags = 0;
  /** First question: null without one. */
  name: string | null = null;
  type: number | null = null;
  class: number | null = null;
  answers: string[] = [];
  /** First A or AAAA address of the answers. */
  address: string | null = null;
  /** Smallest answer TTL. */
  ttl: number | null = null;

  readonly #scratch = Buffer.alloc(NAME_MAX + 1);
  #base = 0;
  #end = 0;
  /** Where the name just read ends in place. */
  #next = 0;
  /** Whether the record data just read was an address. */
  #isAddress = false;

  constructor(private readonly ipText: IpText) {}

  /** Read the message in buf[start, end); throws MalformedDns. mdns: clear the unicast-response bit of question classes. */
  read(buf: Buffer, start: number, end: number, mdns: boolean): void {
    this.#base = start;
    this.#end = end;
    if (end - start < 12) throw new MalformedDns(`${end - start} bytes, shorter than the 12-byte DNS header`);
    this.id = u16(buf, start);
    this.flags = u16(buf, start + 2);
    const questions = u16(buf, start + 4);
    const answers = u16(buf, start + 6);
    const others = u16(buf, start + 8) + u16(buf, start + 10);
    this.name = null;
    this.type = null;
    this.class = null;
    this.address = null;
    this.ttl = null;
    this.answers = [];
    let p = start + 12;
    for (let i = 0; i < questions; i++) {
      const name = this.#name(buf, p, end, i === 0);
      p = this.#next;
      if (end - p < 4) throw new MalformedDns(`question ${i + 1} of ${questions} cut after its name`);
      if (i === 0) {
        this.name = name;
        this.type = u16(buf, p);
        this.class = mdns ? u16(buf, p + 2) & ~MDNS_UNICAST_RESPONSE : u16(buf, p + 2);
      }
      p += 4;
    }
    for (let i = 0; i < answers; i++) p = this.#record(buf, p, true, i, answers);
    for (let i = 0; i < others; i++) p = this.#record(buf, p, false, answers + i, answers + others);
  }

  /** One resource record at p; its data kept as an answer when `keep`. The position after it. */
  #record(buf: Buffer, p: number, keep: boolean, index: number, count: number): number {
    this.#name(buf, p, this.#end, false);
    p = this.#next;
    if (this.#end - p < 10) throw new MalformedDns(`resource record ${index + 1} of ${count} cut after its name`);
    const type = u16(buf, p);
    const ttl = u32(buf, p + 4);
    const length = u16(buf, p + 8);
    p += 10;
    if (this.#end - p < length) throw new MalformedDns(`resource record ${index + 1} of ${count} (type ${type}) has ${length} data bytes, ${this.#end - p} are left`);
    const text = this.#data(buf, type, p, p + length, keep);
    if (keep) {
      this.answers.push(text);
      if (this.#isAddress && this.address === null) this.address = text;
      if (this.ttl === null || ttl < this.ttl) this.ttl = ttl;
    }
    return p + length;
  }

  /** Record data in buf[start, end) as text ('' when not wanted); throws when it does not fit its type. */
  #data(buf: Buffer, type: number, start: number, end: number, want: boolean): string {
    this.#isAddress = false;
    const length = end - start;
    if (length === 0) return want ? '\\# 0' : '';
    switch (type) {
      case TYPE_A:
      case TYPE_AAAA: {
        const size = type === TYPE_A ? 4 : 16;
        if (length !== size) throw new MalformedDns(`${type === TYPE_A ? 'A' : 'AAAA'} record with ${length} data bytes instead of ${size}`);
        this.#isAddress = true;
        return !want ? '' : type === TYPE_A ? this.ipText.v4(buf, start) : this.ipText.v6(buf, start);
      }
      case TYPE_NS:
      case TYPE_CNAME:
      case TYPE_PTR:
        return this.#name(buf, start, end, want);
      case TYPE_MX: {
        if (length < 3) throw new MalformedDns(`MX record with ${length} data bytes`);
        const name = this.#name(buf, start + 2, end, want);
        return want ? `${u16(buf, start)} ${name}` : '';
      }
      case TYPE_TXT:
        return this.#strings(buf, start, end, want);
      case TYPE_SOA: {
        const mname = this.#name(buf, start, end, want);
        const rname = this.#name(buf, this.#next, end, want);
        const p = this.#next;
        if (end - p < 20) throw new MalformedDns(`SOA record cut: ${end - p} of the 20 bytes of numbers after its names`);
        return want ? `${mname} ${rname} ${u32(buf, p)} ${u32(buf, p + 4)} ${u32(buf, p + 8)} ${u32(buf, p + 12)} ${u32(buf, p + 16)}` : '';
      }
      case TYPE_SRV: {
        if (length < 7) throw new MalformedDns(`SRV record with ${length} data bytes`);
        const target = this.#name(buf, start + 6, end, want);
        return want ? `${u16(buf, start)} ${u16(buf, start + 2)} ${u16(buf, start + 4)} ${target}` : '';
      }
      default:
        return want ? `\\# ${length} ${buf.toString('hex', start, end)}` : '';
    }
  }

  /** TXT character-strings, each a length byte and its bytes, concatenated. */
  #strings(buf: Buffer, start: number, end: number, want: boolean): string {
    let text = '';
    for (let p = start; p < end; ) {
      const length = buf[p]!;
      const from = p + 1;
      p = from + length;
      if (p > end) throw new MalformedDns(`TXT character-string of ${length} bytes runs past its record`);
      if (want) text += isPlain(buf, from, p) ? latin1(buf, from, p) : displayText(buf, from, p);
    }
    return text;
  }

  /**
   * The name at p, its labels in place before `limit` (and after a pointer, anywhere before it in
   * the message). Sets #next to the byte after the name in place. Text only when wanted.
   */
  #name(buf: Buffer, p: number, limit: number, want: boolean): string {
    const scratch = this.#scratch;
    const start = p;
    let floor = p;
    let bound = limit;
    let next = -1;
    let wire = 1;
    let n = 0;
    // Negative once a byte falls outside printable ASCII (0x20-0x7e): checked without a branch.
    let unprintable = 0;
    for (;;) {
      if (p >= bound) throw new MalformedDns(`name at offset ${start - this.#base} runs past the end of ${bound === limit && next < 0 ? 'its record' : 'the message'}`);
      const length = buf[p]!;
      if (length === 0) {
        if (next < 0) next = p + 1;
        break;
      }
      if (length >= 0xc0) {
        if (p + 1 >= bound) throw new MalformedDns(`name at offset ${start - this.#base}: compression pointer cut`);
        const target = this.#base + (((length & 0x3f) << 8) | buf[p + 1]!);
        if (next < 0) next = p + 2;
        if (target >= floor) {
          const what = target >= this.#end ? 'a compression pointer past the end of the message' : target > p ? 'a forward compression pointer' : 'a compression pointer that loops';
          throw new MalformedDns(`name at offset ${start - this.#base} has ${what} (offset ${p - this.#base} to ${target - this.#base})`);
        }
        floor = p = target;
        bound = this.#end;
        continue;
      }
      if (length > 63) throw new MalformedDns(`name at offset ${start - this.#base} has a label of type 0x${(length & 0xc0).toString(16)}`);
      wire += length + 1;
      if (wire > NAME_MAX) throw new MalformedDns(`name at offset ${start - this.#base} is longer than ${NAME_MAX} bytes`);
      const end = p + 1 + length;
      if (end > bound) throw new MalformedDns(`name at offset ${start - this.#base}: a label runs past the end of ${bound === limit && next < 0 ? 'its record' : 'the message'}`);
      if (want) {
        if (n > 0) scratch[n++] = 0x2e;
        for (let i = p + 1; i < end; i++) {
          const c = buf[i]!;
          scratch[n++] = c;
          unprintable |= (c - 0x20) | (0x7e - c);
        }
      }
      p = end;
    }
    this.#next = next;
    if (!want) return '';
    if (n === 0) return '.';
    return unprintable >= 0 ? latin1(scratch, 0, n) : displayText(scratch, 0, n);
  }
}

function u16(buf: Uint8Array, p: number): number {
  return (buf[p]! << 8) | buf[p + 1]!;
}

function u32(buf: Uint8Array, p: number): number {
  return ((buf[p]! << 24) | (buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!) >>> 0;
}
