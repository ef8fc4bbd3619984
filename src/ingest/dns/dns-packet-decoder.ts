import type { dns, DnsRow, RejectReason } from '../../schema/index.js';
import type { RowSink } from '../decoder.js';
import { DnsMessageReader, MalformedDns } from './dns-message.js';
import { IP_BAD, IP_FRAGMENT, IP_OTHER, IP_PAYLOAD, IpLayer, PROTO_TCP, PROTO_UDP } from '../packet/ip-layer.js';
import { IpFragments } from '../packet/ip-fragments.js';
import { IpText } from '../packet/ip-text.js';
import { LINK_BAD, LINK_IP, LINK_UNSUPPORTED, LinkLayer } from '../packet/link-layer.js';
import { hexExcerpt, type PacketHandler } from '../packet/record-format.js';
import { TcpStreams, type TcpMessageHandler } from './tcp-streams.js';

const MDNS_PORT = 5353;
const DNS_PORT = 53;

/** What a capture held besides its DNS messages. */
export interface CaptureStats {
  packets: number;
  /** DNS messages read into rows. */
  messages: number;
  /** Packets that are not DNS: other protocols and ports. */
  notDns: number;
  /** Packets of link types this decoder does not read, by link type. */
  unsupportedLinkTypes: Record<number, number>;
  /** Fragmented datagrams given up or never completed. */
  droppedFragments: number;
  /** TCP streams dropped to bound memory. */
  evictedStreams: number;
  rejected: number;
}

export interface DnsPacketOptions {
  /** UDP and TCP ports whose packets are DNS, on either side. */
  readonly ports: readonly number[];
  readonly sensor: string | null;
}

/**
 * Turns captured packets into dns rows, one per DNS message, queries and responses alike:
 * link layer → IP (fragments reassembled) → UDP or TCP on a DNS port (TCP streams reassembled)
 * → DNS message. Mapping:
 * - frame_time: the capture time of the packet (for a message completed by reassembly, of the
 *   packet that completed it, as tshark shows it); frame_len: that packet's length on the wire.
 * - ip_src, ip_dst, sport, dport, transport: of that packet, addresses in canonical text.
 * - dns_qry_name, dns_qry_class, dns_qry_type: of the first question, null without one (the
 *   class without the mDNS unicast-response bit on port 5353 traffic, as tshark shows it).
 * - dns_qry_rcode: the 4-bit rcode of the header; dns_id, dns_flags: the header's id and flags
 *   word; dns_qr: the flags' QR bit.
 * - dns_answers: every record of the answer section as text (dns-message.ts); dns_a: the first
 *   A or AAAA address among them; dns_ttl: their smallest TTL; both null without answers.
 * - sensor: given at ingest; uid: null (captures have no connection id).
 * Packets on DNS ports that are not DNS, or cut short by the capture, are rejected with the offset
 * of their record and their frame number (as `line`); other traffic is skipped and counted.
 */
export class DnsPacketDecoder implements PacketHandler, TcpMessageHandler {
  readonly stats: CaptureStats = { packets: 0, messages: 0, notDns: 0, unsupportedLinkTypes: {}, droppedFragments: 0, evictedStreams: 0, rejected: 0 };
  readonly #dnsPorts = new Uint8Array(65536);
  readonly #link = new LinkLayer();
  readonly #ip = new IpLayer();
  readonly #ipText = new IpText();
  readonly #message = new DnsMessageReader(this.#ipText);
  readonly #fragments = new IpFragments();
  readonly #tcp = new TcpStreams(this);
  // The packet being read.
  #data: Buffer = Buffer.alloc(0);
  #start = 0;
  #capLen = 0;
  #origLen = 0;
  #micros = 0;
  #offset = 0;
  #frame = 0;
  #src = '';
  #dst = '';
  #sport = 0;
  #dport = 0;
  #transport = 'udp';

  constructor(
    private readonly sink: RowSink<typeof dns>,
    private readonly options: DnsPacketOptions,
  ) {
    for (const port of options.ports) this.#dnsPorts[port] = 1;
  }

