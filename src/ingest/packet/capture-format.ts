/**
 * Recognising packet capture files from their first bytes: classic pcap (microsecond or
 * nanosecond timestamps, either byte order) and pcapng (a section header block, either byte order).
 */

export type CaptureKind = 'pcap' | 'pcapng';

/** Classic pcap magic numbers as written by a little-endian (LE) or big-endian (BE) host. */
export const PCAP_MICRO_LE = 0xd4c3b2a1;
export const PCAP_MICRO_BE = 0xa1b2c3d4;
export const PCAP_NANO_LE = 0x4d3cb2a1;
export const PCAP_NANO_BE = 0xa1b23c4d;
/** pcapng section header block type (a palindrome, the same in both byte orders) and byte-order magic. */
export const PCAPNG_SHB = 0x0a0d0d0a;
export const PCAPNG_BOM = 0x1a2b3c4d;

/** The kind of capture a file starts like, or null when it is neither pcap nor pcapng. */
export function captureKind(head: Uint8Array): CaptureKind | null {
  if (head.length < 12) return null;
  const magic = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0;
  if (magic === PCAP_MICRO_LE || magic === PCAP_MICRO_BE || magic === PCAP_NANO_LE || magic === PCAP_NANO_BE) return 'pcap';
  if (magic !== PCAPNG_SHB) return null;
  const bomBe = ((head[8]! << 24) | (head[9]! << 16) | (head[10]! << 8) | head[11]!) >>> 0;
  const bomLe = ((head[11]! << 24) | (head[10]! << 16) | (head[9]! << 8) | head[8]!) >>> 0;
  return bomBe === PCAPNG_BOM || bomLe === PCAPNG_BOM ? 'pcapng' : null;
}
