/**
 * Test helpers for packet captures: packets from link layer to UDP/TCP, and pcap and pcapng files
 * built byte by byte. Shared by the DNS and flow capture decoders' tests.
 */
import { isIPv4 } from 'node:net';

export function addressBytes(ip: string): Buffer {
  if (isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    ip = `${ip.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail = ''] = ip.split('::');
  const groups = (s: string) => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const h = groups(head);
  const t = ip.includes('::') ? groups(tail) : [];
  const all = [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  return Buffer.concat(all.map(u16));
}

export interface Ipv4Options {
  readonly id?: number;
  /** Fragment offset in bytes (a multiple of 8) and the more-fragments flag. */
  readonly fragmentOffset?: number;
  readonly moreFragments?: boolean;
  readonly options?: Buffer;
  /** Total length to write instead of the real one. */
  readonly totalLength?: number;
}

export function ipv4(src: string, dst: string, protocol: number, payload: Buffer, o: Ipv4Options = {}): Buffer {
  const options = o.options ?? Buffer.alloc(0);
  const h = Buffer.alloc(20 + options.length);
  h[0] = 0x40 | ((20 + options.length) / 4);
  h.writeUInt16BE(o.totalLength ?? h.length + payload.length, 2);
  h.writeUInt16BE(o.id ?? 1, 4);
  h.writeUInt16BE(((o.fragmentOffset ?? 0) / 8) | (o.moreFragments ? 0x2000 : 0), 6);
  h[8] = 64;
  h[9] = protocol;
  addressBytes(src).copy(h, 12);
  addressBytes(dst).copy(h, 16);
  options.copy(h, 20);
  return Buffer.concat([h, payload]);
}

/** IPv6 with extension headers, each [next-header value of the header, its bytes]. */
export function ipv6(src: string, dst: string, protocol: number, payload: Buffer, extensions: readonly (readonly [number, Buffer])[] = []): Buffer {
  const h = Buffer.alloc(40);
  h[0] = 0x60;
  const chain = extensions.map(([, bytes], i) => {
    const copy = Buffer.from(bytes);
    copy[0] = i + 1 < extensions.length ? extensions[i + 1]![0] : protocol;
    return copy;
  });
  const body = Buffer.concat([...chain, payload]);
  h.writeUInt16BE(body.length, 4);
  h[6] = extensions.length > 0 ? extensions[0]![0] : protocol;
  h[7] = 64;
  addressBytes(src).copy(h, 8);
  addressBytes(dst).copy(h, 24);
  return Buffer.concat([h, body]);
}

/** An extension header of 8 * (units + 1) bytes (hop-by-hop, routing, destination options). */
export function extension(units = 0): Buffer {
  const b = Buffer.alloc(8 * (units + 1));
  b[1] = units;
  return b;
}

export function udp(sport: number, dport: number, payload: Buffer, length?: number): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(sport, 0);
  h.writeUInt16BE(dport, 2);
  h.writeUInt16BE(length ?? 8 + payload.length, 4);
  return Buffer.concat([h, payload]);
}

export const TCP = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10 } as const;

export function tcp(sport: number, dport: number, seq: number, flags: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(sport, 0);
  h.writeUInt16BE(dport, 2);
  h.writeUInt32BE(seq >>> 0, 4);
  h[12] = 5 << 4;
  h[13] = flags;
  h.writeUInt16BE(65535, 14);
  return Buffer.concat([h, payload]);
}

/** A DNS message behind its 2-byte TCP length. */
export function tcpFramed(message: Buffer): Buffer {
  return Buffer.concat([u16(message.length), message]);
}

export const ETHERTYPE = { IPV4: 0x0800, IPV6: 0x86dd, VLAN: 0x8100, QINQ: 0x88a8, ARP: 0x0806 } as const;

/** An Ethernet frame, with VLAN tags given as [tag protocol, vlan id] from the outside in. */
export function ethernet(ethertype: number, payload: Buffer, tags: readonly (readonly [number, number])[] = []): Buffer {
  const macs = Buffer.from('020000000002020000000001', 'hex');
  const tagBytes = tags.map(([tpid, vid]) => Buffer.concat([u16(tpid), u16(vid)]));
  return Buffer.concat([macs, ...tagBytes, u16(ethertype), payload]);
}

/** IP version → the ethertype that carries it. */
export function etherOf(packet: Buffer): number {
  return packet[0]! >> 4 === 6 ? ETHERTYPE.IPV6 : ETHERTYPE.IPV4;
}

export function sll(protocol: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(16);
  h.writeUInt16BE(0, 0);
  h.writeUInt16BE(1, 2);
  h.writeUInt16BE(6, 4);
  h.writeUInt16BE(protocol, 14);
  return Buffer.concat([h, payload]);
}

export function sll2(protocol: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(protocol, 0);
  h.writeUInt32BE(2, 4);
  h.writeUInt16BE(1, 8);
  h[11] = 6;
  return Buffer.concat([h, payload]);
}

/** BSD loopback: the address family as a 32-bit word in the given byte order. */
export function loopback(family: number, payload: Buffer, littleEndian: boolean): Buffer {
  const h = Buffer.alloc(4);
  if (littleEndian) h.writeUInt32LE(family, 0);
  else h.writeUInt32BE(family, 0);
  return Buffer.concat([h, payload]);
}

// ---- Capture files ----------------------------------------------------------------------------

export interface CapturedPacket {
  /** Capture time in epoch microseconds (nanoseconds with a nanosecond pcap). */
  readonly time: number;
  readonly data: Buffer;
  /** Length on the wire; defaults to the captured length. */
  readonly origLen?: number;
}

export interface PcapOptions {
  readonly linkType?: number;
  readonly nano?: boolean;
  readonly bigEndian?: boolean;
}

export function pcapFile(packets: readonly CapturedPacket[], o: PcapOptions = {}): Buffer {
  const be = o.bigEndian ?? false;
  const w32 = (b: Buffer, v: number, at: number) => (be ? b.writeUInt32BE(v >>> 0, at) : b.writeUInt32LE(v >>> 0, at));
  const w16 = (b: Buffer, v: number, at: number) => (be ? b.writeUInt16BE(v, at) : b.writeUInt16LE(v, at));
  const header = Buffer.alloc(24);
  w32(header, o.nano ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  w16(header, 2, 4);
  w16(header, 4, 6);
  w32(header, 65535, 16);
  w32(header, o.linkType ?? 1, 20);
  const unit = o.nano ? 1_000_000_000 : 1_000_000;
  const records = packets.map((p) => {
    const h = Buffer.alloc(16);
    w32(h, Math.floor(p.time / unit), 0);
    w32(h, p.time % unit, 4);
    w32(h, p.data.length, 8);
    w32(h, p.origLen ?? p.data.length, 12);
    return Buffer.concat([h, p.data]);
  });
  return Buffer.concat([header, ...records]);
}

/** pcapng blocks, in the byte order of the section they are written for. */
export class PcapngWriter {
  readonly #parts: Buffer[] = [];

  constructor(private readonly bigEndian = false) {
    this.block(0x0a0d0d0a, Buffer.concat([this.u32(0x1a2b3c4d), this.u16(1), this.u16(0), Buffer.alloc(8, 0xff)]));
  }

  /** An interface: link type, snap length, and options if_tsresol / if_tsoffset. */
  interface(linkType: number, tsresol?: number, tsoffset?: bigint): this {
    const options: Buffer[] = [];
    if (tsresol !== undefined) options.push(this.option(9, Buffer.of(tsresol)));
    if (tsoffset !== undefined) {
      const b = Buffer.alloc(8);
      if (this.bigEndian) b.writeBigInt64BE(tsoffset);
      else b.writeBigInt64LE(tsoffset);
      options.push(this.option(14, b));
    }
    if (options.length) options.push(this.option(0, Buffer.alloc(0)));
    return this.block(1, Buffer.concat([this.u16(linkType), this.u16(0), this.u32(0), ...options]));
  }

  /** An enhanced packet block; the timestamp in the interface's units. */
  packet(iface: number, units: bigint, data: Buffer, origLen = data.length): this {
    const high = Number(units >> 32n);
    const low = Number(units & 0xffffffffn);
    return this.block(6, Buffer.concat([this.u32(iface), this.u32(high), this.u32(low), this.u32(data.length), this.u32(origLen), pad4(data)]));
  }

  simplePacket(data: Buffer, origLen = data.length): this {
    return this.block(3, Buffer.concat([this.u32(origLen), pad4(data)]));
  }

  obsoletePacket(iface: number, units: bigint, data: Buffer): this {
    return this.block(2, Buffer.concat([this.u16(iface), this.u16(0), this.u32(Number(units >> 32n)), this.u32(Number(units & 0xffffffffn)), this.u32(data.length), this.u32(data.length), pad4(data)]));
  }

  block(type: number, body: Buffer): this {
    const length = 12 + body.length;
    this.#parts.push(Buffer.concat([this.u32(type), this.u32(length), body, this.u32(length)]));
    return this;
  }

  bytes(): Buffer {
    return Buffer.concat(this.#parts);
  }

  option(code: number, value: Buffer): Buffer {
    return Buffer.concat([this.u16(code), this.u16(value.length), pad4(value)]);
  }

  u32(v: number): Buffer {
    const b = Buffer.alloc(4);
    if (this.bigEndian) b.writeUInt32BE(v >>> 0);
    else b.writeUInt32LE(v >>> 0);
    return b;
  }

  u16(v: number): Buffer {
    const b = Buffer.alloc(2);
    if (this.bigEndian) b.writeUInt16BE(v);
    else b.writeUInt16LE(v);
    return b;
  }
}

function pad4(data: Buffer): Buffer {
  return Buffer.concat([data, Buffer.alloc((4 - (data.length % 4)) % 4)]);
}

export function u16(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(v);
  return b;
}

export function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v >>> 0);
  return b;
}
