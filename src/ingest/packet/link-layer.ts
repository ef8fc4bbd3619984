/** Outcomes of LinkLayer.parse. */
export const LINK_IP = 1;
export const LINK_OTHER = 0;
export const LINK_BAD = -1;
export const LINK_UNSUPPORTED = -2;

/** Link types (tcpdump.org/linktypes.html), and DLT_RAW as BSDs number it. */
export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  FDDI: 10,
  DLT_RAW_12: 12,
  DLT_RAW_14: 14,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_QINQ = 0x88a8;
const ETHERTYPE_QINQ_OLD = 0x9100;
const ETHERTYPE_PPPOE = 0x8864;
const ETHERTYPE_MPLS = 0x8847;
const ETHERTYPE_MPLS_MULTICAST = 0x8848;
const PPP_IPV4 = 0x0021;
const PPP_IPV6 = 0x0057;
/** BSD address families of IPv6 in DLT_NULL headers: Linux, NetBSD/OpenBSD, FreeBSD, macOS. */
const AF_INET = 2;
const AF_INET6 = new Set([10, 24, 28, 30]);
/** More VLAN tags or MPLS labels than this is not a real frame. */
const MAX_TAGS = 8;

/**
 * Finds the IP packet in a link-layer frame: Ethernet (802.1Q and 802.1ad/QinQ tags, 802.3 with
 * LLC/SNAP, PPPoE sessions, MPLS label stacks), Linux cooked v1 and v2, raw IP, BSD loopback
 * (host byte order, and OpenBSD's network order) and FDDI with LLC/SNAP. Results are left in the
 * fields: one instance is reused for every packet.
 */
export class LinkLayer {
  /** IP version found: 4 or 6. */
  version = 0;
  /** Where the IP header starts. */
  offset = 0;
  problem = '';

  parse(linkType: number, buf: Uint8Array, start: number, end: number): number {
    switch (linkType) {
      case LINKTYPE.ETHERNET:
        return this.#ethernet(buf, start, end);
      case LINKTYPE.RAW:
      case LINKTYPE.DLT_RAW_12:
      case LINKTYPE.DLT_RAW_14:
      case LINKTYPE.IPV4:
      case LINKTYPE.IPV6:
        return this.#rawIp(buf, start, end, linkType);
      case LINKTYPE.LINUX_SLL:
        return end - start < 16 ? this.#cut('Linux cooked header', end - start, 16) : this.#ethertype((buf[start + 14]! << 8) | buf[start + 15]!, start + 16);
      case LINKTYPE.LINUX_SLL2:
        return end - start < 20 ? this.#cut('Linux cooked v2 header', end - start, 20) : this.#ethertype((buf[start]! << 8) | buf[start + 1]!, start + 20);
      case LINKTYPE.NULL:
      case LINKTYPE.LOOP:
        return this.#loopback(buf, start, end, linkType === LINKTYPE.LOOP);
      case LINKTYPE.FDDI:
        return this.#fddi(buf, start, end);
      default:
        return LINK_UNSUPPORTED;
    }
  }

