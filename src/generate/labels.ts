import { readFile, writeFile } from 'node:fs/promises';
import { csvField } from '../shared/csv.js';
import { NetworkSet } from '../shared/ip.js';

/**
 * Ground truth: one labels.csv row per injected attack or benign-rare job. A flow belongs to a
 * label when it falls in the label's time window and goes from a src to a dst on one of the
 * dports, or is the answer to such a flow (dst to src, from one of the dports); see
 * `matchesLabel`. Columns:
 *
 *   id,category,attack,src,dst,dports,proto,start,end,description
 *
 * src and dst list addresses or CIDRs separated by ';'. dports lists ports separated by ';',
 * runs of three or more written as a range "1-1024"; empty means any port. Ports do not apply
 * to ICMP flows.
 * proto lists protocol names (TCP;ICMP). start and end are ISO 8601 UTC with milliseconds:
 * the first packet and the last packet of the labelled sessions, both included.
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
}

export const LABELS_HEADER = 'id,category,attack,src,dst,dports,proto,start,end,description';

export function labelsCsv(labels: readonly Label[]): string {
  const rows = labels.map((l) =>
    [l.id, l.category, l.name, l.src.join(';'), l.dst.join(';'), formatPorts(l.dports), l.proto.join(';'), iso(l.start), iso(l.end), l.description]
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
  if (header !== LABELS_HEADER) throw new Error(`labels.csv: header must be ${LABELS_HEADER}, got ${JSON.stringify(header)}`);
  return rows.map((r, i) => {
    const [id, category, name, src, dst, dports, proto, start, end, description] = r;
    if (r.length !== 10) throw new Error(`labels.csv:${i + 2}: expected 10 fields, got ${r.length}`);
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
