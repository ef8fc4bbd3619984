import type { DnsRow } from '../../schema/dns.js';
import { TCP } from '../session.js';
import { answerRecords, CLASS_IN, RCODE, recordText, TYPE_CODE } from './records.js';
import type { CaptureFrame, RenderedMessage } from './render.js';

type Filled = Omit<DnsRow, 'sensor' | 'uid'>;

/**
 * What the lake should hold for a DNS message of the capture: a dns row without the ingest's own
 * columns (sensor, uid), every field known but the first address and the TTL of answerless messages.
 */
export type DnsMessageRow = { [K in keyof Filled]: K extends 'dns_a' | 'dns_ttl' ? Filled[K] : NonNullable<Filled[K]> };

/**
 * The rows of the messages a frame completes, as the lake's dns table defines them: addresses
 * and ports of the packet; a message over TCP belongs to the segment holding its last byte (its
 * time and length), as tshark reports it; answers are those of the answer section only, as
 * text; a query, a truncated response and an NXDOMAIN have none (an empty list, null TTL and
 * address).
 */
export function frameRows(frame: CaptureFrame): DnsMessageRow[] {
  return frame.messages.map((m) => messageRow(frame, m));
}

function messageRow(frame: CaptureFrame, m: RenderedMessage): DnsMessageRow {
  const s = frame.session;
  const { exchange } = m;
  const answers = m.response ? answerRecords(exchange) : [];
  let ttl: number | null = null;
  for (const a of answers) ttl = ttl === null ? a.ttl : Math.min(ttl, a.ttl);
  const address = answers.find((a) => a.type === 'A' || a.type === 'AAAA');
  return {
    frame_time: frame.time,
    frame_len: frame.bytes.length,
    ip_dst: frame.fromClient ? s.dst : s.src,
    ip_src: frame.fromClient ? s.src : s.dst,
    dns_qry_name: exchange.query,
    dns_qry_class: CLASS_IN,
    dns_qry_type: TYPE_CODE[exchange.qtype],
    dns_qry_rcode: m.response ? RCODE[exchange.rcode] : 0,
    dns_a: address ? (address.data as string) : null,
    dns_id: m.id,
    dns_qr: m.response,
    dns_flags: m.flags,
    dns_answers: answers.map(recordText),
    dns_ttl: ttl,
    sport: frame.fromClient ? s.sport : s.dport,
    dport: frame.fromClient ? s.dport : s.sport,
    transport: s.proto === TCP ? 'tcp' : 'udp',
  };
}
