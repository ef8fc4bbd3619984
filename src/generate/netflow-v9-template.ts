import { protoNumber } from '../shared/iana-proto.js';
import { flagBits, type FlowRecord } from './flow-record.js';

/**
 * The two NetFlow v9 templates the simulated router announces, one for IPv4 and one for IPv6
 * flows, as field lists that also know how to write a record's value. Counters are 8 bytes
 * wide, so a flow of more than 4 GiB keeps its true size.
 *
 * nfdump 1.7.1 stores every field below (its v9 translation table maps each one). ICMP_TYPE (32)
 * is sent because that decoder overwrites the destination port of ICMP records with it, and
 * with 0 when it is absent.
 */

export const TEMPLATE_FLOWSET_ID = 0;
export const TEMPLATE_IPV4 = 256;
export const TEMPLATE_IPV6 = 257;

export interface Field {
  readonly id: number;
  readonly name: string;
  readonly length: number;
  write(buf: Buffer, offset: number, r: FlowRecord, ctx: WriteContext): void;
}

export interface WriteContext {
  /** Simulated boot of the exporter, epoch ms: FIRST/LAST_SWITCHED count from it. */
  readonly bootTime: number;
  /** An address in network byte order. */
  address(text: string): Buffer;
}

const u8 = (id: number, name: string, get: (r: FlowRecord) => number): Field => ({ id, name, length: 1, write: (b, o, r) => b.writeUInt8(get(r), o) });
const u16 = (id: number, name: string, get: (r: FlowRecord) => number): Field => ({ id, name, length: 2, write: (b, o, r) => b.writeUInt16BE(get(r), o) });
const u32 = (id: number, name: string, get: (r: FlowRecord) => number): Field => ({ id, name, length: 4, write: (b, o, r) => b.writeUInt32BE(get(r), o) });
const u64 = (id: number, name: string, get: (r: FlowRecord) => number): Field => ({
  id,
  name,
  length: 8,
  write: (b, o, r) => b.writeBigUInt64BE(BigInt(get(r)), o),
});
const addr = (id: number, name: string, length: 4 | 16, get: (r: FlowRecord) => string): Field => ({
  id,
  name,
  length,
  write: (b, o, r, ctx) => ctx.address(get(r)).copy(b, o),
});
const uptime = (id: number, name: string, get: (r: FlowRecord) => number): Field => ({
  id,
  name,
  length: 4,
  write: (b, o, r, ctx) => b.writeUInt32BE(get(r) - ctx.bootTime, o),
});

const isIcmp = (r: FlowRecord) => r.proto === 'ICMP' || r.proto === 'ICMP6';

function fields(v6: boolean): Field[] {
  return [
    u64(1, 'IN_BYTES', (r) => r.ibyt),
    u64(2, 'IN_PKTS', (r) => r.ipkt),
    uptime(22, 'FIRST_SWITCHED', (r) => r.tstart),
    uptime(21, 'LAST_SWITCHED', (r) => r.tend),
    v6 ? addr(27, 'IPV6_SRC_ADDR', 16, (r) => r.sip) : addr(8, 'IPV4_SRC_ADDR', 4, (r) => r.sip),
    v6 ? addr(28, 'IPV6_DST_ADDR', 16, (r) => r.dip) : addr(12, 'IPV4_DST_ADDR', 4, (r) => r.dip),
    u16(7, 'L4_SRC_PORT', (r) => r.sport),
    u16(11, 'L4_DST_PORT', (r) => r.dport),
    u16(32, 'ICMP_TYPE', (r) => (isIcmp(r) ? r.dport : 0)),
    u8(4, 'PROTOCOL', (r) => protocolNumber(r.proto)),
    u8(6, 'TCP_FLAGS', (r) => flagBits(r.flag)),
    u8(5, 'SRC_TOS', (r) => r.stos),
    u8(55, 'DST_TOS', (r) => r.dtos),
    u16(10, 'INPUT_SNMP', (r) => r.input),
    u16(14, 'OUTPUT_SNMP', (r) => r.output),
    u32(16, 'SRC_AS', (r) => r.sas),
    u32(17, 'DST_AS', (r) => r.das),
    u8(61, 'DIRECTION', (r) => r.dir),
    u8(89, 'FORWARDING_STATUS', (r) => r.fwd),
  ];
}

export const V9_FIELDS = { ipv4: fields(false), ipv6: fields(true) } as const;
export const RECORD_BYTES = {
  ipv4: V9_FIELDS.ipv4.reduce((n, f) => n + f.length, 0),
  ipv6: V9_FIELDS.ipv6.reduce((n, f) => n + f.length, 0),
};

function protocolNumber(name: string): number {
  const n = protoNumber(name);
  if (n === undefined) throw new Error(`no protocol number for ${name}`);
  return n;
}

/** The template FlowSet announcing both record layouts. */
export function templateFlowSet(): Buffer {
  const templates = [
    [TEMPLATE_IPV4, V9_FIELDS.ipv4],
    [TEMPLATE_IPV6, V9_FIELDS.ipv6],
  ] as const;
  const length = 4 + templates.reduce((n, [, f]) => n + 4 + 4 * f.length, 0);
  const buf = Buffer.alloc(length);
  buf.writeUInt16BE(TEMPLATE_FLOWSET_ID, 0);
  buf.writeUInt16BE(length, 2);
  let o = 4;
  for (const [id, list] of templates) {
    buf.writeUInt16BE(id, o);
    buf.writeUInt16BE(list.length, o + 2);
    o += 4;
    for (const f of list) {
      buf.writeUInt16BE(f.id, o);
      buf.writeUInt16BE(f.length, o + 2);
      o += 4;
    }
  }
  return buf;
}
