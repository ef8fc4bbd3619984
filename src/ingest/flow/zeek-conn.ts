import { EXCERPT_MAX, flow, type FlowRow } from '../../schema/index.js';
import { normaliseProto, protoName } from '../../shared/iana-proto.js';
import { FieldError, icmpPort, parseAddress, parseCount, parsePort, parseUint, required } from '../../shared/record-fields.js';
import { flagsText, NO_FLAGS, TCP_FLAG } from '../../shared/tcp-flags.js';
import type { DecodeContext, RowDecoder, RowSink, SourceFile } from '../decoder.js';
import { readZeekLog, sniffZeekLog, type ZeekRecord } from '../zeek-log.js';

const { FIN, SYN, RST, PSH, ACK } = TCP_FLAG;

/**
 * TCP flags implied by the letters of Zeek's conn `history` (upper case: originator, lower case:
 * responder; both directions are merged, as in a bidirectional nfdump flow):
 *   s S  SYN without ACK           SYN
 *   h H  SYN+ACK                   SYN ACK
 *   a A  pure ACK                  ACK
 *   d D  payload                   PSH ACK (segments after the handshake carry ACK; PSH is how nfdump shows data)
 *   t T  retransmitted payload     PSH ACK, as d
 *   f F  FIN                       FIN
 *   r R  RST                       RST
 *   q Q  SYN with FIN or RST       SYN, the one flag both cases share
 * The other letters name no certain flag: c (bad checksum), g (content gap), w (zero window),
 * i (inconsistent packet), x (partial analysis), ^ (direction flipped), and "-" (no history).
 */
const HISTORY_FLAGS: Readonly<Record<string, number>> = {
  s: SYN,
  h: SYN | ACK,
  a: ACK,
  d: PSH | ACK,
  t: PSH | ACK,
  f: FIN,
  r: RST,
  q: SYN,
};

export function historyFlags(history: string): string {
  let bits = 0;
  for (const letter of history.toLowerCase()) bits |= HISTORY_FLAGS[letter] ?? 0;
  return flagsText(bits);
}

const DETAIL_LABEL_FIELDS = ['detailedlabel', 'detailed-label', 'detailed_label'];

/**
 * Stratosphere's labels: "label" plus a detailed label ("Malicious" and "CC" become "Malicious/CC").
 * Either may be unset, "-" or "(empty)"; null when both are.
 */
function connLabel(record: ZeekRecord): string | null {
  const detailField = DETAIL_LABEL_FIELDS.find((f) => record.has(f));
  const parts = [record.text('label'), detailField ? record.text(detailField) : null].filter((v): v is string => !!v && v !== '-' && v !== '(empty)');
  return parts.length ? parts.join('/') : null;
}

/**
 * Zeek's resp_p for ICMP: for request/reply types the counterpart type (echo request 8 → 0),
 * whose code is 0 (RFC 792, RFC 4443); for one-way messages the code (Zeek's ICMP4_counterpart
 * and ICMP6_counterpart). Older Zeek treats router advertisements as one-way.
 */
const ICMP_COUNTERPART: Readonly<Record<number, number>> = { 0: 8, 8: 0, 9: 10, 10: 9, 13: 14, 14: 13, 15: 16, 16: 15, 17: 18, 18: 17 };
const ICMP6_COUNTERPART: Readonly<Record<number, number>> = { 128: 129, 129: 128, 130: 131, 131: 130, 133: 134, 134: 133, 135: 136, 136: 135, 139: 140, 140: 139, 144: 145, 145: 144 };

/** nfdump's ICMP port, type * 256 + code, from Zeek's orig_p (the type) and resp_p. */
export function zeekIcmpPort(proto: 'ICMP' | 'ICMP6', origP: number, respP: number): number {
  const counterpart = (proto === 'ICMP' ? ICMP_COUNTERPART : ICMP6_COUNTERPART)[origP];
  return icmpPort('id.orig_p/id.resp_p', origP, respP === counterpart ? 0 : respP);
}

