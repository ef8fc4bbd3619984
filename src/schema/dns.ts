import { col, defineTable, type RowOf } from './define.js';

/**
 * DNS messages from packet captures (pcap, pcapng) and Zeek dns.log. Spot kept only responses and
 * their first answer; every query and response is kept here, marked by dns_qr, with all answers.
 * Spot's 10 columns come first, in Spot's order.
 */
export const dns = defineTable(
  'dns',
  {
    frame_time: col.timestamp('When the packet was captured (Zeek: the ts of the query), UTC. Spot kept it as text; it is a timestamp here.', {
      spot: true,
      required: true,
    }),
    unix_tstamp: col.part('bigint', 'frame_time', 'epoch', 'frame_time as whole seconds since 1970-01-01 UTC.', { spot: true }),
    frame_len: col.int('Length of the captured frame in bytes (Zeek: unknown, null).', { spot: true }),
    ip_dst: col.ip('Destination address of the packet: on a response, the client that asked (as in Spot).', { spot: true, required: true }),
    ip_src: col.ip('Source address of the packet: on a response, the DNS server.', { spot: true, required: true }),
    dns_qry_name: col.text('The name asked, without the trailing dot, as it appears in the question (case kept).', { spot: true }),
    dns_qry_class: col.int('Query class number (1 = IN). Spot kept it as hex text such as 0x00000001.', { spot: true }),
    dns_qry_type: col.int('Query type number (1 A, 28 AAAA, 5 CNAME, 16 TXT, 12 PTR …).', { spot: true }),
    dns_qry_rcode: col.int('Response code (0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN …); on a query, 0.', { spot: true }),
    dns_a: col.text('First A or AAAA address of the answers, for Spot compatibility; null when there is none.', { spot: true }),
    dns_id: col.int('Transaction id, 0-65535.'),
    dns_qr: col.bool('false for a query, true for a response.', { required: true }),
    dns_flags: col.int('The 16-bit flags field of the header (QR, opcode, AA, TC, RD, RA, Z, AD, CD, rcode).'),
    dns_answers: col.textList('Every answer record, in order, as its data in text: an address, a name, "10 mail.example.org" for MX, the strings of a TXT.'),
    dns_ttl: col.bigint('Smallest TTL of the answers, in seconds; null without answers.'),
    sport: col.port('Source port of the packet.'),
    dport: col.port('Destination port of the packet.'),
    transport: col.text('udp or tcp.'),
    sensor: col.text('Sensor that captured or logged the message: the --sensor name given at ingest.'),
    uid: col.text('Connection identifier of the source (Zeek uid), to join with flows of the same sensor.'),
  },
  {
    partitionBy: 'frame_time',
    description: 'DNS queries and responses from packet captures and Zeek dns.log.',
  },
);

export type DnsRow = RowOf<typeof dns>;
