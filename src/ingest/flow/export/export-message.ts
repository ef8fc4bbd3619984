/**
 * Recognising flow export messages by their headers, not by their UDP ports: NetFlow v5, NetFlow
 * v9, IPFIX (RFC 7011) and sFlow v5. Checks go as far as the structure the collector relies on
 * (record counts, set lengths), so that a broken message is reported with its offset and reason
 * instead of being fed to the collector.
 */

export type ExportKind = 'netflow-v5' | 'netflow-v9' | 'ipfix' | 'sflow';

/** The collector that reads each kind. */
export const COLLECTOR_OF: Record<ExportKind, 'nfcapd' | 'sfcapd'> = {
  'netflow-v5': 'nfcapd',
  'netflow-v9': 'nfcapd',
  ipfix: 'nfcapd',
  sflow: 'sfcapd',
};

export type ExportCheck =
  /** warning: the header contradicts the body, but the collector can still read it. */
  | { readonly kind: ExportKind; readonly length: number; readonly warning?: string }
  /** kind is set when the header says what it is but the message is broken. */
  | { readonly kind: ExportKind | null; readonly problem: string; readonly at: number };

const V5_HEADER = 24;
const V5_RECORD = 48;
/** Cisco's v5 datagrams hold at most 30 records. */
const V5_MAX_RECORDS = 30;
const V9_HEADER = 20;
const IPFIX_HEADER = 16;
const SET_HEADER = 4;

/**
 * The export message that starts at buf[start], and its length, within buf[start, end). For v9
 * and sFlow, which carry no message length, the message is the rest: a datagram is one message.
 */
export function checkExport(buf: Uint8Array, start: number, end: number): ExportCheck {
  const size = end - start;
  if (size < 4) return { kind: null, problem: `${size} bytes: too short for any flow export header`, at: start };
  const version = u16(buf, start);
  if (version === 0 && u16(buf, start + 2) === 5) return checkSflow(buf, start, end);
  if (version === 5) return checkV5(buf, start, end);
  if (version === 9) return checkV9(buf, start, end);
  if (version === 10) return checkIpfix(buf, start, end);
  return { kind: null, problem: `starts with version ${version}: not NetFlow v5/v9, IPFIX or sFlow v5`, at: start };
}

function checkV5(buf: Uint8Array, start: number, end: number): ExportCheck {
  const count = u16(buf, start + 2);
  const length = V5_HEADER + V5_RECORD * count;
  if (count === 0 || count > V5_MAX_RECORDS) return { kind: 'netflow-v5', problem: `NetFlow v5 header announces ${count} records (1 to ${V5_MAX_RECORDS} allowed)`, at: start + 2 };
  if (end - start < length) {
    return { kind: 'netflow-v5', problem: `NetFlow v5 header announces ${count} records (${length} bytes), only ${end - start} bytes follow`, at: start + 2 };
  }
  return { kind: 'netflow-v5', length };
}

function checkV9(buf: Uint8Array, start: number, end: number): ExportCheck {
  if (end - start < V9_HEADER) return { kind: 'netflow-v9', problem: `NetFlow v9 header cut: ${end - start} of its ${V9_HEADER} bytes`, at: start };
  const sets = { count: 0 };
  const problem = checkSets(buf, start + V9_HEADER, end, 'NetFlow v9 flowset', true, sets);
  if (problem) return { kind: 'netflow-v9', ...problem };
  // The header counts records, and every flowset holds at least one.
  const count = u16(buf, start + 2);
  if (sets.count > count) return { kind: 'netflow-v9', length: end - start, warning: `NetFlow v9 header counts ${count} records, but ${sets.count} flowsets follow` };
  return { kind: 'netflow-v9', length: end - start };
}

function checkIpfix(buf: Uint8Array, start: number, end: number): ExportCheck {
  if (end - start < IPFIX_HEADER) return { kind: 'ipfix', problem: `IPFIX header cut: ${end - start} of its ${IPFIX_HEADER} bytes`, at: start };
  const length = u16(buf, start + 2);
  if (length < IPFIX_HEADER) return { kind: 'ipfix', problem: `IPFIX message length ${length}, less than its header`, at: start + 2 };
  if (length > end - start) return { kind: 'ipfix', problem: `IPFIX message length ${length}, only ${end - start} bytes follow`, at: start + 2 };
  const problem = checkSets(buf, start + IPFIX_HEADER, start + length, 'IPFIX set', false);
  return problem ? { kind: 'ipfix', ...problem } : { kind: 'ipfix', length };
}

/** sFlow v5: version 5, agent address type 1 (IPv4) or 2 (IPv6), then sub-agent, sequence, uptime, sample count. */
function checkSflow(buf: Uint8Array, start: number, end: number): ExportCheck {
  if (end - start < 8) return { kind: 'sflow', problem: `sFlow header cut: ${end - start} bytes`, at: start };
  const addressType = u32(buf, start + 4);
  if (addressType !== 1 && addressType !== 2) return { kind: null, problem: `sFlow v5 agent address type ${addressType} (1 or 2 expected)`, at: start + 4 };
  const header = addressType === 1 ? 28 : 40;
  if (end - start < header) return { kind: 'sflow', problem: `sFlow v5 header cut: ${end - start} of its ${header} bytes`, at: start };
  return { kind: 'sflow', length: end - start };
}

/**
 * Walk the sets (flowsets) of a v9 or IPFIX message: each at least a set header long and inside
 * the message. v9 exporters may pad a datagram with zeros after the last flowset.
 */
function checkSets(buf: Uint8Array, start: number, end: number, what: string, zeroPadding: boolean, sets = { count: 0 }): { problem: string; at: number } | null {
  let p = start;
  while (p < end) {
    if (zeroPadding && allZero(buf, p, end)) return null;
    if (end - p < SET_HEADER) return { problem: `${what} header cut: ${end - p} of its ${SET_HEADER} bytes`, at: p };
    const id = u16(buf, p);
    const length = u16(buf, p + 2);
    if (length < SET_HEADER) return { problem: `${what} ${id} has length ${length}, less than its header`, at: p + 2 };
    if (length > end - p) return { problem: `${what} ${id} has length ${length}, only ${end - p} bytes left in the message`, at: p + 2 };
    p += length;
    sets.count++;
  }
  return null;
}

function allZero(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] !== 0) return false;
  return true;
}

function u16(buf: Uint8Array, at: number): number {
  return (buf[at]! << 8) | buf[at + 1]!;
}

function u32(buf: Uint8Array, at: number): number {
  return ((buf[at]! << 24) | (buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!) >>> 0;
}
