import { addressBytes } from '../address-bytes.js';
import type { DnsRecord } from '../session.js';
import { CLASS_IN, TYPE_CODE, TYPE_OPT } from './records.js';

/** A DNS message as it goes on the wire (RFC 1035 §4), one question. */
export interface WireMessage {
  readonly id: number;
  /** The 16-bit flags word: QR, opcode, AA, TC, RD, RA, Z, AD, CD, rcode. */
  readonly flags: number;
  readonly qname: string;
  readonly qtype: number;
  readonly answers: readonly DnsRecord[];
  readonly authority: readonly DnsRecord[];
  readonly additional: readonly DnsRecord[];
  /** UDP payload size of an OPT record closing the additional section; null without EDNS. */
  readonly edns: number | null;
}

const MAX_MESSAGE = 65535;
/** Name compression can only point into the first 16 KiB of a message. */
const MAX_POINTER = 0x3fff;
/** Types whose data names may be compressed (RFC 3597 §4); an SRV target must not be (RFC 2782). */
const COMPRESSIBLE = new Set(['CNAME', 'NS', 'PTR', 'MX', 'SOA']);

/**
 * Encodes messages the way servers do: owner names and the names inside well-known record data
 * point back (compression) to the longest suffix already written, with the case it was written in.
 * One scratch buffer serves every message, so measuring a message allocates nothing.
 */
class Encoder {
  readonly #buf = Buffer.alloc(MAX_MESSAGE);
  readonly #names = new Map<string, number>();
  #pos = 0;

