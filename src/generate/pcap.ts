import { addressBytes } from './address-bytes.js';

/**
 * Classic pcap (libpcap 2.4, microsecond timestamps, Ethernet link type) of UDP datagrams,
 * built in memory: lets tshark decode our NetFlow packets in tests, and will carry the DNS
 * exchanges of the DNS writer. IPv4 and IPv6, with valid IP and UDP checksums.
 */

const LINKTYPE_ETHERNET = 1;
const SNAPLEN = 65535;
const SRC_MAC = Buffer.from([0x02, 0x00, 0x00, 0x00, 0x00, 0x01]);
const DST_MAC = Buffer.from([0x02, 0x00, 0x00, 0x00, 0x00, 0x02]);

export interface UdpDatagram {
  /** Capture time, epoch ms. */
  readonly time: number;
  readonly src: string;
  readonly sport: number;
  readonly dst: string;
  readonly dport: number;
  readonly payload: Buffer;
}

/** A whole pcap file holding the datagrams, in the given order. */
export function udpPcap(datagrams: Iterable<UdpDatagram>): Buffer {
  const parts = [globalHeader()];
  for (const d of datagrams) {
    const frame = ethernetFrame(d);
    const header = Buffer.alloc(16);
    header.writeUInt32LE(Math.floor(d.time / 1000), 0);
    header.writeUInt32LE((d.time % 1000) * 1000, 4);
    header.writeUInt32LE(frame.length, 8);
    header.writeUInt32LE(frame.length, 12);
    parts.push(header, frame);
  }
  return Buffer.concat(parts);
}

function globalHeader(): Buffer {
  const b = Buffer.alloc(24);
  b.writeUInt32LE(0xa1b2c3d4, 0);
  b.writeUInt16LE(2, 4);
  b.writeUInt16LE(4, 6);
  b.writeInt32LE(0, 8); // time zone offset: UTC
  b.writeUInt32LE(0, 12);
  b.writeUInt32LE(SNAPLEN, 16);
  b.writeUInt32LE(LINKTYPE_ETHERNET, 20);
  return b;
}

function ethernetFrame(d: UdpDatagram): Buffer {
  const v6 = d.src.includes(':');
  const src = addressBytes(d.src);
  const dst = addressBytes(d.dst);
  const udp = Buffer.alloc(8 + d.payload.length);
  udp.writeUInt16BE(d.sport, 0);
  udp.writeUInt16BE(d.dport, 2);
  udp.writeUInt16BE(udp.length, 4);
  d.payload.copy(udp, 8);
  // The UDP checksum covers a pseudo-header of both addresses, the protocol and the length.
  const pseudo = Buffer.concat([src, dst, Buffer.from([0, 17]), u16(udp.length)]);
  udp.writeUInt16BE(checksum(Buffer.concat([pseudo, udp])) || 0xffff, 6);
  const ip = v6 ? ipv6Header(src, dst, udp.length) : ipv4Header(src, dst, udp.length);
  const ethertype = u16(v6 ? 0x86dd : 0x0800);
  return Buffer.concat([DST_MAC, SRC_MAC, ethertype, ip, udp]);
}

function ipv4Header(src: Buffer, dst: Buffer, payloadLength: number): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt8(0x45, 0); // version 4, 5 words
  h.writeUInt16BE(20 + payloadLength, 2);
  h.writeUInt16BE(0x4000, 6); // don't fragment
  h.writeUInt8(64, 8); // TTL
  h.writeUInt8(17, 9); // UDP
  src.copy(h, 12);
  dst.copy(h, 16);
  h.writeUInt16BE(checksum(h), 10);
  return h;
}

function ipv6Header(src: Buffer, dst: Buffer, payloadLength: number): Buffer {
  const h = Buffer.alloc(40);
  h.writeUInt32BE(0x60000000, 0);
  h.writeUInt16BE(payloadLength, 4);
  h.writeUInt8(17, 6); // next header: UDP
  h.writeUInt8(64, 7); // hop limit
  src.copy(h, 8);
  dst.copy(h, 24);
  return h;
}

/** The Internet checksum (RFC 1071): ones' complement of the ones' complement sum of 16-bit words. */
function checksum(data: Buffer): number {
  let sum = 0;
  for (let i = 0; i + 1 < data.length; i += 2) sum += data.readUInt16BE(i);
  if (data.length % 2) sum += data[data.length - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n, 0);
  return b;
};
