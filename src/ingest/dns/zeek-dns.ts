import { dns, EXCERPT_MAX, type DnsRow } from '../../schema/index.js';
import { canonicalIp } from '../../shared/ip.js';
import { FieldError, parseAddress, parsePort, parseUint, required } from '../../shared/record-fields.js';
import type { DecodeContext, RowDecoder, RowSink, SourceFile } from '../decoder.js';
import { readZeekLog, sniffZeekLog, type ZeekRecord } from '../zeek-log.js';

/**
 * Zeek dns.log, TSV or JSON lines, plain or gzip. Zeek logs one line per query and its reply; the
 * row stands for the reply when there was one (rcode set: dns_qr true, the server as ip_src and
 * the client as ip_dst, as in Spot), and for the unanswered query otherwise. Zeek does not log
 * frame lengths (null). The flags word is rebuilt from Zeek's AA, TC, RD, RA and Z fields, the
 * reply's rcode and QR. Answers keep Zeek's text (TXT answers read "TXT <length> <string>").
 */

/** Bits of the DNS header's flags word (RFC 1035 §4.1.1, RFC 2535 AD/CD in Zeek's Z). */
const QR = 1 << 15;
const AA = 1 << 10;
const TC = 1 << 9;
const RD = 1 << 8;
const RA = 1 << 7;

function flagsWord(r: ZeekRecord, response: boolean, rcode: number): number | null {
  const bool = (f: string) => r.text(f) === 'T';
  if (!r.has('RD')) return null;
  const z = r.text('Z');
  const zBits = z ? parseUint('Z', z, 7) << 4 : 0;
  return (response ? QR : 0) | (bool('AA') ? AA : 0) | (bool('TC') ? TC : 0) | (bool('RD') ? RD : 0) | (bool('RA') ? RA : 0) | zBits | (response ? rcode : 0);
}

function int(r: ZeekRecord, field: string, max: number): number | null {
  const t = r.text(field);
  return t === null || t === '' ? null : parseUint(field, t, max);
}

function dnsRow(r: ZeekRecord, sensor: string | null): DnsRow {
  const frameTime = required('ts', r.time('ts'));
  const orig = parseAddress('id.orig_h', required('id.orig_h', r.text('id.orig_h')));
  const resp = parseAddress('id.resp_h', required('id.resp_h', r.text('id.resp_h')));
  const origPort = parsePort('id.orig_p', required('id.orig_p', r.text('id.orig_p')));
  const respPort = parsePort('id.resp_p', required('id.resp_p', r.text('id.resp_p')));
  const rcode = int(r, 'rcode', 65535);
  const response = rcode !== null;
  const answers = r.list('answers') ?? [];
  const ttls = (r.list('TTLs') ?? []).map((t) => Math.round(Number(t))).filter((t) => Number.isFinite(t));
  // Zeek 6+ keeps the name as asked in original_query and lower-cases query.
  const name = r.text('original_query') ?? r.text('query');
  return {
    frame_time: frameTime,
    frame_len: null,
    ip_dst: response ? orig : resp,
    ip_src: response ? resp : orig,
    dns_qry_name: name === null || name === '' ? null : name,
    dns_qry_class: int(r, 'qclass', 65535),
    dns_qry_type: int(r, 'qtype', 65535),
    dns_qry_rcode: rcode ?? 0,
    dns_a: answers.find((a) => canonicalIp(a) !== null) ?? null,
    dns_id: int(r, 'trans_id', 65535),
    dns_qr: response,
    dns_flags: flagsWord(r, response, rcode ?? 0),
    dns_answers: answers,
    dns_ttl: ttls.length ? Math.min(...ttls) : null,
    sport: response ? respPort : origPort,
    dport: response ? origPort : respPort,
    transport: r.text('proto') || null,
    sensor,
    uid: r.text('uid') || null,
  };
}

export const zeekDnsDecoder: RowDecoder<typeof dns> = {
  kind: 'rows',
  name: 'zeek-dns',
  table: dns,
  description: 'Zeek dns.log, TSV or JSON lines, plain or gzip',

  accepts(_file: SourceFile, head: Buffer): boolean {
    const log = sniffZeekLog(head);
    if (!log) return false;
    if (log.path !== null) return log.path === 'dns';
    return log.has('query') && log.has('trans_id');
  },

  async decode(file: SourceFile, sink: RowSink<typeof dns>, ctx: DecodeContext): Promise<void> {
    for await (const entry of readZeekLog(file.path, ctx.config.maxLineBytes)) {
      ctx.signal.throwIfAborted();
      const at = { line: entry.line, offset: entry.offset };
      const excerpt = () => entry.text.slice(0, EXCERPT_MAX);
      if (entry.kind === 'reject') {
        sink.reject(entry.reason, at, entry.detail, excerpt());
        continue;
      }
      if (entry.record.path !== null && entry.record.path !== 'dns') {
        sink.reject('bad-record', at, `a record of the ${entry.record.path} log, not dns`, excerpt());
        continue;
      }
      try {
        sink.append(dnsRow(entry.record, ctx.sensor), { line: entry.line });
      } catch (e) {
        if (!(e instanceof FieldError)) throw e;
        sink.reject(e.reason, at, e.detail, excerpt());
      }
    }
  },
};
