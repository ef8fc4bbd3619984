/** Outcomes of IpLayer.parse and IpLayer.extensions. */
export const IP_PAYLOAD = 1;
export const IP_FRAGMENT = 2;
export const IP_OTHER = 0;
export const IP_BAD = -1;

export const PROTO_TCP = 6;
export const PROTO_UDP = 17;

const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const AH = 51;
const DESTINATION = 60;
const MOBILITY = 135;
const MAX_EXTENSIONS = 16;

/**
 * IPv4 (options skipped) and IPv6 (extension headers walked: hop-by-hop, routing, fragment,
 * destination options, mobility, AH). Finds the transport protocol and payload, and the fragment
 * fields when the packet is one fragment of a larger datagram. The payload ends where the IP
 * length says, so link-layer padding is dropped; when fewer bytes were captured than the IP
 * length announces, `missing` counts them. One instance is reused for every packet.
 */
export class IpLayer {
  version = 0;
  /** Offsets of the source and destination addresses in the packet buffer. */
  src = 0;
  dst = 0;
  protocol = 0;
  payloadStart = 0;
  payloadEnd = 0;
  /** Bytes of the datagram the capture did not keep (snap length). */
  missing = 0;
  fragmentId = 0;
  /** Byte offset of this fragment in the datagram, and whether more fragments follow. */
  fragmentOffset = 0;
  moreFragments = false;
  problem = '';

  parse(version: number, buf: Uint8Array, start: number, end: number): number {
    this.version = version;
    this.missing = 0;
    return version === 4 ? this.#ipv4(buf, start, end) : this.#ipv6(buf, start, end);
  }

  /**
   * Walk IPv6 extension headers from `next` at buf[start, end): leaves the protocol and payload
   * in the fields. Also used on a reassembled datagram, whose headers after the fragment header
   * were in the first fragment.
   */
  extensions(next: number, buf: Uint8Array, start: number, end: number): number {
    let p = start;
    for (let count = 0; count < MAX_EXTENSIONS; count++) {
      if (next !== HOP_BY_HOP && next !== ROUTING && next !== DESTINATION && next !== MOBILITY && next !== AH && next !== FRAGMENT) break;
      if (end - p < 8) return this.#bad(`IPv6 extension header ${next} cut: ${Math.max(0, end - p)} bytes left of the packet`);
      const following = buf[p]!;
      if (next === FRAGMENT) {
        const field = (buf[p + 2]! << 8) | buf[p + 3]!;
        this.fragmentOffset = field & 0xfff8;
        this.moreFragments = (field & 1) === 1;
        this.fragmentId = ((buf[p + 4]! << 24) | (buf[p + 5]! << 16) | (buf[p + 6]! << 8) | buf[p + 7]!) >>> 0;
        p += 8;
        next = following;
        // An atomic fragment (offset 0, no more) is a whole datagram (RFC 6946).
        if (this.fragmentOffset !== 0 || this.moreFragments) return this.#fragment(next, p, end);
        continue;
      }
      p += next === AH ? (buf[p + 1]! + 2) * 4 : (buf[p + 1]! + 1) * 8;
      if (p > end) return this.#bad(`IPv6 extension header ${next} runs past the end of the packet`);
      next = following;
    }
    return this.#payload(next, p, end);
  }

  #ipv4(buf: Uint8Array, start: number, end: number): number {
    if (end - start < 20) return this.#bad(`IPv4 header cut: ${end - start} of its 20 bytes captured`);
    const versionIhl = buf[start]!;
    if (versionIhl >> 4 !== 4) return this.#bad(`IPv4 packet with IP version ${versionIhl >> 4}`);
    const headerLength = (versionIhl & 15) * 4;
    if (headerLength < 20) return this.#bad(`IPv4 header length ${headerLength}, less than 20`);
    if (end - start < headerLength) return this.#bad(`IPv4 header cut: ${end - start} of its ${headerLength} bytes captured`);
    const totalLength = (buf[start + 2]! << 8) | buf[start + 3]!;
    if (totalLength < headerLength) return this.#bad(`IPv4 total length ${totalLength}, less than its header length ${headerLength}`);
    this.src = start + 12;
    this.dst = start + 16;
    const ipEnd = this.#end(start + totalLength, end);
    const fragment = (buf[start + 6]! << 8) | buf[start + 7]!;
    this.fragmentOffset = (fragment & 0x1fff) * 8;
    this.moreFragments = (fragment & 0x2000) !== 0;
    this.fragmentId = (buf[start + 4]! << 8) | buf[start + 5]!;
    if (this.fragmentOffset !== 0 || this.moreFragments) return this.#fragment(buf[start + 9]!, start + headerLength, ipEnd);
    return this.#payload(buf[start + 9]!, start + headerLength, ipEnd);
  }

  #ipv6(buf: Uint8Array, start: number, end: number): number {
    if (end - start < 40) return this.#bad(`IPv6 header cut: ${end - start} of its 40 bytes captured`);
    if (buf[start]! >> 4 !== 6) return this.#bad(`IPv6 packet with IP version ${buf[start]! >> 4}`);
    const payloadLength = (buf[start + 4]! << 8) | buf[start + 5]!;
    const next = buf[start + 6]!;
    this.src = start + 8;
    this.dst = start + 24;
    // A payload length of 0 behind a hop-by-hop header is a jumbogram: its length is the packet's.
    const ipEnd = payloadLength === 0 && next === HOP_BY_HOP ? end : this.#end(start + 40 + payloadLength, end);
    return this.extensions(next, buf, start + 40, ipEnd);
  }

  /** The end of the datagram within what was captured; counts the bytes not captured. */
  #end(announced: number, captured: number): number {
    if (announced <= captured) return announced;
    this.missing = announced - captured;
    return captured;
  }

  #payload(protocol: number, start: number, end: number): number {
    this.protocol = protocol;
    this.payloadStart = start;
    this.payloadEnd = end;
    return protocol === PROTO_UDP || protocol === PROTO_TCP ? IP_PAYLOAD : IP_OTHER;
  }

  #fragment(protocol: number, start: number, end: number): number {
    this.#payload(protocol, start, end);
    return IP_FRAGMENT;
  }

  #bad(problem: string): number {
    this.problem = problem;
    return IP_BAD;
  }
}
