import type { DnsExchange } from '../session.js';
import { answerRecords, RCODE, TYPE_CODE } from './records.js';
import type { WireMessage } from './wire.js';

/** Header flag bits (RFC 1035 §4.1.1). */
export const FLAG = { QR: 0x8000, AA: 0x0400, TC: 0x0200, RD: 0x0100, RA: 0x0080 } as const;

/** Stub resolvers, forwarders and tunnel clients alike ask for recursion. */
export const QUERY_FLAGS = FLAG.RD;

export function responseFlags(exchange: DnsExchange): number {
  return (
    FLAG.QR |
    FLAG.RD |
    FLAG.RA |
    (exchange.authoritative ? FLAG.AA : 0) |
    (exchange.truncated ? FLAG.TC : 0) |
    RCODE[exchange.rcode]
  );
}

export function queryMessage(exchange: DnsExchange, id: number): WireMessage {
  return {
    id,
    flags: QUERY_FLAGS,
    qname: exchange.query,
    qtype: TYPE_CODE[exchange.qtype],
    answers: [],
    authority: [],
    additional: [],
    edns: exchange.edns ?? null,
  };
}

/** The response echoes the question; a truncated one carries nothing else but the OPT record. */
export function responseMessage(exchange: DnsExchange, id: number): WireMessage {
  const full = !exchange.truncated;
  return {
    id,
    flags: responseFlags(exchange),
    qname: exchange.query,
    qtype: TYPE_CODE[exchange.qtype],
    answers: answerRecords(exchange),
    authority: full ? (exchange.authority ?? []) : [],
    additional: full ? (exchange.additional ?? []) : [],
    edns: exchange.edns ?? null,
  };
}