  packet(linkType: number, data: Buffer, start: number, capLen: number, origLen: number, micros: number, offset: number, frame: number): void {
    this.stats.packets++;
    this.#data = data;
    this.#start = start;
    this.#capLen = capLen;
    this.#origLen = origLen;
    this.#micros = micros;
    this.#offset = offset;
    this.#frame = frame;
    const end = start + capLen;
    const link = this.#link.parse(linkType, data, start, end);
    if (link !== LINK_IP) {
      if (link === LINK_BAD) this.#reject('bad-record', this.#link.problem);
      else if (link === LINK_UNSUPPORTED) this.stats.unsupportedLinkTypes[linkType] = (this.stats.unsupportedLinkTypes[linkType] ?? 0) + 1;
      else this.stats.notDns++;
      return;
    }
    const ip = this.#ip;
    let found = ip.parse(this.#link.version, data, this.#link.offset, end);
    let payload = data;
    if (found === IP_FRAGMENT) {
      const whole = this.#reassemble();
      if (!whole) return;
      payload = whole;
      if (ip.version === 6) {
        found = ip.extensions(ip.protocol, whole, 0, whole.length);
      } else {
        found = IP_PAYLOAD;
        ip.payloadStart = 0;
        ip.payloadEnd = whole.length;
      }
      if (found === IP_FRAGMENT) return this.#reject('bad-record', 'IPv6 fragment inside a reassembled fragment');
    }
    if (found === IP_BAD) return this.#reject('bad-record', ip.problem);
    if (found === IP_OTHER) {
      this.stats.notDns++;
      return;
    }
    if (ip.protocol === PROTO_UDP) this.#udp(payload, ip.payloadStart, ip.payloadEnd);
    else this.#tcpSegment(payload, ip.payloadStart, ip.payloadEnd);
  }

  badRecord(reason: RejectReason, offset: number, frame: number, detail: string, excerpt: string): void {
    this.stats.rejected++;
    this.sink.reject(reason, frame > 0 ? { line: frame, offset } : { offset }, detail, excerpt);
  }

  tcpMessage(buf: Buffer, start: number, end: number): void {
    this.#dnsMessage(buf, start, end);
  }

  tcpLost(reason: RejectReason, detail: string, offset: number, frame: number): void {
    this.badRecord(reason, offset, frame, detail, '');
  }

  /** The end of the capture: TCP messages still incomplete are reported. */
  finish(): void {
    this.#tcp.finish();
    this.stats.droppedFragments = this.#fragments.dropped + this.#fragments.pending;
    this.stats.evictedStreams = this.#tcp.evicted;
  }

  /** This fragment added to its datagram: the datagram's payload once whole. */
  #reassemble(): Buffer | null {
    const ip = this.#ip;
    const carriesTransport = ip.protocol === PROTO_UDP || ip.protocol === PROTO_TCP || ip.version === 6;
    if (!carriesTransport || ip.missing > 0) {
      this.stats.notDns++;
      return null;
    }
    const text = this.#addressTexts();
    const key = `${text} ${ip.protocol} ${ip.fragmentId}`;
    return this.#fragments.add(key, ip.fragmentOffset, ip.moreFragments, this.#data.subarray(ip.payloadStart, ip.payloadEnd), this.#micros);
  }

