/** Test helpers for flow export decoders: NetFlow v5 datagrams built byte by byte. */

export interface V5Record {
  readonly src: string;
  readonly dst: string;
  readonly sport: number;
  readonly dport: number;
  readonly proto: number;
  readonly packets: number;
  readonly bytes: number;
  /** Start and end as router uptime, milliseconds. */
  readonly first: number;
  readonly last: number;
}

/** A NetFlow v5 datagram exported at `unixSecs` by a router up for `uptimeMs`. */
export function netflowV5(records: readonly V5Record[], o: { unixSecs: number; uptimeMs: number; sequence?: number; count?: number }): Buffer {
  const b = Buffer.alloc(24 + 48 * records.length);
  b.writeUInt16BE(5, 0);
  b.writeUInt16BE(o.count ?? records.length, 2);
  b.writeUInt32BE(o.uptimeMs, 4);
  b.writeUInt32BE(o.unixSecs, 8);
  b.writeUInt32BE(o.sequence ?? 0, 16);
  records.forEach((r, i) => {
    const p = 24 + 48 * i;
    Buffer.from(r.src.split('.').map(Number)).copy(b, p);
    Buffer.from(r.dst.split('.').map(Number)).copy(b, p + 4);
    b.writeUInt32BE(r.packets, p + 16);
    b.writeUInt32BE(r.bytes, p + 20);
    b.writeUInt32BE(r.first, p + 24);
    b.writeUInt32BE(r.last, p + 28);
    b.writeUInt16BE(r.sport, p + 32);
    b.writeUInt16BE(r.dport, p + 34);
    b[p + 38] = r.proto;
  });
  return b;
}
