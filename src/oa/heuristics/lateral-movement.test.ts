import { describe, expect, it } from 'vitest';
import { lateralMovementDetector, lateralMovementOptions } from './lateral-movement.js';
import { at, DAY, detect, hosts, lakeHistory, ramp, round3, telemetry, withEngine } from './sql-fixtures.js';

const session = (sip: string, dip: string, dport: number, ibyt: number, t: Date, flag = '...AP.SF') => ({
  sip, dip, sport: 50000, dport, proto: 'TCP', flag, ipkt: Math.ceil(ibyt / 1000), ibyt, opkt: 0, obyt: 0, tstart: t, tend: new Date(t.getTime() + 60_000),
});

async function day(e: Parameters<typeof telemetry>[0]) {
  const rows = [
    // The intruder: SMB then WinRM to one workstation, SMB then RDP to another.
    session('10.0.0.5', '10.0.1.1', 445, 350_000, at(13, 0)), session('10.0.0.5', '10.0.1.1', 5985, 10_000, at(13, 1)),
    session('10.0.0.5', '10.0.1.2', 445, 350_000, at(13, 10)), session('10.0.0.5', '10.0.1.2', 3389, 3_000_000, at(13, 20)),
    // A probe that never got through is a scan's business.
    session('10.0.0.5', '10.0.1.3', 445, 60, at(13, 30), '......S.'),
    // The file server everybody uses over SMB, the intruder too.
    ...[1, 2, 3, 4, 5].map((i) => session(`10.0.0.${i}`, '10.0.2.40', 445, 200_000, at(9, i))),
    // An administrator's usual SSH session (seen in the history).
    session('10.0.0.9', '10.0.3.1', 22, 50_000, at(15)),
    // From outside: not lateral.
    session('203.0.113.5', '10.0.1.1', 3389, 1_000_000, at(16)),
  ];
  const view = await telemetry(e, 'flow', rows);
  await hosts(e, rows.flatMap((r) => [r.sip, r.dip]));
  await lakeHistory(e, 'flow', [session('10.0.0.9', '10.0.3.1', 22, 40_000, new Date(DAY - 2 * 86_400_000))]);
  return view;
}

describe('lateral-movement', () => {
  it('scores rare admin sessions by fan-out, services and payload; usual pairs fade; probes and common servers do not count', () =>
    withEngine(async (e) => {
      const found = await detect(e, lateralMovementDetector, lateralMovementOptions.parse({}), { flow: await day(e) });
      expect(found.map((f) => [f.entity, f.peer])).toEqual([['10.0.0.5', '10.0.1.1'], ['10.0.0.5', '10.0.1.2'], ['10.0.0.9', '10.0.3.1']]);
      // Two unusual targets, three services (445, 5985, 3389), both pairs over 100 kB.
      const intruder = round3(1 * (0.3 + 0.3 * (Math.log(3) / Math.log(9)) + 0.2 * ramp(3, 1, 4) + 0.2 * 1));
      expect(found[0]).toMatchObject({ detector: 'lateral-movement', type: 'flow', peer_kind: 'ip', events: 2, score: intruder, window_start: at(13, 0), window_end: at(13, 2) });
      expect(found[0]!.score).toBe(0.783);
      expect(found[0]!.measures).toMatchObject({ ports: ['445', '5985'], flows: 2, bytes: 360_000, pair: 1, target_sources: 1, new_pair: true, unusual_targets: 2, admin_targets: 3, services: 3 });
      expect(found[0]!.explanation).toBe(
        '10.0.0.5 reached 10.0.1.1 on admin port(s) 445, 5985 (2 sessions), a service of that host no other internal host used, never seen from it before; it reached 2 such hosts over 3 admin services',
      );
      // Seen in the history: novelty 0.2, no unusual target, 50 kB.
      expect(found[2]!.score).toBe(round3(0.2 * (0.3 + 0.2 * ramp(Math.log10(50_000), 3, 5))));
      expect(found[2]!.measures).toMatchObject({ new_pair: false, pair: 0.2, unusual_targets: 0 });
    }));

  it('without history every rare pair is new, and the file server stays common', () =>
    withEngine(async (e) => {
      const found = await detect(e, lateralMovementDetector, lateralMovementOptions.parse({ historyDays: 0 }), { flow: await day(e) });
      expect(found.map((f) => [f.entity, f.peer, f.measures.new_pair])).toEqual([['10.0.0.5', '10.0.1.1', null], ['10.0.0.5', '10.0.1.2', null], ['10.0.0.9', '10.0.3.1', null]]);
      // The administrator now: pair 1, one unusual target, one service, 50 kB.
      expect(found[2]!.score).toBe(round3(0.3 + 0.3 * (Math.log(2) / Math.log(9)) + 0.2 * 0 + 0.2 * ramp(Math.log10(50_000), 3, 5)));
      // rareSources 6: five sources on the file server give rarity (6 − 4) / 6.
      const loose = await detect(e, lateralMovementDetector, lateralMovementOptions.parse({ historyDays: 0, rareSources: 6 }), { flow: await day(e) });
      expect(loose.find((f) => f.entity === '10.0.0.1')!.measures.pair).toBe(0.333);
    }));
});