  #udp(buf: Buffer, start: number, end: number): void {
    if (!this.#ports(buf, start, end, 'UDP')) return;
    if (end - start < 8) return this.#reject('bad-record', this.#cut(`UDP header: ${end - start} of its 8 bytes`));
    let length = (buf[start + 4]! << 8) | buf[start + 5]!;
    // IPv6 jumbograms carry UDP length 0 (RFC 2675): the IP payload is the datagram.
    if (length === 0 && this.#ip.version === 6) length = end - start;
    if (length < 8) return this.#reject('bad-record', `UDP length ${length}, less than its 8-byte header`);
    if (length > end - start) {
      const detail = this.#ip.missing > 0 ? this.#cut(`DNS message: ${end - start - 8} of its ${length - 8} bytes`) : `UDP length ${length} is more than the ${end - start} bytes of the IP payload`;
      return this.#reject('bad-record', detail);
    }
    this.#transport = 'udp';
    this.#dnsMessage(buf, start + 8, start + length);
  }

  #tcpSegment(buf: Buffer, start: number, end: number): void {
    if (!this.#ports(buf, start, end, 'TCP')) return;
    if (end - start < 20) return this.#reject('bad-record', this.#cut(`TCP header: ${end - start} of its 20 bytes`));
    const headerLength = (buf[start + 12]! >> 4) * 4;
    if (headerLength < 20) return this.#reject('bad-record', `TCP header length ${headerLength}, less than 20`);
    if (headerLength > end - start) return this.#reject('bad-record', this.#cut(`TCP header: ${end - start} of its ${headerLength} bytes`));
    if (this.#ip.missing > 0) return this.#reject('bad-record', this.#cut(`TCP segment: ${this.#ip.missing} bytes of its data missing`));
    this.#transport = 'tcp';
    const seq = ((buf[start + 4]! << 24) | (buf[start + 5]! << 16) | (buf[start + 6]! << 8) | buf[start + 7]!) >>> 0;
    const key = `${this.#src} ${this.#sport} > ${this.#dst} ${this.#dport}`;
    this.#tcp.segment(key, seq, buf[start + 13]!, buf, start + headerLength, end, this.#offset, this.#frame);
    this.stats.evictedStreams = this.#tcp.evicted;
  }

  /** Read the ports; false (and the packet counted or rejected) when neither is a DNS port. */
  #ports(buf: Buffer, start: number, end: number, protocol: string): boolean {
    if (end - start < 4) {
      this.#reject('bad-record', this.#cut(`${protocol} ports: ${end - start} of 4 bytes`));
      return false;
    }
    const sport = (buf[start]! << 8) | buf[start + 1]!;
    const dport = (buf[start + 2]! << 8) | buf[start + 3]!;
    if (this.#dnsPorts[sport] === 0 && this.#dnsPorts[dport] === 0) {
      this.stats.notDns++;
      return false;
    }
    this.#sport = sport;
    this.#dport = dport;
    this.#addressTexts();
    return true;
  }

  /** Sets the address texts of the packet; returns both, for keys. */
  #addressTexts(): string {
    const ip = this.#ip;
    const text = this.#ipText;
    this.#src = ip.version === 4 ? text.v4(this.#data, ip.src) : text.v6(this.#data, ip.src);
    this.#dst = ip.version === 4 ? text.v4(this.#data, ip.dst) : text.v6(this.#data, ip.dst);
    return `${this.#src} ${this.#dst}`;
  }

  #dnsMessage(buf: Buffer, start: number, end: number): void {
    const message = this.#message;
    const mdns = this.#transport === 'udp' && (this.#sport === MDNS_PORT || this.#dport === MDNS_PORT) && this.#sport !== DNS_PORT && this.#dport !== DNS_PORT;
    try {
      message.read(buf, start, end, mdns);
    } catch (e) {
      if (!(e instanceof MalformedDns)) throw e;
      return this.#reject('bad-record', `not a DNS message: ${e.detail}`);
    }
    this.stats.messages++;
    const row: DnsRow = {
      frame_time: this.#micros,
      frame_len: this.#origLen,
      ip_dst: this.#dst,
      ip_src: this.#src,
      dns_qry_name: message.name,
      dns_qry_class: message.class,
      dns_qry_type: message.type,
      dns_qry_rcode: message.flags & 0xf,
      dns_a: message.address,
      dns_id: message.id,
      dns_qr: (message.flags & 0x8000) !== 0,
      dns_flags: message.flags,
      dns_answers: message.answers,
      dns_ttl: message.ttl,
      sport: this.#sport,
      dport: this.#dport,
      transport: this.#transport,
      sensor: this.options.sensor,
      uid: null,
    };
    this.sink.append(row, { line: this.#frame, offset: this.#offset });
  }

  #cut(what: string): string {
    return this.#ip.missing > 0 || this.#capLen < this.#origLen ? `packet cut by the capture's snap length (${this.#capLen} of ${this.#origLen} bytes kept): ${what}` : `packet too short for its ${what}`;
  }

  #reject(reason: RejectReason, detail: string): void {
    this.badRecord(reason, this.#offset, this.#frame, detail, hexExcerpt(this.#data, this.#start, this.#start + this.#capLen));
  }
}
