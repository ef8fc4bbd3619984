import { addressBytes } from './address-bytes.js';
import { encodeFrame } from './frame.js';

/**
 * Classic pcap (libpcap 2.4, microsecond timestamps, Ethernet link type): the file header and
 * the per-packet record header, and a whole file of UDP datagrams built in memory, with which
 * tshark decodes our NetFlow packets in tests. The DNS capture streams its files with the same
 * headers (dns/capture-files.ts).
 */

const LINKTYPE_ETHERNET = 1;
export const SNAPLEN = 65535;
export const PCAP_HEADER_LENGTH = 24;
export const RECORD_HEADER_LENGTH = 16;
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
  const parts = [pcapHeader()];
  for (const d of datagrams) {
    const frame = encodeFrame({
      srcMac: SRC_MAC,
      dstMac: DST_MAC,
      vlan: null,
      src: addressBytes(d.src),
      dst: addressBytes(d.dst),
      ttl: 64,
      ipId: 0,
      sport: d.sport,
      dport: d.dport,
      tcp: null,
      payload: d.payload,
    });
    const header = Buffer.alloc(RECORD_HEADER_LENGTH);
    writeRecordHeader(header, 0, d.time * 1000, frame.length);
    parts.push(header, frame);
  }
  return Buffer.concat(parts);
}

/** The file header: magic, version 2.4, UTC, snap length, Ethernet. */
export function pcapHeader(): Buffer {
  const b = Buffer.alloc(PCAP_HEADER_LENGTH);
  b.writeUInt32LE(0xa1b2c3d4, 0);
  b.writeUInt16LE(2, 4);
  b.writeUInt16LE(4, 6);
  b.writeInt32LE(0, 8); // time zone offset: UTC
  b.writeUInt32LE(0, 12);
  b.writeUInt32LE(SNAPLEN, 16);
  b.writeUInt32LE(LINKTYPE_ETHERNET, 20);
  return b;
}

/** A record header at `offset`: capture time (epoch µs) and the frame's length, captured whole. */
export function writeRecordHeader(b: Buffer, offset: number, timeUs: number, length: number): void {
  b.writeUInt32LE(Math.floor(timeUs / 1e6), offset);
  b.writeUInt32LE(timeUs % 1e6, offset + 4);
  b.writeUInt32LE(length, offset + 8);
  b.writeUInt32LE(length, offset + 12);
}
