import { ipv4ToNumber } from '../shared/ip.js';

/** An IPv6 address (text without zone or embedded IPv4) as its eight 16-bit groups. */
export function expandIpv6(text: string): number[] {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  if (tail === null) return left;
  const right = parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** An address in network byte order: 4 bytes for IPv4, 16 for IPv6, as NetFlow and IP headers carry it. */
export function addressBytes(text: string): Buffer {
  if (text.includes(':')) {
    const b = Buffer.alloc(16);
    expandIpv6(text).forEach((g, i) => b.writeUInt16BE(g, i * 2));
    return b;
  }
  const b = Buffer.alloc(4);
  b.writeUInt32BE(ipv4ToNumber(text), 0);
  return b;
}