function count(record: ZeekRecord, field: string): number | null {
  const text = record.text(field);
  return text === null || text === '' ? null : parseCount(field, text);
}

function connProto(record: ZeekRecord, ipv6: boolean): string {
  const proto = required('proto', record.text('proto'));
  // Newer Zeek names the IP protocol number when the transport is not TCP, UDP or ICMP.
  const number = record.text('ip_proto');
  if (proto === 'unknown_transport' && number) return protoName(parseUint('ip_proto', number, 255));
  return normaliseProto(proto, ipv6);
}

/** One conn record as a flow row; throws FieldError when a field does not fit. */
function connRow(record: ZeekRecord, sensor: string | null): FlowRow {
  const tstart = required('ts', record.time('ts'));
  const duration = record.interval('duration');
  const tend = duration === null ? tstart : tstart + duration;
  const sip = parseAddress('id.orig_h', required('id.orig_h', record.text('id.orig_h')));
  const dip = parseAddress('id.resp_h', required('id.resp_h', record.text('id.resp_h')));
  const proto = connProto(record, sip.includes(':') || dip.includes(':'));
  let sport = parsePort('id.orig_p', required('id.orig_p', record.text('id.orig_p')));
  let dport = parsePort('id.resp_p', required('id.resp_p', record.text('id.resp_p')));
  if (proto === 'ICMP' || proto === 'ICMP6') {
    dport = zeekIcmpPort(proto, sport, dport);
    sport = 0;
  }
  return {
    treceived: tend,
    sip,
    dip,
    sport,
    dport,
    proto,
    flag: proto === 'TCP' ? historyFlags(record.text('history') ?? '') : NO_FLAGS,
    fwd: null,
    stos: null,
    ipkt: count(record, 'orig_pkts') ?? 0,
    // IP-level bytes, headers included, as the flow table counts them (and RITA reads them).
    ibyt: count(record, 'orig_ip_bytes') ?? count(record, 'orig_bytes') ?? 0,
    opkt: count(record, 'resp_pkts') ?? 0,
    obyt: count(record, 'resp_ip_bytes') ?? count(record, 'resp_bytes') ?? 0,
    input: null,
    output: null,
    sas: null,
    das: null,
    dtos: null,
    dir: null,
    rip: null,
    tstart,
    tend,
    sensor,
    state: record.text('conn_state') || null,
    uid: record.text('uid') || null,
    label: connLabel(record),
  };
}

export const zeekConnDecoder: RowDecoder<typeof flow> = {
  kind: 'rows',
  name: 'zeek-conn',
  table: flow,
  description: 'Zeek conn.log, TSV or JSON lines, plain or gzip',

  accepts(_file: SourceFile, head: Buffer): boolean {
    const log = sniffZeekLog(head);
    if (!log) return false;
    if (log.path !== null) return log.path === 'conn';
    return log.has('id.orig_h') && log.has('conn_state');
  },

  async decode(file: SourceFile, sink: RowSink<typeof flow>, ctx: DecodeContext): Promise<void> {
    for await (const entry of readZeekLog(file.path, ctx.config.maxLineBytes)) {
      ctx.signal.throwIfAborted();
      const at = { line: entry.line, offset: entry.offset };
      const excerpt = () => entry.text.slice(0, EXCERPT_MAX);
      if (entry.kind === 'reject') {
        sink.reject(entry.reason, at, entry.detail, excerpt());
        continue;
      }
      const { record } = entry;
      if (record.path !== null && record.path !== 'conn') {
        sink.reject('bad-record', at, `a record of the ${record.path} log, not conn`, excerpt());
        continue;
      }
      try {
        sink.append(connRow(record, ctx.sensor), { line: entry.line });
      } catch (e) {
        if (!(e instanceof FieldError)) throw e;
        sink.reject(e.reason, at, e.detail, excerpt());
      }
    }
  },
};
