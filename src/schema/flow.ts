import { col, defineTable, type RowOf } from './define.js';

/**
 * Network flows: NetFlow v5/v9, IPFIX and sFlow through nfcapd/nfdump, Zeek conn.log, Argus binetflow.
 * Spot's 28 columns come first, in Spot's order and with Spot's names; ours follow.
 */
export const flow = defineTable(
  'flow',
  {
    treceived: col.timestamp(
      'When the collector received the flow record (nfcapd). Sources without a collector (Zeek, Argus, flow CSV without a receive time) use the flow end time.',
      { spot: true, required: true },
    ),
    unix_tstamp: col.part('bigint', 'treceived', 'epoch', 'treceived as whole seconds since 1970-01-01 UTC.', { spot: true }),
    tryear: col.part('int', 'treceived', 'year', 'Year of treceived.', { spot: true }),
    trmonth: col.part('int', 'treceived', 'month', 'Month of treceived, 1-12.', { spot: true }),
    trday: col.part('int', 'treceived', 'day', 'Day of month of treceived, 1-31.', { spot: true }),
    trhour: col.part('int', 'treceived', 'hour', 'Hour of treceived, 0-23.', { spot: true }),
    trminute: col.part('int', 'treceived', 'minute', 'Minute of treceived, 0-59.', { spot: true }),
    trsec: col.part('int', 'treceived', 'second', 'Second of treceived, 0-59.', { spot: true }),
    tdur: col.duration('tstart', 'tend', 'Flow duration in seconds, tend - tstart. Exporters that report an end before the start give a negative value, kept as reported.', {
      spot: true,
    }),
    sip: col.ip('Source address: IPv4 dotted quad or IPv6 in RFC 5952 form. For non-IP Argus flows, the link-layer address.', {
      spot: true,
      required: true,
    }),
    dip: col.ip('Destination address, as sip.', { spot: true, required: true }),
    sport: col.port('Source port; 0 when the protocol has none.', { spot: true, required: true }),
    dport: col.port('Destination port; for ICMP, type * 256 + code as nfdump reports it; 0 when the protocol has none.', {
      spot: true,
      required: true,
    }),
    proto: col.text('IP protocol name in upper case (TCP, UDP, ICMP, ICMP6, GRE, ESP …), or its number when it has no name.', {
      spot: true,
      required: true,
    }),
    flag: col.text('Cumulated TCP flags as nfdump prints them: eight positions CWR ECE URG ACK PSH RST SYN FIN, a dot where unset (e.g. "...AP.S.").', {
      spot: true,
    }),
    fwd: col.int('Forwarding status reported by the exporter (NetFlow field 89).', { spot: true }),
    stos: col.int('Source type of service / DSCP byte.', { spot: true }),
    ipkt: col.count('Packets from source to destination.', { spot: true, required: true }),
    ibyt: col.count('Bytes from source to destination, IP headers included.', { spot: true, required: true }),
    opkt: col.count('Packets from destination to source, for bidirectional records; 0 for unidirectional NetFlow; null when the source does not split them.', {
      spot: true,
    }),
    obyt: col.count('Bytes from destination to source, as opkt.', { spot: true }),
    input: col.int('SNMP index of the input interface.', { spot: true }),
    output: col.int('SNMP index of the output interface.', { spot: true }),
    sas: col.bigint('Source autonomous system number.', { spot: true }),
    das: col.bigint('Destination autonomous system number.', { spot: true }),
    dtos: col.int('Destination type of service / DSCP byte.', { spot: true }),
    dir: col.int('Flow direction reported by the exporter: 0 ingress, 1 egress.', { spot: true }),
    rip: col.ip('Address of the router or exporter that sent the flow record.', { spot: true }),
    tstart: col.timestamp('When the flow started (first packet seen), UTC. Decides the lake partition.', { required: true }),
    tend: col.timestamp('When the flow ended (last packet seen), UTC.', { required: true }),
    sensor: col.text('Collector or sensor that produced the record: the nfcapd ident, or the --sensor name given at ingest.'),
    state: col.text('Connection state where the source reports one: Zeek conn_state (SF, S0, REJ …) or Argus State.'),
    uid: col.text('Connection identifier of the source (Zeek uid), to join with DNS and HTTP logs of the same sensor.'),
    label: col.text('Ground-truth label carried by the source file (Argus Label, labelled Zeek logs), if any.'),
  },
  {
    partitionBy: 'tstart',
    description: 'Network flows from NetFlow/IPFIX/sFlow collectors (nfcapd), Zeek conn.log and Argus binetflow.',
  },
);

export type FlowRow = RowOf<typeof flow>;
