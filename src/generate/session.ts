/**
 * The generator's event model. Activities describe what hosts do as bidirectional sessions
 * (one TCP connection, one UDP request/response, one ICMP echo); every output is derived from
 * them: the NetFlow exporter turns a session into one record per direction, the DNS capture
 * writer renders the sessions that carry `app.dns` as packets, and a proxy-log writer will
 * render those that carry `app.http`. A session is the truth about the hosts and the times, so
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
  /** Until the initiator's last packet, milliseconds (at most `duration`). */
  readonly reqDuration: number;
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
  /** Further DNS exchanges after `dns`, in order: on the same TCP connection (RFC 7766 pipelining) or UDP socket. */
  readonly dnsPipelined?: readonly DnsExchange[];
  readonly http?: HttpExchange;
}

/** Record types the generator writes, by their mnemonic. */
export type DnsType = 'A' | 'NS' | 'CNAME' | 'SOA' | 'NULL' | 'PTR' | 'MX' | 'TXT' | 'AAAA' | 'SRV';
export type DnsRcode = 'NOERROR' | 'SERVFAIL' | 'NXDOMAIN' | 'REFUSED';

/** One resource record of a DNS message. */
export interface DnsRecord {
  /** Owner name without the trailing dot, case as written. */
  readonly name: string;
  readonly type: DnsType;
  readonly ttl: number;
  /**
   * The data in presentation form: an address (A, AAAA); a name (CNAME, NS, PTR); "10 mx.example.org"
   * (MX); "priority weight port target" (SRV); "mname rname serial refresh retry expire minimum"
   * (SOA); RFC 3597 "\# length hex" (NULL). TXT holds its character-strings, each at most 255 bytes.
   */
  readonly data: string | readonly string[];
}

/** One DNS question and its answer, as a resolver log or a pcap of the exchange would show it. */
export interface DnsExchange {
  /** The name asked, without the trailing dot, case as sent. */
  readonly query: string;
  readonly qtype: DnsType;
  readonly rcode: DnsRcode;
  /** The data of the answer records as text (TXT strings joined), in order; empty without answers. */
  readonly answers: readonly string[];
  /** Smallest TTL of the answer records; 0 without answers. */
  readonly ttl: number;
  /** The answer section, when it is more than `answers` as `qtype` records of `query` with `ttl` (CNAME chains). */
  readonly records?: readonly DnsRecord[];
  /** Authority section of the response: the zone's SOA for NXDOMAIN and empty (NODATA) answers. */
  readonly authority?: readonly DnsRecord[];
  /** Additional section of the response (addresses of SRV targets), before any OPT record. */
  readonly additional?: readonly DnsRecord[];
  /** The server answered from its own zone (AA). */
  readonly authoritative?: boolean;
  /**
   * For exchanges that share one UDP socket (a tunnel client's): when the query left, epoch ms,
   * and how long its answer took, ms. The session then carries them all, in order.
   */
  readonly sent?: number;
  readonly rtt?: number;
  /** Transaction id, when the client counts them (tunnel clients do); otherwise random. */
  readonly id?: number;
  /** UDP payload size the client advertises with EDNS0: an OPT record in the query and the response. */
  readonly edns?: number;
  /** Over UDP: the answer did not fit, so the response has TC set and no records, and the client asks again over TCP. */
  readonly truncated?: boolean;
}

/** The HTTP request a session carried; HTTPS sessions carry what a TLS-inspecting proxy would log. */
export interface HttpExchange {
  readonly scheme: 'http' | 'https';
  readonly method: 'GET' | 'POST' | 'PUT' | 'HEAD';
  readonly host: string;
  readonly path: string;
  readonly status: number;
  readonly userAgent: string;
  /** The response's Content-Type as served, when the activity decides it (an attack's lie); otherwise from the path. */
  readonly contentType?: string;
  /** The page that linked to the request (Referer), when the activity knows it. */
  readonly referer?: string;
}

/** A stretch of simulated time [start, end), epoch milliseconds. */
export interface TimeWindow {
  readonly start: number;
  readonly end: number;
}
