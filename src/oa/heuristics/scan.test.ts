import { describe, expect, it } from 'vitest';
import { horizontalScanDetector, horizontalScanOptions, verticalScanDetector, verticalScanOptions } from './scan.js';
import { at, detect, hosts, round3, telemetry, withEngine } from './sql-fixtures.js';

type Flow = Record<string, string | number | Date | null>;
const flow = (sip: string, dip: string, sport: number, dport: number, flag: string, ipkt: number, t: Date, extra: Flow = {}): Flow => ({
  sip, dip, sport, dport, proto: 'TCP', flag, ipkt, ibyt: ipkt * 60, opkt: 0, obyt: 0, tstart: t, tend: new Date(t.getTime() + 500), ...extra,
});
const SYN = '......S.';

describe('scan-horizontal', () => {
  it('scores a SYN sweep by breadth and failure, and leaves busy answered clients alone', () =>
    withEngine(async (e) => {
      const rows: Flow[] = [];
      for (let i = 1; i <= 30; i++) {
        const dst = `10.0.1.${i}`;
        const t = at(10, 0, i);
        if (i === 30) {
          // One target got a real session (data, answered): not a probe.
          rows.push(flow('10.0.0.5', dst, 40000, 445, '...AP.SF', 10, t), flow(dst, '10.0.0.5', 445, 40000, '...AP.SF', 9, t));
        } else if (i >= 28) {
          rows.push(flow('10.0.0.5', dst, 40000, 445, '...A.RS.', 3, t)); // connect probe: SYN, ACK, RST, no data
        } else rows.push(flow('10.0.0.5', dst, 40000, 445, SYN, 1, t));
        if (i <= 3) rows.push(flow(dst, '10.0.0.5', 445, 40000, '...A..S.', 1, t)); // SYN-ACK
        if (i === 4 || i === 5) rows.push(flow(dst, '10.0.0.5', 445, 40000, '...A.R..', 1, t)); // refused
      }
      // A client browsing 25 servers: full sessions, all answered.
      for (let i = 1; i <= 25; i++) {
        rows.push(flow('10.0.0.9', `203.0.113.${i}`, 50000 + i, 443, '...AP.SF', 20, at(11)), flow(`203.0.113.${i}`, '10.0.0.9', 443, 50000 + i, '...AP.SF', 25, at(11)));
      }
      // A sweep too small to count.
      for (let i = 1; i <= 19; i++) rows.push(flow('10.0.0.7', `10.0.3.${i}`, 40001, 22, SYN, 1, at(12)));
      const view = await telemetry(e, 'flow', rows);
      await hosts(e, rows.flatMap((r) => [r.sip as string, r.dip as string]));
      const found = await detect(e, horizontalScanDetector, horizontalScanOptions.parse({}), { flow: view });

      expect(found).toHaveLength(1);
      const failure = Math.max(29 / 30, 1 - 6 / 30);
      expect(found[0]).toMatchObject({
        detector: 'scan-horizontal', type: 'flow', entity: '10.0.0.5', peer: '445', peer_kind: 'port', events: 30,
        window_start: at(10, 0, 1), window_end: new Date(at(10, 0, 29).getTime() + 500),
        score: round3((Math.log(30) / Math.log(256)) * (0.5 + 0.5 * failure)),
      });
      expect(found[0]!.score).toBe(0.603);
      expect(found[0]!.measures).toMatchObject({ proto: 'TCP', targets: 30, flows: 30, probes: 29, answered: 6, refused: 2, failure: 0.967, seconds: 28.5 });
      expect(found[0]!.explanation).toBe('10.0.0.5 probed tcp/445 on 30 hosts in 29 s: 24 of 30 never answered, 2 refused; 29 of 30 flows were probes');
    }));

  it('reads Zeek states and bidirectional counts when there are no flags', () =>
    withEngine(async (e) => {
      const rows: Flow[] = [];
      for (let i = 1; i <= 20; i++) {
        const state = i <= 10 ? 'S0' : i <= 15 ? 'REJ' : 'SF';
        rows.push({ ...flow('10.0.0.5', `10.0.1.${i}`, 40000, 3389, SYN, 1, at(9)), flag: null, state, opkt: state === 'S0' ? 0 : 1 });
      }
      const view = await telemetry(e, 'flow', rows);
      await hosts(e, rows.flatMap((r) => [r.sip as string, r.dip as string]));
      const [f] = await detect(e, horizontalScanDetector, horizontalScanOptions.parse({}), { flow: view });
      // 15 probes (S0 and REJ); 10 targets answered in the record (REJ and SF), 5 of them refused.
      expect(f!.measures).toMatchObject({ targets: 20, probes: 15, answered: 10, refused: 5, failure: 0.75 });
      expect(f!.score).toBe(round3((Math.log(20) / Math.log(256)) * (0.5 + 0.5 * 0.75)));
    }));
});

