/**
 * Test helpers for the DNS capture decoders: DNS messages, packets from link layer to UDP/TCP,
 * pcap and pcapng files built byte by byte, and a sink that keeps what it is given.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../../test/helpers/tmp.js';
import type { dns, DnsRow, RejectReason } from '../../schema/index.js';
import type { Position, RowSink } from '../decoder.js';
import type { CaptureStats } from './dns-packet-decoder.js';
import { decodeCapture } from './pcap-dns.js';
import { addressBytes, u16, u32 } from '../packet/testing.js';

export * from '../packet/testing.js';

export interface Rejected {
  readonly reason: RejectReason;
  readonly line: number | undefined;
  readonly offset: number | undefined;
  readonly detail: string | undefined;
}

/** Keeps rows with their positions, and rejects. */
export class CollectingSink implements RowSink<typeof dns> {
  readonly rows: DnsRow[] = [];
  readonly positions: Position[] = [];
  readonly rejects: Rejected[] = [];

  append(row: DnsRow, at: Position): void {
    this.rows.push(row);
    this.positions.push(at);
  }

  reject(reason: RejectReason, at: Position, detail?: string): void {
    this.rejects.push({ reason, line: at.line, offset: at.offset, detail });
  }
}

export const DEFAULT_PORTS = [53, 5353, 5355];

/** Write the bytes to a temporary file (call inside a test) and decode it natively. */
export async function decodeBytes(bytes: Uint8Array, ports: readonly number[] = DEFAULT_PORTS, name = 'capture.pcap'): Promise<{ sink: CollectingSink; stats: CaptureStats; path: string }> {
  const path = writeTemp(bytes, name);
  const sink = new CollectingSink();
  const stats = await decodeCapture(path, sink, { ports, sensor: 'test' });
  return { sink, stats, path };
}

export function writeTemp(bytes: Uint8Array, name: string): string {
  const path = join(tempDir(), name);
  writeFileSync(path, bytes);
  return path;
}

// ---- DNS messages -----------------------------------------------------------------------------

/** A name as uncompressed wire labels ("." is the root). */
export function wireName(name: string): Buffer {
  if (name === '.') return Buffer.of(0);
  return Buffer.concat([...name.split('.').map((l) => Buffer.concat([Buffer.of(Buffer.byteLength(l, 'latin1')), Buffer.from(l, 'latin1')])), Buffer.of(0)]);
}

export interface Question {
  readonly name: string | Buffer;
  readonly type?: number;
  readonly class?: number;
}

export interface ResourceRecord {
  /** Owner name; defaults to a pointer to the first question (offset 12). */
  readonly name?: string | Buffer;
  readonly type: number;
  readonly class?: number;
  readonly ttl?: number;
  readonly data: Buffer;
}

export interface Message {
  readonly id?: number;
  readonly flags?: number;
  readonly questions?: readonly Question[];
  readonly answers?: readonly ResourceRecord[];
  readonly authority?: readonly ResourceRecord[];
  readonly additional?: readonly ResourceRecord[];
}

export const POINTER_TO_QUESTION = Buffer.of(0xc0, 0x0c);

/** A DNS message; names given as strings are written uncompressed, buffers as they are. */
export function dnsMessage(m: Message): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(m.id ?? 0x1234, 0);
  header.writeUInt16BE(m.flags ?? 0x0100, 2);
  header.writeUInt16BE(m.questions?.length ?? 0, 4);
  header.writeUInt16BE(m.answers?.length ?? 0, 6);
  header.writeUInt16BE(m.authority?.length ?? 0, 8);
  header.writeUInt16BE(m.additional?.length ?? 0, 10);
  const name = (n: string | Buffer) => (typeof n === 'string' ? wireName(n) : n);
  const questions = (m.questions ?? []).map((q) => Buffer.concat([name(q.name), u16(q.type ?? 1), u16(q.class ?? 1)]));
  const records = [...(m.answers ?? []), ...(m.authority ?? []), ...(m.additional ?? [])].map((r) =>
    Buffer.concat([name(r.name ?? POINTER_TO_QUESTION), u16(r.type), u16(r.class ?? 1), u32(r.ttl ?? 300), u16(r.data.length), r.data]),
  );
  return Buffer.concat([header, ...questions, ...records]);
}

/** Record data. */
export const rdata = {
  a: (ip: string) => addressBytes(ip),
  aaaa: (ip: string) => addressBytes(ip),
  name: (n: string) => wireName(n),
  mx: (preference: number, n: string) => Buffer.concat([u16(preference), wireName(n)]),
  txt: (...strings: (string | Buffer)[]) => Buffer.concat(strings.map((s) => (typeof s === 'string' ? Buffer.from(s, 'latin1') : s)).map((s) => Buffer.concat([Buffer.of(s.length), s]))),
  soa: (mname: string, rname: string, ...numbers: number[]) => Buffer.concat([wireName(mname), wireName(rname), ...numbers.map(u32)]),
  srv: (priority: number, weight: number, port: number, target: string) => Buffer.concat([u16(priority), u16(weight), u16(port), wireName(target)]),
};

/** A dns row with the values every test packet shares, and the given ones. */
export function row(values: Partial<DnsRow>): DnsRow {
  return {
    frame_time: 0,
    frame_len: 0,
    ip_dst: '',
    ip_src: '',
    dns_qry_name: null,
    dns_qry_class: null,
    dns_qry_type: null,
    dns_qry_rcode: 0,
    dns_a: null,
    dns_id: 0x1234,
    dns_qr: false,
    dns_flags: 0x0100,
    dns_answers: [],
    dns_ttl: null,
    sport: 0,
    dport: 0,
    transport: 'udp',
    sensor: 'test',
    uid: null,
    ...values,
  };
}
