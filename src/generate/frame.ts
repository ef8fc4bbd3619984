/**
 * Ethernet frames of UDP and TCP packets, as a capture shows them: optional 802.1Q tag, IPv4
 * (don't-fragment, header checksum) or IPv6, and valid UDP/TCP checksums over the pseudo-header.
 */

export const ETHERTYPE = { ipv4: 0x0800, ipv6: 0x86dd, vlan: 0x8100 } as const;
const PROTO_TCP = 6;
const PROTO_UDP = 17;

export interface TcpHeader {
  readonly seq: number;
  readonly ack: number;
  /** FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10. */
  readonly flags: number;
  readonly window: number;
  /** Options, padded to a multiple of 4 bytes. */
  readonly options: Buffer;
}

export interface FrameSpec {
  readonly srcMac: Buffer;
  readonly dstMac: Buffer;
  /** 802.1Q VLAN id, or null for an untagged frame. */
  readonly vlan: number | null;
  /** 4 bytes (IPv4) or 16 (IPv6), network order. */
  readonly src: Buffer;
  readonly dst: Buffer;
  /** IPv4 TTL or IPv6 hop limit. */
  readonly ttl: number;
  /** IPv4 identification; IPv6 flow label. */
  readonly ipId: number;
  readonly sport: number;
  readonly dport: number;
  /** Null for UDP. */
  readonly tcp: TcpHeader | null;
  readonly payload: Uint8Array;
}

/** IP header plus UDP or TCP header plus payload: what NetFlow counts as the packet's bytes. */
export function ipLength(v6: boolean, tcpOptions: number | null, payload: number): number {
  return (v6 ? 40 : 20) + (tcpOptions === null ? 8 : 20 + tcpOptions) + payload;
}

export function encodeFrame(f: FrameSpec): Buffer {
  const v6 = f.src.length === 16;
  const l2 = f.vlan === null ? 14 : 18;
  const ipHeader = v6 ? 40 : 20;
  const l4Header = f.tcp ? 20 + f.tcp.options.length : 8;
  const l4Length = l4Header + f.payload.length;
  const b = Buffer.allocUnsafe(l2 + ipHeader + l4Length);
  f.dstMac.copy(b, 0);
  f.srcMac.copy(b, 6);
  if (f.vlan !== null) {
    b.writeUInt16BE(ETHERTYPE.vlan, 12);
    b.writeUInt16BE(f.vlan & 0x0fff, 14); // priority 0, DEI 0
  }
  b.writeUInt16BE(v6 ? ETHERTYPE.ipv6 : ETHERTYPE.ipv4, l2 - 2);
  const proto = f.tcp ? PROTO_TCP : PROTO_UDP;
  let ip = l2;
  if (v6) {
    b.writeUInt32BE((0x6 << 28) | (f.ipId & 0xfffff), ip);
    b.writeUInt16BE(l4Length, ip + 4);
    b[ip + 6] = proto;
    b[ip + 7] = f.ttl;
    f.src.copy(b, ip + 8);
    f.dst.copy(b, ip + 24);
  } else {
    b[ip] = 0x45; // version 4, 5 words
    b[ip + 1] = 0; // DSCP 0, not ECN-capable
    b.writeUInt16BE(20 + l4Length, ip + 2);
    b.writeUInt16BE(f.ipId & 0xffff, ip + 4);
    b.writeUInt16BE(0x4000, ip + 6); // don't fragment
    b[ip + 8] = f.ttl;
    b[ip + 9] = proto;
    b.writeUInt16BE(0, ip + 10);
    f.src.copy(b, ip + 12);
    f.dst.copy(b, ip + 16);
    b.writeUInt16BE(fold(sum(b, ip, ip + 20, 0)), ip + 10);
  }
  const l4 = l2 + ipHeader;
  b.writeUInt16BE(f.sport, l4);
  b.writeUInt16BE(f.dport, l4 + 2);
  let checksumAt: number;
  if (f.tcp) {
    b.writeUInt32BE(f.tcp.seq >>> 0, l4 + 4);
    b.writeUInt32BE(f.tcp.ack >>> 0, l4 + 8);
    b.writeUInt16BE(((l4Header / 4) << 12) | f.tcp.flags, l4 + 12);
    b.writeUInt16BE(f.tcp.window, l4 + 14);
    b.writeUInt32BE(0, l4 + 16); // checksum, urgent pointer
    f.tcp.options.copy(b, l4 + 20);
    checksumAt = l4 + 16;
  } else {
    b.writeUInt16BE(l4Length, l4 + 4);
    b.writeUInt16BE(0, l4 + 6);
    checksumAt = l4 + 6;
  }
  b.set(f.payload, l4 + l4Header);
  // Pseudo-header: both addresses, the protocol and the transport length.
  let s = sum(f.src, 0, f.src.length, 0);
  s = sum(f.dst, 0, f.dst.length, s);
  s += proto + l4Length;
  const c = fold(sum(b, l4, b.length, s));
  b.writeUInt16BE(c === 0 && !f.tcp ? 0xffff : c, checksumAt); // UDP sends a zero sum as all ones
  return b;
}

/** Ones' complement sum of 16-bit words (RFC 1071), not yet folded. */
function sum(data: Uint8Array, start: number, end: number, initial: number): number {
  let s = initial;
  let i = start;
  for (; i + 1 < end; i += 2) s += (data[i]! << 8) | data[i + 1]!;
  if (i < end) s += data[i]! << 8;
  return s;
}

function fold(s: number): number {
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return ~s & 0xffff;
}
