import type { DnsRow } from '../../schema/index.js';
import { canonicalIp } from '../../shared/ip.js';
import { escapeControls } from './dns-text.js';
import type { TsharkLayers } from './tshark-json.js';

type Fields = Record<string, unknown>;

export type TsharkMessage = { readonly kind: 'row'; readonly row: DnsRow } | { readonly kind: 'reject'; readonly detail: string };

export interface TsharkPacket {
  readonly frame: number;
  readonly messages: readonly TsharkMessage[];
}

/** Protocols tshark shows DNS messages as: DNS, multicast DNS (5353), LLMNR (5355). */
const DNS_LAYERS = ['dns', 'mdns', 'llmnr'];
const QUESTION_SECTIONS = new Set(['Queries', 'Zone']);
/** The second section is named Prerequisites in dynamic updates (RFC 2136). */
const ANSWER_SECTIONS = new Set(['Answers', 'Prerequisites']);

class Unreadable extends Error {}

/**
 * One packet of tshark -T json -x --no-duplicate-keys as dns rows, mapped as the native decoder
 * maps packets (dns-packet-decoder.ts), from tshark's own dissection: header fields, the first
 * question, and each answer's type-specific fields (dns.a, dns.cname, dns.mx.*, dns.soa.*, …).
 * For types without such a mapping the RFC 3597 hex comes from the bytes tshark places the record
 * data at (dns.resp.len_raw and the layer's raw bytes). tshark's "<Root>" is ".", its other
 * "<…>" placeholders (a name whose pointer loops) and messages it marks malformed are rejected.
 * DNS inside an ICMP error (a quoted packet) is not a message of the capture and is skipped.
 */
export function tsharkPacket(layers: TsharkLayers, sensor: string | null): TsharkPacket {
  const frameFields = fields(layers.frame);
  const frame = Number(last(frameFields['frame.number']) ?? 0);
  if ('icmp' in layers || 'icmpv6' in layers) return { frame, messages: [] };
  let ip: Fields = {};
  let ipName = 'ip';
  let transport: Fields = {};
  let transportName = 'udp';
  const found: { fields: Fields; raw: unknown }[] = [];
  for (const [key, value] of Object.entries(layers)) {
    if (key === 'ip' || key === 'ipv6') {
      ip = fields(last(value));
      ipName = key;
    } else if (key === 'udp' || key === 'tcp') {
      transport = fields(last(value));
      transportName = key;
    } else if (DNS_LAYERS.includes(key)) {
      const raws = rawList(layers[`${key}_raw`]);
      list(value).forEach((v, i) => found.push({ fields: fields(v), raw: raws[i] }));
    }
  }
  const malformed = '_ws.malformed' in layers;
  const packetColumns = (): PacketColumns => ({
    frame_time: epochMicros(text(frameFields, 'frame.time_epoch')),
    frame_len: Number(text(frameFields, 'frame.len')),
    ip_dst: address(text(ip, `${ipName}.dst`)),
    ip_src: address(text(ip, `${ipName}.src`)),
    sport: Number(text(transport, `${transportName}.srcport`)),
    dport: Number(text(transport, `${transportName}.dstport`)),
    transport: transportName,
    sensor,
    uid: null,
  });
  const messages = found.map(({ fields: message, raw }, i): TsharkMessage => {
    if (malformed && i === found.length - 1) return { kind: 'reject', detail: 'tshark marks the DNS message malformed' };
    try {
      return { kind: 'row', row: dnsRow(packetColumns(), messageColumns(message, raw)) };
    } catch (e) {
      if (!(e instanceof Unreadable)) throw e;
      return { kind: 'reject', detail: e.message };
    }
  });
  return { frame, messages };
}

type PacketColumns = Pick<DnsRow, 'frame_time' | 'frame_len' | 'ip_dst' | 'ip_src' | 'sport' | 'dport' | 'transport' | 'sensor' | 'uid'>;
type MessageColumns = Omit<DnsRow, keyof PacketColumns>;

/** The columns in the table's order. */
function dnsRow(p: PacketColumns, m: MessageColumns): DnsRow {
  return {
    frame_time: p.frame_time,
    frame_len: p.frame_len,
    ip_dst: p.ip_dst,
    ip_src: p.ip_src,
    dns_qry_name: m.dns_qry_name,
    dns_qry_class: m.dns_qry_class,
    dns_qry_type: m.dns_qry_type,
    dns_qry_rcode: m.dns_qry_rcode,
    dns_a: m.dns_a,
    dns_id: m.dns_id,
    dns_qr: m.dns_qr,
    dns_flags: m.dns_flags,
    dns_answers: m.dns_answers,
    dns_ttl: m.dns_ttl,
    sport: p.sport,
    dport: p.dport,
    transport: p.transport,
    sensor: p.sensor,
    uid: p.uid,
  };
}

