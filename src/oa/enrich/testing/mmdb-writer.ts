import { addressKey } from '../address.js';

/*
 * A small MaxMind DB writer for tests (the format: https://maxmind.github.io/MaxMind-DB/): an IPv6 tree with 24-bit
 * records, IPv4 networks under ::/96, and a data section of maps, strings, doubles and unsigned integers. It lets tests
 * build exact fixtures in MaxMind's GeoLite2 layout without shipping a binary file.
 */

type Value = string | number | boolean | readonly Value[] | { readonly [k: string]: Value };

interface Node {
  readonly children: [Node | number | null, Node | number | null];
}

function encode(value: Value): Buffer {
  const control = (type: number, size: number): Buffer => {
    const head = (t: number, s: number) => (t <= 7 ? [(t << 5) | s] : [s, t - 7]);
    if (size < 29) return Buffer.from(head(type, size));
    if (size < 285) return Buffer.from([...head(type, 29), size - 29]);
    return Buffer.from([...head(type, 30), (size - 285) >> 8, (size - 285) & 255]);
  };
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([control(2, bytes.length), bytes]);
  }
  if (typeof value === 'boolean') return control(14, value ? 1 : 0);
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0 && value < 2 ** 32) {
      const bytes: number[] = [];
      for (let v = value; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
      return Buffer.concat([control(6, bytes.length), Buffer.from(bytes)]);
    }
    const b = Buffer.alloc(8);
    b.writeDoubleBE(value);
    return Buffer.concat([control(3, 8), b]);
  }
  if (Array.isArray(value)) return Buffer.concat([control(11, value.length), ...value.map(encode)]);
  const entries = Object.entries(value as Record<string, Value>);
  return Buffer.concat([control(7, entries.length), ...entries.flatMap(([k, v]) => [encode(k), encode(v)])]);
}

/** An MMDB file (as bytes) mapping each network ("1.2.3.0/24", "2001:db8::/32") to its record. */
export function writeMmdb(networks: Readonly<Record<string, Value>>, databaseType = 'GeoLite2-City'): Buffer {
  const root: Node = { children: [null, null] };
  const data: Buffer[] = [];
  let dataSize = 0;
  for (const [cidr, record] of Object.entries(networks)) {
    const [address, prefixText] = cidr.split('/') as [string, string];
    const key = addressKey(address)!;
    const bits = BigInt(key.value); // IPv4 sits under ::/96
    const depth = key.family === 4 ? 96 + Number(prefixText) : Number(prefixText);
    const offset = dataSize;
    const bytes = encode(record);
    data.push(bytes);
    dataSize += bytes.length;
    let node = root;
    for (let i = 0; i < depth; i++) {
      const bit = Number((bits >> BigInt(127 - i)) & 1n);
      if (i === depth - 1) node.children[bit] = -(offset + 1);
      else {
        const next = node.children[bit];
        if (typeof next === 'object' && next !== null) node = next;
        else node = node.children[bit] = { children: [null, null] };
      }
    }
  }
  // Number the nodes breadth first, then write each record: a node number, "no data", or a data pointer.
  const nodes: Node[] = [root];
  for (let i = 0; i < nodes.length; i++) for (const c of nodes[i]!.children) if (typeof c === 'object' && c !== null) nodes.push(c);
  const index = new Map(nodes.map((n, i) => [n, i]));
  const count = nodes.length;
  const tree = Buffer.alloc(count * 6);
  nodes.forEach((n, i) => {
    n.children.forEach((c, side) => {
      const value = c === null ? count : typeof c === 'object' ? index.get(c)! : count + 16 + (-c - 1);
      tree.writeUIntBE(value, i * 6 + side * 3, 3);
    });
  });
  const metadata = encode({
    node_count: count,
    record_size: 24,
    ip_version: 6,
    database_type: databaseType,
    languages: ['en'],
    binary_format_major_version: 2,
    binary_format_minor_version: 0,
    build_epoch: 1_700_000_000,
    description: { en: 'Spothreat test fixture' },
  });
  return Buffer.concat([tree, Buffer.alloc(16), ...data, Buffer.from([0xab, 0xcd, 0xef]), Buffer.from('MaxMind.com'), metadata]);
}
