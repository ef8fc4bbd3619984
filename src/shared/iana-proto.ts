/**
 * IP protocol numbers to the names nfdump prints (nfdump's protocol table), so that flows from
 * every source carry the same proto text. Unknown numbers are kept as their decimal text.
 */
const NAMES: Record<number, string> = {
  0: 'HOPOPT', 1: 'ICMP', 2: 'IGMP', 3: 'GGP', 4: 'IPIP', 5: 'ST', 6: 'TCP', 8: 'EGP', 9: 'IGP', 17: 'UDP',
  27: 'RDP', 29: 'ISO-TP4', 33: 'DCCP', 41: 'IPv6', 43: 'IPv6R', 44: 'IPv6F', 46: 'RSVP', 47: 'GRE', 50: 'ESP', 51: 'AH',
  58: 'ICMP6', 59: 'NoNxt', 60: 'IPv6O', 88: 'EIGRP', 89: 'OSPF', 94: 'IPIP', 97: 'ETHIP', 98: 'ENCAP', 103: 'PIM',
  108: 'IPCOMP', 112: 'VRRP', 115: 'L2TP', 132: 'SCTP', 136: 'UDPLite', 137: 'MPLS',
};

const BY_NAME = new Map(Object.entries(NAMES).map(([n, name]) => [name.toUpperCase(), Number(n)]));
BY_NAME.set('IPV6-ICMP', 58);
BY_NAME.set('ICMPV6', 58);

/** Every named protocol number with its canonical text. */
export function protoNames(): Record<string, string> {
  return Object.fromEntries(Object.entries(NAMES).map(([n, name]) => [n, name.toUpperCase()]));
}

/** Canonical proto text for a protocol number. */
export function protoName(num: number): string {
  return NAMES[num]?.toUpperCase() ?? String(num);
}

/**
 * Canonical proto text for a name or number from any source ("tcp", "6", "ipv6-icmp", "icmp"
 * on an IPv6 flow). Non-IP Argus protocols (arp, llc) keep their own name in upper case.
 */
export function normaliseProto(text: string, ipv6 = false): string {
  const t = text.trim();
  if (/^\d{1,3}$/.test(t)) return protoName(Number(t));
  const upper = t.toUpperCase();
  if (upper === 'ICMP' && ipv6) return 'ICMP6';
  const num = BY_NAME.get(upper);
  return num === undefined ? upper : protoName(num);
}

export function protoNumber(name: string): number | undefined {
  if (/^\d{1,3}$/.test(name)) return Number(name);
  return BY_NAME.get(name.toUpperCase());
}