function messageColumns(message: Fields, raw: unknown): MessageColumns {
  const flags = Number(text(message, 'dns.flags'));
  let question: Fields | null = null;
  const answers: string[] = [];
  let address: string | null = null;
  let ttl: number | null = null;
  for (const [key, value] of Object.entries(message)) {
    if (QUESTION_SECTIONS.has(key) && question === null) question = fields(list(Object.values(fields(value))[0])[0]);
    if (!ANSWER_SECTIONS.has(key)) continue;
    for (const record of Object.values(fields(value)).flatMap(list)) {
      const r = fields(record);
      const type = Number(text(r, 'dns.resp.type'));
      const answer = answerText(r, type, raw);
      answers.push(answer);
      if (address === null && (type === 1 || type === 28) && answer !== '\\# 0') address = answer;
      const recordTtl = Number(text(r, 'dns.resp.ttl'));
      if (ttl === null || recordTtl < ttl) ttl = recordTtl;
    }
  }
  return {
    dns_qry_name: question ? name(text(question, 'dns.qry.name')) : null,
    dns_qry_class: question ? Number(text(question, 'dns.qry.class')) : null,
    dns_qry_type: question ? Number(text(question, 'dns.qry.type')) : null,
    dns_qry_rcode: flags & 0xf,
    dns_a: address,
    dns_id: Number(text(message, 'dns.id')),
    dns_qr: (flags & 0x8000) !== 0,
    dns_flags: flags,
    dns_answers: answers,
    dns_ttl: ttl,
  };
}

function answerText(r: Fields, type: number, raw: unknown): string {
  if (Number(text(r, 'dns.resp.len')) === 0) return '\\# 0';
  switch (type) {
    case 1:
      return text(r, 'dns.a');
    case 28:
      return canonicalIp(text(r, 'dns.aaaa')) ?? text(r, 'dns.aaaa');
    case 2:
      return name(text(r, 'dns.ns'));
    case 5:
      return name(text(r, 'dns.cname'));
    case 12:
      return name(text(r, 'dns.ptr.domain_name'));
    case 15:
      return `${text(r, 'dns.mx.preference')} ${name(text(r, 'dns.mx.mail_exchange'))}`;
    case 16:
      return list(r['dns.txt']).map((s) => escapeControls(String(s))).join('');
    case 6: {
      const numbers = ['serial_number', 'refresh_interval', 'retry_interval', 'expire_limit', 'minimum_ttl'].map((f) => text(r, `dns.soa.${f}`));
      return `${name(text(r, 'dns.soa.mname'))} ${name(text(r, 'dns.soa.rname'))} ${numbers.join(' ')}`;
    }
    case 33:
      return `${text(r, 'dns.srv.priority')} ${text(r, 'dns.srv.weight')} ${text(r, 'dns.srv.port')} ${name(text(r, 'dns.srv.target'))}`;
    default:
      return genericData(r, raw);
  }
}

/** RFC 3597 text of a record's data: its bytes follow the 2-byte data length in the message. */
function genericData(r: Fields, raw: unknown): string {
  const length = r['dns.resp.len_raw'];
  if (!Array.isArray(raw) || !Array.isArray(length)) throw new Unreadable('tshark gives no raw bytes for the record data (run it with -x)');
  const [hex, layerStart] = raw as [string, number];
  const dataStart = (length as [string, number])[1] + 2;
  const size = Number(text(r, 'dns.resp.len'));
  const from = (dataStart - layerStart) * 2;
  if (from < 0 || from + size * 2 > hex.length) throw new Unreadable('the record data lies outside the message bytes tshark gives');
  return `\\# ${size} ${hex.slice(from, from + size * 2)}`;
}

/** A name as tshark prints it: "<Root>" is the root; other "<…>" texts tell why there is no name. */
function name(value: string): string {
  if (value === '<Root>') return '.';
  if (value.startsWith('<') && value.endsWith('>')) throw new Unreadable(`tshark: ${value}`);
  return value;
}

function address(value: string): string {
  const ip = canonicalIp(value);
  if (ip === null) throw new Unreadable(`tshark shows the address ${JSON.stringify(value)}`);
  return ip;
}

function epochMicros(value: string): number {
  const [seconds = '0', fraction = ''] = value.split('.');
  return Number(seconds) * 1_000_000 + Number(fraction.slice(0, 6).padEnd(6, '0'));
}

function text(f: Fields, key: string): string {
  const value = last(f[key]);
  if (typeof value !== 'string') throw new Unreadable(`tshark shows no ${key}`);
  return value;
}

function fields(value: unknown): Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Fields) : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function last(value: unknown): unknown {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/** The raw [hex, position, …] of each layer occurrence: one array, or an array of them. */
function rawList(value: unknown): unknown[] {
  if (!Array.isArray(value)) return [];
  return Array.isArray(value[0]) ? value : [value];
}