describe('scan-vertical', () => {
  it('scores many ports of one host, not a server answering one client on many ephemeral ports', () =>
    withEngine(async (e) => {
      const rows: Flow[] = [];
      for (let port = 1; port <= 12; port++) {
        rows.push(flow('203.0.113.66', '10.0.2.2', 61000, port, SYN, 1, at(4, 0, port)));
        if (port === 22 || port <= 2) rows.push(flow('10.0.2.2', '203.0.113.66', port, 61000, '...A.R..', 1, at(4, 0, port)));
      }
      for (let i = 0; i < 40; i++) {
        const eph = 50000 + i;
        rows.push(flow('198.51.100.9', '10.0.2.80', eph, 443, '...AP.SF', 12, at(13, i)), flow('10.0.2.80', '198.51.100.9', 443, eph, '...AP.SF', 14, at(13, i)));
      }
      const view = await telemetry(e, 'flow', rows);
      await hosts(e, rows.flatMap((r) => [r.sip as string, r.dip as string]));
      const found = await detect(e, verticalScanDetector, verticalScanOptions.parse({}), { flow: view });
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ detector: 'scan-vertical', entity: '203.0.113.66', peer: '10.0.2.2', peer_kind: 'ip', events: 12, score: 0.358 });
      expect(found[0]!.score).toBe(round3(Math.log(12) / Math.log(1024)));
      expect(found[0]!.measures).toMatchObject({ ports: 12, probes: 12, answered: 2, refused: 2, failure: 1 });
      expect(found[0]!.explanation).toBe('203.0.113.66 probed 12 tcp ports of 10.0.2.2 in 12 s: 10 of 12 never answered, 2 refused; 12 of 12 flows were probes');
    }));

  it('takes a server\'s resets to a scanner\'s probes for replies, not for a scan of the scanner', () =>
    withEngine(async (e) => {
      const rows: Flow[] = [];
      for (let port = 1; port <= 12; port++) {
        // A connect scan from a new ephemeral port per probe; the server resets each a millisecond later.
        const t = at(5, 0, port);
        rows.push(flow('10.0.2.50', '10.0.2.3', 40000 + port, port, SYN, 1, t));
        rows.push(flow('10.0.2.3', '10.0.2.50', port, 40000 + port, '...A.R..', 1, new Date(t.getTime() + 1)));
      }
      const view = await telemetry(e, 'flow', rows);
      await hosts(e, ['10.0.2.50', '10.0.2.3']);
      const found = await detect(e, verticalScanDetector, verticalScanOptions.parse({}), { flow: view });
      expect(found.map((f) => [f.entity, f.peer])).toEqual([['10.0.2.50', '10.0.2.3']]);
      expect(found[0]!.measures).toMatchObject({ ports: 12, probes: 12, answered: 12, refused: 12 });
    }));

  it('writes an empty table without flows', () =>
    withEngine(async (e) => {
      expect(await detect(e, verticalScanDetector, verticalScanOptions.parse({}), {})).toEqual([]);
    }));
});
