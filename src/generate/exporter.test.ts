import { describe, expect, it } from 'vitest';
import { echoSession, synProbe, tcpSession, udpSession } from './build-session.js';
import { FlowExporter } from './exporter.js';
import { RoutingTable } from './routing.js';
import { DROPPED_ACL } from './session.js';

const routing = new RoutingTable([
  { cidr: '10.10.0.0/24', ifIndex: 101, asn: 0 },
  { cidr: '10.20.0.0/24', ifIndex: 3, asn: 0 },
  { cidr: 'fd5e::/16', ifIndex: 3, asn: 0 },
  { cidr: '203.0.113.0/24', ifIndex: 1, asn: 64500 },
  { cidr: '203.0.113.128/25', ifIndex: 1, asn: 64501 },
]);
const T0 = Date.UTC(2026, 10, 24, 10);
const exporter = () => new FlowExporter(routing, { activeMs: 1_800_000, inactiveMs: 15_000 });

describe('FlowExporter', () => {
  it('exports a TCP connection as one record per direction, with interfaces and AS from the routing table', () => {
    const e = exporter();
    e.add(tcpSession({ start: T0, src: '10.10.0.15', sport: 50000, dst: '203.0.113.200', dport: 443, rtt: 20, duration: 1000, upload: 500, download: 3000 }));
    const [req, resp] = e.drainAll();
    expect(req).toEqual({
      tstart: T0,
      tend: T0 + 1000,
      sip: '10.10.0.15',
      dip: '203.0.113.200',
      sport: 50000,
      dport: 443,
      proto: 'TCP',
      flag: '...AP.SF',
      stos: 0,
      dtos: 0,
      // SYN, ACK, 1 data segment, 2 delayed ACKs for the 3 segments received, FIN: 6 packets of 52 header bytes.
      ipkt: 6,
      ibyt: 500 + 6 * 52,
      input: 101,
      output: 1,
      sas: 0,
      das: 64501, // the longest prefix wins over 203.0.113.0/24
      dir: 0,
      fwd: 64,
      exported: T0 + 1000 + 1000,
      label: null,
    });
    expect(resp).toMatchObject({ tstart: T0 + 20, tend: T0 + 1000, sip: '203.0.113.200', sport: 443, dport: 50000, ipkt: 6, ibyt: 3000 + 6 * 52, input: 1, output: 101, sas: 64501, das: 0 });
  });

  it('exports no answer for an unanswered SYN and keeps the drop status', () => {
    const e = exporter();
    e.add(synProbe({ start: T0, src: '203.0.113.9', sport: 40000, dst: '10.20.0.10', dport: 23, rtt: 30, outcome: 'silent', fwd: DROPPED_ACL }));
    const records = e.drainAll();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ flag: '......S.', ipkt: 2, ibyt: 120, fwd: 129, tstart: T0, tend: T0 + 1000, exported: T0 + 1000 + 15_000 });
  });

  it('reports ICMP type and code in the destination port, echo reply for echo request', () => {
    const e = exporter();
    e.add(echoSession({ start: T0, src: '10.20.0.110', dst: '10.20.0.10', rtt: 1, count: 3 }));
    e.add(echoSession({ start: T0, src: 'fd5e::6e', dst: 'fd5e::a', rtt: 1, count: 1 }));
    const records = e.drainAll();
    expect(records.map((r) => [r.proto, r.sip, r.sport, r.dport, r.ipkt, r.ibyt, r.tstart - T0, r.tend - T0, r.flag])).toEqual([
      ['ICMP6', 'fd5e::6e', 0, 128 * 256, 1, 104, 0, 0, '........'],
      ['ICMP6', 'fd5e::a', 0, 129 * 256, 1, 104, 1, 1, '........'],
      ['ICMP', '10.20.0.110', 0, 8 * 256, 3, 252, 0, 2000, '........'],
      ['ICMP', '10.20.0.10', 0, 0, 3, 252, 1, 2001, '........'],
    ]);
  });

  it('splits a flow longer than the active timeout into a record per 30 minutes, sharing packets and bytes', () => {
    const e = exporter();
    const hour = 3_600_000;
    e.add(tcpSession({ start: T0, src: '10.10.0.19', sport: 62000, dst: '203.0.113.7', dport: 4444, rtt: 25, duration: 1.25 * hour, upload: 1_400_000, download: 0 }));
    const forward = e.drainAll().filter((r) => r.sip === '10.10.0.19');
    expect(forward.map((r) => [r.tstart - T0, r.tend - T0, r.flag, r.exported - T0])).toEqual([
      [0, 1_799_999, '...AP.S.', 1_800_000],
      [1_800_000, 3_599_999, '...AP...', 3_600_000],
      [3_600_000, 4_500_000, '...AP..F', 4_501_000],
    ]);
    // 1003 packets (SYN, ACK, 1000 segments, FIN) split 401/401/201 by time; every byte accounted for.
    expect(forward.map((r) => r.ipkt)).toEqual([401, 401, 201]);
    expect(forward.reduce((n, r) => n + r.ibyt, 0)).toBe(1_400_000 + 1003 * 52);
  });

  it('releases records in export order, only once exported', () => {
    const e = exporter();
    e.add(udpSession({ start: T0, src: '10.10.0.15', sport: 5000, dst: '10.20.0.10', dport: 53, rtt: 1, duration: 0, upload: 40, download: 80 }));
    e.add(tcpSession({ start: T0 + 100, src: '10.10.0.15', sport: 50001, dst: '10.20.0.40', dport: 445, rtt: 1, duration: 50, upload: 10, download: 10 }));
    expect(e.drain(T0 + 1000)).toEqual([]);
    const first = e.drain(T0 + 2000);
    expect(first.map((r) => [r.dport, r.exported - T0])).toEqual([
      [445, 1150],
      [50001, 1150],
    ]);
    expect(e.drainAll().map((r) => [r.sip, r.exported - T0])).toEqual([
      ['10.10.0.15', 15_000],
      ['10.20.0.10', 15_001],
    ]);
  });
});
