import type { FlowRecord } from './flow-record.js';
import { addressBytes } from './address-bytes.js';
import { RECORD_BYTES, TEMPLATE_IPV4, TEMPLATE_IPV6, templateFlowSet, V9_FIELDS, type WriteContext } from './netflow-v9-template.js';

/**
 * NetFlow v9 export packets (RFC 3954) from flow records: a 20-byte header, a template
 * FlowSet (IPv4 and IPv6 templates) in the first packet and every `templateEvery` packets,
 * then data FlowSets padded to 4 bytes. The header's unix_secs is the simulated export time
 * and sysUptime counts from a simulated boot, so FIRST/LAST_SWITCHED (ms of uptime) turn back
 * into the simulated flow times at the collector.
 */

const HEADER_BYTES = 20;

export interface NetflowV9Options {
  /** Observation domain of the exporter (header source_id). */
  readonly sourceId: number;
  /** Simulated boot of the exporter, epoch ms; sysUptime counts from it (it must precede every flow). */
  readonly bootTime: number;
  /** Largest UDP payload to build; 1400 leaves room for tunnels on a 1500-byte path. */
  readonly maxPacketBytes?: number;
  /** Templates go in the first packet and again every this many packets. */
  readonly templateEvery?: number;
  /** A packet is sent once it holds records this much older than the newest (ms of export time). */
  readonly maxHoldMs?: number;
}

/**
 * Packs records (in export order) into NetFlow v9 packets. Push records, collect the packets it
 * returns, and call `finish()` for the last one.
 */
export class NetflowV9Encoder {
  readonly #opts: Required<NetflowV9Options>;
  readonly #template = templateFlowSet();
  readonly #addresses = new Map<string, Buffer>();
  readonly #ctx: WriteContext;
  #batch: FlowRecord[] = [];
  /** Consecutive records of one family share a data FlowSet: [family, count] per FlowSet. */
  #runs: [Family, number][] = [];
  #sequence = 0;
  #packets = 0;

  constructor(options: NetflowV9Options) {
    this.#opts = { maxPacketBytes: 1400, templateEvery: 20, maxHoldMs: 1000, ...options };
    this.#ctx = { bootTime: this.#opts.bootTime, address: (text) => this.#address(text) };
  }

  push(record: FlowRecord): Buffer | null {
    let out: Buffer | null = null;
    const first = this.#batch[0];
    if (first && (this.#sizeWith(record) > this.#opts.maxPacketBytes || record.exported - first.exported > this.#opts.maxHoldMs)) {
      out = this.#packet();
    }
    this.#batch.push(record);
    const family = familyOf(record);
    const last = this.#runs[this.#runs.length - 1];
    if (last?.[0] === family) last[1]++;
    else this.#runs.push([family, 1]);
    return out;
  }

  finish(): Buffer | null {
    return this.#batch.length ? this.#packet() : null;
  }

  /** Exact size of the current packet if the record joined it. */
  #sizeWith(record: FlowRecord): number {
    const family = familyOf(record);
    const last = this.#runs[this.#runs.length - 1]!;
    const runs: [Family, number][] = last[0] === family ? [...this.#runs.slice(0, -1), [family, last[1] + 1]] : [...this.#runs, [family, 1]];
    const data = runs.reduce((n, [f, count]) => n + padded(4 + count * RECORD_BYTES[f]), 0);
    return HEADER_BYTES + (this.#templateDue() ? this.#template.length : 0) + data;
  }

  #templateDue(): boolean {
    return this.#packets % this.#opts.templateEvery === 0;
  }

  #packet(): Buffer {
    const withTemplate = this.#templateDue();
    const sets: Buffer[] = withTemplate ? [this.#template] : [];
    let run: FlowRecord[] = [];
    for (const r of this.#batch) {
      if (run.length && familyOf(run[0]!) !== familyOf(r)) {
        sets.push(this.#dataFlowSet(run));
        run = [];
      }
      run.push(r);
    }
    if (run.length) sets.push(this.#dataFlowSet(run));
    const exported = this.#batch[this.#batch.length - 1]!.exported;
    const unixSecs = Math.floor(exported / 1000);
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt16BE(9, 0);
    header.writeUInt16BE(this.#batch.length + (withTemplate ? 2 : 0), 2);
    header.writeUInt32BE(unixSecs * 1000 - this.#opts.bootTime, 4);
    header.writeUInt32BE(unixSecs, 8);
    header.writeUInt32BE(this.#sequence, 12);
    header.writeUInt32BE(this.#opts.sourceId, 16);
    this.#sequence = (this.#sequence + 1) >>> 0;
    this.#packets++;
    this.#batch = [];
    this.#runs = [];
    return Buffer.concat([header, ...sets]);
  }

  #dataFlowSet(records: FlowRecord[]): Buffer {
    const family = familyOf(records[0]!);
    const list = V9_FIELDS[family];
    const length = padded(4 + records.length * RECORD_BYTES[family]);
    const buf = Buffer.alloc(length);
    buf.writeUInt16BE(family === 'ipv4' ? TEMPLATE_IPV4 : TEMPLATE_IPV6, 0);
    buf.writeUInt16BE(length, 2);
    let o = 4;
    for (const r of records) {
      for (const f of list) {
        f.write(buf, o, r, this.#ctx);
        o += f.length;
      }
    }
    return buf;
  }

  #address(text: string): Buffer {
    let bytes = this.#addresses.get(text);
    if (!bytes) {
      bytes = addressBytes(text);
      this.#addresses.set(text, bytes);
    }
    return bytes;
  }
}

type Family = 'ipv4' | 'ipv6';

function familyOf(r: FlowRecord): Family {
  return r.sip.includes(':') ? 'ipv6' : 'ipv4';
}

/** FlowSets are padded to a multiple of 4 bytes. */
function padded(bytes: number): number {
  return bytes + ((4 - (bytes % 4)) % 4);
}

/** Every packet for a stream of records (in export order), templates included. */
export function* netflowV9Packets(records: Iterable<FlowRecord>, options: NetflowV9Options): Generator<Buffer> {
  const encoder = new NetflowV9Encoder(options);
  for (const record of records) {
    const packet = encoder.push(record);
    if (packet) yield packet;
  }
  const last = encoder.finish();
  if (last) yield last;
}
