/**
 * The generator's event model. Activities describe what hosts do as bidirectional sessions
 * (one TCP connection, one UDP request/response, one ICMP echo); every output is derived from
 * them: the NetFlow exporter turns a session into one record per direction, and later a DNS
 * pcap writer and a proxy-log writer will render the sessions that carry an application
 * payload (`app.dns`, `app.http`). A session is the truth about the hosts and the times, so
 * every telemetry type agrees on who talked to whom and when.
 */

export const TCP = 6;
export const UDP = 17;
export const ICMP = 1;
export const ICMP6 = 58;

/** Forwarding status (NetFlow field 89): forwarded, or dropped by an ACL. */
export const FORWARDED = 64;
export const DROPPED_ACL = 129;

export interface Session {
  /** First packet of the initiator, epoch milliseconds. */
  readonly start: number;
  /** Until the last packet either way, milliseconds. */
  readonly duration: number;
  /** Round-trip time: the responder's first packet comes this many ms after the start. */
  readonly rtt: number;
  /** IANA protocol number (TCP, UDP, ICMP, ICMP6). */
  readonly proto: number;
  readonly src: string;
  readonly sport: number;
  readonly dst: string;
  /** Destination port; for ICMP, type * 256 + code of the initiator's message. */
  readonly dport: number;
  readonly reqPackets: number;
  readonly reqBytes: number;
  /** Cumulated TCP flags of the initiator's packets (0 for other protocols). */
  readonly reqFlags: number;
  /** 0 when the responder never answered (a SYN to nowhere): no response record then. */
  readonly respPackets: number;
  readonly respBytes: number;
  readonly respFlags: number;
  /** ToS/DSCP byte of the initiator's packets; the responder answers with the same. */
  readonly tos: number;
  /** Forwarding status the exporter reports for the session's packets. */
  readonly fwd: number;
  /** Id of the labels.csv row this session belongs to, for injected attacks and benign-rare jobs. */
  readonly label: string | null;
  /** What the session carried, for writers of application logs (DNS, proxy). */
  readonly app?: AppPayload;
}

export interface AppPayload {
  readonly dns?: DnsExchange;
  readonly http?: HttpExchange;
}

/** One DNS question and its answer, as a resolver log or a pcap of the exchange would show it. */
export interface DnsExchange {
  readonly query: string;
  readonly qtype: 'A' | 'AAAA' | 'PTR' | 'SRV' | 'MX' | 'TXT';
  readonly rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL';
  /** Addresses or names of the answer section; empty for NXDOMAIN. */
  readonly answers: readonly string[];
  readonly ttl: number;
}

/** The HTTP request a session carried; HTTPS sessions carry what a TLS-inspecting proxy would log. */
export interface HttpExchange {
  readonly scheme: 'http' | 'https';
  readonly method: 'GET' | 'POST' | 'PUT' | 'HEAD';
  readonly host: string;
  readonly path: string;
  readonly status: number;
  readonly userAgent: string;
}

/** A stretch of simulated time [start, end), epoch milliseconds. */
export interface TimeWindow {
  readonly start: number;
  readonly end: number;
}
