import { readFile, writeFile } from 'node:fs/promises';
import { csvField } from '../shared/csv.js';
import { NetworkSet } from '../shared/ip.js';

/**
 * Ground truth: one labels.csv row per injected attack or benign-rare job. A flow belongs to a
 * label when it falls in the label's time window and goes from a src to a dst on one of the
 * dports, or is the answer to such a flow (dst to src, from one of the dports); see
 * `matchesLabel`. Columns:
 *
 *   id,category,attack,src,dst,dports,proto,start,end,description,hosts
 *
 * src and dst list addresses or CIDRs separated by ';'. dports lists ports separated by ';',
 * runs of three or more written as a range "1-1024"; empty means any port. Ports do not apply
 * to ICMP flows.
 * proto lists protocol names (TCP;ICMP). start and end are ISO 8601 UTC with milliseconds:
 * the first packet and the last packet of the labelled sessions, both included. hosts lists the
 * web host names the labelled sessions asked for, separated by ';' (empty when they carried no
 * HTTP): a proxy log row belongs to the label when its client is one of src, its host one of
 * hosts, and it was logged in the window; see `proxyLabelMatcher`. Files written before the
 * hosts column (ten columns) still read, with no hosts.
 */

export const LABEL_NAMES = [
  'beaconing',
  'horizontal-scan',
  'vertical-scan',
  'exfiltration',
  'lateral-movement',
  'long-connection',
  'dns-tunnelling',
  'dga',
  'dns-beaconing',
  'http-beaconing',
  'mime-mismatch',
  'upload-exfiltration',
  'phishing',
  'backup-job',
  'vulnerability-scan',
] as const;
export type LabelName = (typeof LABEL_NAMES)[number];
export type LabelCategory = 'attack' | 'benign-rare';

export interface Label {
  readonly id: string;
  readonly category: LabelCategory;
  readonly name: LabelName;
  readonly src: readonly string[];
  readonly dst: readonly string[];
  readonly dports: readonly number[];
  readonly proto: readonly string[];
  /** Epoch ms of the first packet, and of the last packet (included). */
  readonly start: number;
  readonly end: number;
  readonly description: string;
  /** Web host names of the labelled sessions, as a proxy logs them; empty without HTTP. */
  readonly hosts: readonly string[];
}

export const LABELS_HEADER = 'id,category,attack,src,dst,dports,proto,start,end,description,hosts';
/** The header before the hosts column: such files read with no hosts. */
const LABELS_HEADER_V1 = 'id,category,attack,src,dst,dports,proto,start,end,description';

export function labelsCsv(labels: readonly Label[]): string {
  const rows = labels.map((l) =>
    [l.id, l.category, l.name, l.src.join(';'), l.dst.join(';'), formatPorts(l.dports), l.proto.join(';'), iso(l.start), iso(l.end), l.description, l.hosts.join(';')]
      .map(csvField)
      .join(','),
  );
  return [LABELS_HEADER, ...rows].join('\n') + '\n';
}

export async function writeLabels(path: string, labels: readonly Label[]): Promise<void> {
  await writeFile(path, labelsCsv(labels));
}

export async function readLabels(path: string): Promise<Label[]> {
  return parseLabelsCsv(await readFile(path, 'utf8'));
}

export function parseLabelsCsv(text: string): Label[] {
  const rows = parseCsv(text);
  const header = rows.shift()?.join(',');
  if (header !== LABELS_HEADER && header !== LABELS_HEADER_V1) throw new Error(`labels.csv: header must be ${LABELS_HEADER}, got ${JSON.stringify(header)}`);
  const columns = header.split(',').length;
  return rows.map((r, i) => {
    const [id, category, name, src, dst, dports, proto, start, end, description, hosts = ''] = r;
    if (r.length !== columns) throw new Error(`labels.csv:${i + 2}: expected ${columns} fields, got ${r.length}`);
    if (category !== 'attack' && category !== 'benign-rare') throw new Error(`labels.csv:${i + 2}: bad category ${JSON.stringify(category)}`);
    if (!(LABEL_NAMES as readonly string[]).includes(name!)) throw new Error(`labels.csv:${i + 2}: unknown attack ${JSON.stringify(name)}`);
    return {
      id: id!,
      category,
      name: name as LabelName,
      src: list(src!),
      dst: list(dst!),
      dports: parsePorts(dports!),
      proto: list(proto!),
      start: Date.parse(start!),
      end: Date.parse(end!),
      description: description!,
      hosts: list(hosts),
    };
  });
}

/** The fields of a flow a label is matched on (a FlowRecord or a lake row, times in epoch ms). */
export interface LabelledFlow {
  readonly tstart: number;
  readonly sip: string;
  readonly dip: string;
  readonly sport: number;
  readonly dport: number;
  readonly proto: string;
}

/** Builds a matcher for a label: the forward direction, or the answer coming back. */
export function labelMatcher(label: Label): (flow: LabelledFlow) => boolean {
  const src = new NetworkSet(label.src);
  const dst = new NetworkSet(label.dst);
  const ports = new Set(label.dports);
  const protos = new Set(label.proto);
  const anyPort = ports.size === 0;
  return (f) => {
    if (f.tstart < label.start || f.tstart > label.end || !protos.has(f.proto)) return false;
    const portless = anyPort || f.proto === 'ICMP' || f.proto === 'ICMP6';
    return (
      (src.has(f.sip) && dst.has(f.dip) && (portless || ports.has(f.dport))) ||
      (dst.has(f.sip) && src.has(f.dip) && (portless || ports.has(f.sport)))
    );
  };
}

/** The fields of a proxy log row a label is matched on (a lake row, its time in epoch ms). */
export interface LabelledRequest {
  readonly ts: number;
  readonly clientip: string;
  readonly host: string;
}

/**
 * Builds a matcher of proxy log rows for a label: a client of src asking one of its hosts, logged
 * in the window. Logs date a request when it completed, so never after the last packet; Blue Coat
 * logs whole seconds, so the window opens at the second of the first packet.
 */
export function proxyLabelMatcher(label: Label): (row: LabelledRequest) => boolean {
  const src = new NetworkSet(label.src);
  const hosts = new Set(label.hosts.map((h) => h.toLowerCase()));
  const from = Math.floor(label.start / 1000) * 1000;
  return (r) => r.ts >= from && r.ts <= label.end && hosts.has(r.host.toLowerCase()) && src.has(r.clientip);
}

export function formatPorts(ports: readonly number[]): string {
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    if (j - i >= 2) parts.push(`${sorted[i]}-${sorted[j]}`);
    else for (let k = i; k <= j; k++) parts.push(String(sorted[k]));
    i = j + 1;
  }
  return parts.join(';');
}

export function parsePorts(text: string): number[] {
  return list(text).flatMap((part) => {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`not a port or port range: ${JSON.stringify(part)}`);
    const from = Number(m[1]);
    const to = Number(m[2] ?? m[1]);
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });
}

const list = (text: string) => (text ? text.split(';') : []);
const iso = (ms: number) => new Date(ms).toISOString();

/** RFC 4180 fields: quoted fields may hold commas, doubled quotes and newlines. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}