  #ethernet(buf: Uint8Array, start: number, end: number): number {
    if (end - start < 14) return this.#cut('Ethernet header', end - start, 14);
    let type = (buf[start + 12]! << 8) | buf[start + 13]!;
    let p = start + 14;
    for (let tags = 0; type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || type === ETHERTYPE_QINQ_OLD; tags++) {
      if (tags === MAX_TAGS) return this.#bad(`more than ${MAX_TAGS} VLAN tags`);
      if (end - p < 4) return this.#cut('VLAN tag', end - p, 4);
      type = (buf[p + 2]! << 8) | buf[p + 3]!;
      p += 4;
    }
    if (type <= 1500) {
      // 802.3 length field: IP only with an LLC/SNAP header of OUI 0.
      if (end - p < 8 || !isSnap(buf, p)) return LINK_OTHER;
      type = (buf[p + 6]! << 8) | buf[p + 7]!;
      p += 8;
    }
    if (type === ETHERTYPE_PPPOE) {
      if (end - p < 8) return this.#cut('PPPoE header', end - p, 8);
      const ppp = (buf[p + 6]! << 8) | buf[p + 7]!;
      type = ppp === PPP_IPV4 ? ETHERTYPE_IPV4 : ppp === PPP_IPV6 ? ETHERTYPE_IPV6 : -1;
      p += 8;
    } else if (type === ETHERTYPE_MPLS || type === ETHERTYPE_MPLS_MULTICAST) {
      return this.#mpls(buf, p, end);
    }
    return this.#ethertype(type, p);
  }

  /** An MPLS label stack; what follows the bottom label is told by its IP version. */
  #mpls(buf: Uint8Array, start: number, end: number): number {
    let p = start;
    for (let labels = 0; ; labels++) {
      if (labels === MAX_TAGS) return this.#bad(`more than ${MAX_TAGS} MPLS labels`);
      if (end - p < 4) return this.#cut('MPLS label', end - p, 4);
      const bottom = (buf[p + 2]! & 1) === 1;
      p += 4;
      if (bottom) break;
    }
    if (p >= end) return LINK_OTHER;
    const version = buf[p]! >> 4;
    return version === 4 || version === 6 ? this.#found(version, p) : LINK_OTHER;
  }

  #rawIp(buf: Uint8Array, start: number, end: number, linkType: number): number {
    if (end <= start) return this.#bad('raw IP packet of 0 bytes');
    const version = buf[start]! >> 4;
    if (linkType === LINKTYPE.IPV4 && version !== 4) return this.#bad(`IPv4 link type, but the packet has IP version ${version}`);
    if (linkType === LINKTYPE.IPV6 && version !== 6) return this.#bad(`IPv6 link type, but the packet has IP version ${version}`);
    if (version !== 4 && version !== 6) return this.#bad(`raw IP packet of IP version ${version}`);
    return this.#found(version, start);
  }

  #loopback(buf: Uint8Array, start: number, end: number, networkOrder: boolean): number {
    if (end - start < 4) return this.#cut('loopback header', end - start, 4);
    const be = ((buf[start]! << 24) | (buf[start + 1]! << 16) | (buf[start + 2]! << 8) | buf[start + 3]!) >>> 0;
    const le = ((buf[start + 3]! << 24) | (buf[start + 2]! << 16) | (buf[start + 1]! << 8) | buf[start]!) >>> 0;
    // DLT_NULL holds the family in the capturing host's byte order; a small number tells which.
    const family = networkOrder || be < 0x10000 ? be : le;
    if (family === AF_INET) return this.#found(4, start + 4);
    if (AF_INET6.has(family)) return this.#found(6, start + 4);
    return LINK_OTHER;
  }

  /** FDDI: frame control, two addresses, then LLC/SNAP like 802.3. */
  #fddi(buf: Uint8Array, start: number, end: number): number {
    if (end - start < 21) return this.#cut('FDDI and LLC/SNAP header', end - start, 21);
    if (!isSnap(buf, start + 13)) return LINK_OTHER;
    return this.#ethertype((buf[start + 19]! << 8) | buf[start + 20]!, start + 21);
  }

  #ethertype(type: number, offset: number): number {
    if (type === ETHERTYPE_IPV4) return this.#found(4, offset);
    if (type === ETHERTYPE_IPV6) return this.#found(6, offset);
    return LINK_OTHER;
  }

  #found(version: number, offset: number): number {
    this.version = version;
    this.offset = offset;
    return LINK_IP;
  }

  #cut(what: string, have: number, need: number): number {
    return this.#bad(`${what} cut: ${have} of its ${need} bytes captured`);
  }

  #bad(problem: string): number {
    this.problem = problem;
    return LINK_BAD;
  }
}

/** LLC/SNAP header (AA AA 03) with the encapsulated-Ethernet OUI 00-00-00. */
function isSnap(buf: Uint8Array, p: number): boolean {
  return buf[p] === 0xaa && buf[p + 1] === 0xaa && buf[p + 2] === 0x03 && buf[p + 3] === 0 && buf[p + 4] === 0 && buf[p + 5] === 0;
}