  encode(m: WireMessage): number {
    this.#names.clear();
    const b = this.#buf;
    b.writeUInt16BE(m.id, 0);
    b.writeUInt16BE(m.flags, 2);
    b.writeUInt16BE(1, 4);
    b.writeUInt16BE(m.answers.length, 6);
    b.writeUInt16BE(m.authority.length, 8);
    b.writeUInt16BE(m.additional.length + (m.edns === null ? 0 : 1), 10);
    this.#pos = 12;
    this.#name(m.qname, true);
    this.#u16(m.qtype);
    this.#u16(CLASS_IN);
    for (const r of m.answers) this.#record(r);
    for (const r of m.authority) this.#record(r);
    for (const r of m.additional) this.#record(r);
    if (m.edns !== null) {
      b[this.#pos++] = 0; // the root name
      this.#u16(TYPE_OPT);
      this.#u16(m.edns); // the class carries the UDP payload size
      this.#u32(0); // extended rcode, version 0, no DO bit
      this.#u16(0);
    }
    return this.#pos;
  }

  bytes(length: number): Buffer {
    return Buffer.from(this.#buf.subarray(0, length));
  }

  #record(r: DnsRecord): void {
    this.#name(r.name, true);
    this.#u16(TYPE_CODE[r.type]);
    this.#u16(CLASS_IN);
    this.#u32(r.ttl);
    const lengthAt = this.#pos;
    this.#pos += 2;
    this.#rdata(r);
    this.#buf.writeUInt16BE(this.#pos - lengthAt - 2, lengthAt);
  }

  #rdata(r: DnsRecord): void {
    const { data } = r;
    if (r.type === 'TXT') {
      if (typeof data === 'string') throw new Error(`TXT ${r.name}: data must be its character-strings`);
      for (const s of data) this.#characterString(s);
      return;
    }
    if (typeof data !== 'string') throw new Error(`${r.type} ${r.name}: data must be text`);
    const compress = COMPRESSIBLE.has(r.type);
    switch (r.type) {
      case 'A':
      case 'AAAA': {
        const bytes = addressOf(data);
        if (bytes.length !== (r.type === 'A' ? 4 : 16)) throw new Error(`${r.type} ${r.name}: bad address ${data}`);
        bytes.copy(this.#buf, this.#pos);
        this.#pos += bytes.length;
        return;
      }
      case 'CNAME':
      case 'NS':
      case 'PTR':
        this.#name(data, compress);
        return;
      case 'MX': {
        const [pref, name] = fields(r, 2);
        this.#u16(Number(pref));
        this.#name(name!, compress);
        return;
      }
      case 'SRV': {
        const [priority, weight, port, target] = fields(r, 4);
        this.#u16(Number(priority));
        this.#u16(Number(weight));
        this.#u16(Number(port));
        this.#name(target!, false);
        return;
      }
      case 'SOA': {
        const [mname, rname, ...numbers] = fields(r, 7);
        this.#name(mname!, compress);
        this.#name(rname!, compress);
        for (const n of numbers) this.#u32(Number(n));
        return;
      }
      case 'NULL': {
        const m = /^\\# (\d+)(?: ([0-9a-f]*))?$/.exec(data);
        if (!m || (m[2] ?? '').length !== Number(m[1]) * 2) throw new Error(`NULL ${r.name}: data must be RFC 3597 "\\# length hex"`);
        this.#pos += this.#buf.write(m[2] ?? '', this.#pos, 'hex');
        return;
      }
    }
  }

  /** A name as labels, ending in a pointer to a suffix written before when `compress`, else in the root label. */
  #name(name: string, compress: boolean): void {
    const b = this.#buf;
    if (name.length > 253) throw new Error(`name longer than 253 characters: ${name.slice(0, 40)}…`);
    let i = 0;
    while (i < name.length) {
      const suffix = i === 0 ? name : name.substring(i);
      const pointer = compress ? this.#names.get(suffix) : undefined;
      if (pointer !== undefined) {
        this.#u16(0xc000 | pointer);
        return;
      }
      if (this.#pos <= MAX_POINTER && !this.#names.has(suffix)) this.#names.set(suffix, this.#pos);
      const dot = name.indexOf('.', i);
      const end = dot < 0 ? name.length : dot;
      if (end === i || end - i > 63) throw new Error(`bad label in ${JSON.stringify(name)}`);
      b[this.#pos++] = end - i;
      for (let k = i; k < end; k++) b[this.#pos++] = byte(name, k);
      i = end + 1;
    }
    b[this.#pos++] = 0;
  }

  #characterString(s: string): void {
    if (s.length > 255) throw new Error('a TXT character-string holds at most 255 bytes');
    this.#buf[this.#pos++] = s.length;
    for (let k = 0; k < s.length; k++) this.#buf[this.#pos++] = byte(s, k);
  }

  #u16(n: number): void {
    this.#buf.writeUInt16BE(n, this.#pos);
    this.#pos += 2;
  }

  #u32(n: number): void {
    this.#buf.writeUInt32BE(n, this.#pos);
    this.#pos += 4;
  }
}

function fields(r: DnsRecord, n: number): string[] {
  const parts = (r.data as string).split(' ');
  if (parts.length !== n) throw new Error(`${r.type} ${r.name}: data must have ${n} fields, got ${JSON.stringify(r.data)}`);
  return parts;
}

/** Names and strings are ASCII by construction; anything else is a generator bug. */
function byte(text: string, k: number): number {
  const c = text.charCodeAt(k);
  if (c > 0x7e || c < 0x20) throw new Error(`non-printable character in ${JSON.stringify(text)}`);
  return c;
}

/** Addresses recur (the same hosts and CDN edges answer all day): parse each once. */
const addresses = new Map<string, Buffer>();
function addressOf(text: string): Buffer {
  let b = addresses.get(text);
  if (!b) {
    b = addressBytes(text);
    if (addresses.size < 1_000_000) addresses.set(text, b);
  }
  return b;
}

const encoder = new Encoder();

/** The message's bytes. */
export function encodeMessage(m: WireMessage): Buffer {
  return encoder.bytes(encoder.encode(m));
}

/** The message's length on the wire, without keeping its bytes. */
export function messageLength(m: WireMessage): number {
  return encoder.encode(m);
}
