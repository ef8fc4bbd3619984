import { spawnSync } from 'node:child_process';
import type { DnsMessageRow } from './rows.js';

/**
 * Test support (kept out of the build): the DNS messages of a capture as tshark decodes them, in the shape of the
 * generator's rows, so that the two can be compared field for field. tshark prints one line per
 * frame and lists repeated fields in order; a frame may complete several messages over TCP, so
 * the record fields are walked by the section counts of each message and by record type.
 */

const FIELDS = [
  'frame.time_epoch', 'frame.len', 'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst', 'udp.srcport', 'udp.dstport', 'tcp.srcport', 'tcp.dstport', 'vlan.id',
  'dns.id', 'dns.flags', 'dns.flags.response', 'dns.qry.name', 'dns.qry.class', 'dns.qry.type', 'dns.flags.rcode',
  'dns.count.answers', 'dns.count.auth_rr', 'dns.count.add_rr', 'dns.resp.type', 'dns.resp.ttl', 'dns.resp.len',
  'dns.a', 'dns.aaaa', 'dns.cname', 'dns.ns', 'dns.ptr.domain_name', 'dns.mx.preference', 'dns.mx.mail_exchange', 'dns.txt', 'dns.txt.length',
  'dns.soa.mname', 'dns.soa.rname', 'dns.soa.serial_number', 'dns.soa.refresh_interval', 'dns.soa.retry_interval', 'dns.soa.expire_limit', 'dns.soa.minimum_ttl',
  'dns.srv.priority', 'dns.srv.weight', 'dns.srv.port', 'dns.srv.target', 'dns.null',
] as const;
type Field = (typeof FIELDS)[number];

/** Separators no DNS text of ours holds (TXT strings contain ';' and ' '). */
const SEPARATOR = '\x1e';
const AGGREGATOR = '\x1f';

export interface TsharkMessage extends DnsMessageRow {
  readonly vlan: number | null;
}

export function tsharkMessages(file: string, tshark = 'tshark'): TsharkMessage[] {
  const args = ['-r', file, '-Y', 'dns', '-T', 'fields', '-E', `separator=${SEPARATOR}`, '-E', 'occurrence=a', '-E', `aggregator=${AGGREGATOR}`, ...FIELDS.flatMap((f) => ['-e', f])];
  const run = spawnSync(tshark, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (run.status !== 0) throw new Error(`tshark failed: ${run.stderr}`);
  return run.stdout
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => frameMessages(line));
}

function frameMessages(line: string): TsharkMessage[] {
  const values = line.split(SEPARATOR);
  const lists = new Map<Field, string[]>(FIELDS.map((f, i) => [f, values[i] ? values[i]!.split(AGGREGATOR) : []]));
  const get = (f: Field) => lists.get(f)!;
  const queue = (f: Field) => {
    const list = get(f);
    let at = 0;
    return () => {
      if (at >= list.length) throw new Error(`tshark: ran out of ${f} in ${line.slice(0, 200)}`);
      return list[at++]!;
    };
  };
  const next = Object.fromEntries(FIELDS.map((f) => [f, queue(f)])) as Record<Field, () => string>;
  const [seconds, fraction = ''] = get('frame.time_epoch')[0]!.split('.');
  const time = Number(seconds) * 1e6 + Number(fraction.padEnd(6, '0').slice(0, 6));
  const tcp = get('tcp.srcport').length > 0;
  const v6 = get('ipv6.src').length > 0;
  const common = {
    frame_time: time,
    frame_len: Number(get('frame.len')[0]),
    ip_src: get(v6 ? 'ipv6.src' : 'ip.src')[0]!,
    ip_dst: get(v6 ? 'ipv6.dst' : 'ip.dst')[0]!,
    sport: Number(get(tcp ? 'tcp.srcport' : 'udp.srcport')[0]),
    dport: Number(get(tcp ? 'tcp.dstport' : 'udp.dstport')[0]),
    transport: tcp ? 'tcp' : 'udp',
    vlan: get('vlan.id').length ? Number(get('vlan.id')[0]) : null,
  };
  return get('dns.id').map((id, k): TsharkMessage => {
    const response = get('dns.flags.response')[k] === '1' || get('dns.flags.response')[k] === 'True';
    const counts = [Number(get('dns.count.answers')[k]), Number(get('dns.count.auth_rr')[k]), Number(get('dns.count.add_rr')[k])] as const;
    const answers: string[] = [];
    const ttls: number[] = [];
    let first: string | null = null;
    for (let i = 0; i < counts[0] + counts[1] + counts[2]; i++) {
      const type = Number(next['dns.resp.type']());
      const length = Number(next['dns.resp.len']());
      const ttl = type === 41 ? null : Number(next['dns.resp.ttl']());
      const text = recordText(type, length, next);
      if (i < counts[0]) {
        answers.push(text!);
        ttls.push(ttl!);
        if (first === null && (type === 1 || type === 28)) first = text;
      }
    }
    return {
      ...common,
      dns_id: Number(id),
      dns_qr: response,
      dns_flags: Number(get('dns.flags')[k]),
      dns_qry_name: get('dns.qry.name')[k]!,
      dns_qry_class: Number(get('dns.qry.class')[k]),
      dns_qry_type: Number(get('dns.qry.type')[k]),
      dns_qry_rcode: response ? Number(get('dns.flags.rcode')[k]) : 0,
      dns_answers: answers,
      dns_a: first,
      dns_ttl: ttls.length ? Math.min(...ttls) : null,
    };
  });
}

function recordText(type: number, length: number, next: Record<Field, () => string>): string | null {
  switch (type) {
    case 1:
      return next['dns.a']();
    case 28:
      return next['dns.aaaa']();
    case 5:
      return next['dns.cname']();
    case 2:
      return next['dns.ns']();
    case 12:
      return next['dns.ptr.domain_name']();
    case 15:
      return `${next['dns.mx.preference']()} ${next['dns.mx.mail_exchange']()}`;
    case 33:
      return ['dns.srv.priority', 'dns.srv.weight', 'dns.srv.port', 'dns.srv.target'].map((f) => next[f as Field]()).join(' ');
    case 6:
      return (['dns.soa.mname', 'dns.soa.rname', 'dns.soa.serial_number', 'dns.soa.refresh_interval', 'dns.soa.retry_interval', 'dns.soa.expire_limit', 'dns.soa.minimum_ttl'] as const)
        .map((f) => next[f]())
        .join(' ');
    case 16: {
      let text = '';
      for (let used = 0; used < length; ) {
        const n = Number(next['dns.txt.length']());
        text += next['dns.txt']();
        used += 1 + n;
      }
      return text;
    }
    case 10:
      return length ? `\\# ${length} ${next['dns.null']().replaceAll(':', '')}` : '\\# 0';
    case 41:
      return null;
    default:
      throw new Error(`tshark: record type ${type} has no text form here`);
  }
}
