import type { RejectReason } from '../../schema/index.js';
import { IP_BAD, IP_FRAGMENT, IP_PAYLOAD, IpLayer, PROTO_UDP } from './ip-layer.js';
import { IpFragments } from './ip-fragments.js';
import { IpText } from './ip-text.js';
import { LINK_BAD, LINK_IP, LINK_UNSUPPORTED, LinkLayer } from './link-layer.js';
import type { PacketHandler } from './record-format.js';

/** One UDP datagram of a capture; `data[start, end)` is only valid during the call. */
export interface UdpDatagram {
  /** Source address in canonical text (IPv4 dotted, IPv6 RFC 5952). */
  readonly src: string;
  readonly dst: string;
  readonly sport: number;
  readonly dport: number;
  readonly data: Buffer;
  readonly start: number;
  readonly end: number;
  /** Capture time in epoch microseconds, of the packet that completed the datagram. */
  readonly micros: number;
  /** Byte offset of that packet's record in the (decompressed) file, and its 1-based frame number. */
  readonly offset: number;
  readonly frame: number;
}

export interface UdpDatagramHandler {
  datagram(d: UdpDatagram): void;
  /** A packet or record that cannot be read (cut, corrupt). */
  bad(reason: RejectReason, offset: number, frame: number, detail: string): void;
}

/** What a capture held besides its UDP datagrams. */
export interface UdpCaptureStats {
  packets: number;
  datagrams: number;
  /** Packets that are not UDP: other link or transport protocols. */
  notUdp: number;
  /** UDP datagrams the capture kept only part of (snap length). */
  cut: number;
  /** Fragmented datagrams given up or never completed. */
  droppedFragments: number;
}

/**
 * Turns captured packets into UDP datagrams: link layer → IP (fragments reassembled) → UDP. A
 * datagram cut short by the capture's snap length is reported bad, never handed on in part.
 */
export class UdpDatagrams implements PacketHandler {
  readonly stats: UdpCaptureStats = { packets: 0, datagrams: 0, notUdp: 0, cut: 0, droppedFragments: 0 };
  readonly #link = new LinkLayer();
  readonly #ip = new IpLayer();
  readonly #text = new IpText();
  readonly #fragments = new IpFragments();

  constructor(private readonly handler: UdpDatagramHandler) {}

  packet(linkType: number, data: Buffer, start: number, capLen: number, _origLen: number, micros: number, offset: number, frame: number): void {
    this.stats.packets++;
    const end = start + capLen;
    const link = this.#link.parse(linkType, data, start, end);
    if (link === LINK_BAD) return this.handler.bad('bad-record', offset, frame, this.#link.problem);
    if (link === LINK_UNSUPPORTED) return this.handler.bad('bad-record', offset, frame, `link type ${linkType} is not read`);
    if (link !== LINK_IP) {
      this.stats.notUdp++;
      return;
    }
    const ip = this.#ip;
    let found = ip.parse(this.#link.version, data, this.#link.offset, end);
    if (found === IP_BAD) return this.handler.bad('bad-record', offset, frame, ip.problem);
    const src = ip.version === 4 ? this.#text.v4(data, ip.src) : this.#text.v6(data, ip.src);
    const dst = ip.version === 4 ? this.#text.v4(data, ip.dst) : this.#text.v6(data, ip.dst);
    let payload = data;
    if (found === IP_FRAGMENT) {
      if (ip.missing > 0) return this.#cut(offset, frame, ip.missing);
      const key = `${ip.version}|${src}|${dst}|${ip.fragmentId}|${ip.protocol}`;
      const whole = this.#fragments.add(key, ip.fragmentOffset, ip.moreFragments, data.subarray(ip.payloadStart, ip.payloadEnd), micros);
      this.stats.droppedFragments = this.#fragments.dropped;
      if (!whole) return;
      payload = whole;
      found = ip.version === 6 ? ip.extensions(ip.protocol, whole, 0, whole.length) : IP_PAYLOAD;
      if (ip.version === 4) {
        ip.payloadStart = 0;
        ip.payloadEnd = whole.length;
      }
      if (found === IP_FRAGMENT || found === IP_BAD) return this.handler.bad('bad-record', offset, frame, 'broken reassembled IP datagram');
    }
    if (found !== IP_PAYLOAD || ip.protocol !== PROTO_UDP) {
      this.stats.notUdp++;
      return;
    }
    if (ip.missing > 0) return this.#cut(offset, frame, ip.missing);
    const p = ip.payloadStart;
    if (ip.payloadEnd - p < 8) return this.handler.bad('truncated', offset, frame, `UDP header cut: ${ip.payloadEnd - p} of its 8 bytes captured`);
    const length = (payload[p + 4]! << 8) | payload[p + 5]!;
    if (length < 8) return this.handler.bad('bad-record', offset, frame, `UDP length ${length}, less than its header`);
    if (length > ip.payloadEnd - p) return this.handler.bad('truncated', offset, frame, `UDP length ${length}, but only ${ip.payloadEnd - p} bytes in the IP packet`);
    this.stats.datagrams++;
    this.handler.datagram({
      src,
      dst,
      sport: (payload[p]! << 8) | payload[p + 1]!,
      dport: (payload[p + 2]! << 8) | payload[p + 3]!,
      data: payload,
      start: p + 8,
      end: p + length,
      micros,
      offset,
      frame,
    });
  }

  badRecord(reason: RejectReason, offset: number, frame: number, detail: string): void {
    this.handler.bad(reason, offset, frame, detail);
  }

  #cut(offset: number, frame: number, missing: number): void {
    this.stats.cut++;
    this.handler.bad('truncated', offset, frame, `UDP datagram cut by the capture's snap length: ${missing} bytes not captured`);
  }
}
