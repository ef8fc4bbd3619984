import type { DnsExchange, DnsRcode, DnsRecord, DnsType } from '../session.js';

/** IANA numbers of the record types the generator writes (RFC 1035, 3596, 2782). */
export const TYPE_CODE: { readonly [T in DnsType]: number } = { A: 1, NS: 2, CNAME: 5, SOA: 6, NULL: 10, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33 };
export const TYPE_OPT = 41;
export const CLASS_IN = 1;
export const RCODE: { readonly [R in DnsRcode]: number } = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 };

/** What an exchange is made of; `answers` and `ttl` follow from the records. */
export type ExchangeSpec = Omit<DnsExchange, 'answers' | 'ttl' | 'records'> & { readonly records?: readonly DnsRecord[] };

/** An exchange whose text answers and smallest TTL are derived from its answer records. */
export function exchangeOf(spec: ExchangeSpec): DnsExchange {
  const records = spec.records ?? [];
  let ttl = records.length ? Infinity : 0;
  const answers: string[] = [];
  for (const r of records) {
    ttl = Math.min(ttl, r.ttl);
    answers.push(recordText(r));
  }
  // Every field named, in one order: all exchanges share one object shape (a hot path at scale).
  return {
    query: spec.query,
    qtype: spec.qtype,
    rcode: spec.rcode,
    answers,
    ttl,
    records,
    authority: spec.authority,
    additional: spec.additional,
    authoritative: spec.authoritative,
    edns: spec.edns,
    truncated: spec.truncated,
    sent: spec.sent,
    rtt: spec.rtt,
    id: spec.id,
  };
}

/** The answer section of an exchange: its records, or each text answer as a `qtype` record of the query. */
export function answerRecords(exchange: DnsExchange): readonly DnsRecord[] {
  if (exchange.truncated) return [];
  return (
    exchange.records ??
    exchange.answers.map((data) => ({ name: exchange.query, type: exchange.qtype, ttl: exchange.ttl, data: exchange.qtype === 'TXT' ? [data] : data }))
  );
}

/** A record's data as the lake stores it: the presentation form, TXT strings concatenated. */
export function recordText(record: DnsRecord): string {
  return typeof record.data === 'string' ? record.data : record.data.join('');
}

/** RFC 3597 generic data, "\# length hex", as NULL records (and any type without a text form) carry it. */
export function genericData(bytes: Uint8Array): string {
  return bytes.length ? `\\# ${bytes.length} ${Buffer.from(bytes).toString('hex')}` : '\\# 0';
}

/** Character-strings of a long text: TXT carries at most 255 bytes per string. */
export function txtStrings(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += 255) out.push(text.slice(i, i + 255));
  return out.length ? out : [''];
}
