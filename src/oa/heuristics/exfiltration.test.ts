import { describe, expect, it } from 'vitest';
import { exfiltrationDetector, exfiltrationOptions } from './exfiltration.js';
import { at, DAY, detect, hosts, lakeHistory, ramp, round3, telemetry, withEngine } from './sql-fixtures.js';

const out = (sip: string, dip: string, ibyt: number, t: Date) => ({ sip, dip, sport: 50000, dport: 443, proto: 'TCP', ipkt: Math.ceil(ibyt / 1400), ibyt, opkt: 0, obyt: 0, tstart: t, tend: new Date(t.getTime() + 60_000) });
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length / 2;
  return s.length % 2 ? s[Math.floor(m)]! : (s[m - 1]! + s[m]!) / 2;
};

async function day(e: Parameters<typeof telemetry>[0], historyBytes = 5e8) {
  const rows = [
    // Ten workstations sending 1 to 10 MB each.
    ...Array.from({ length: 10 }, (_, i) => out(`10.0.0.${i + 1}`, `203.0.113.${i + 1}`, (i + 1) * 1e6, at(9, i))),
    // The leaker: 600 MB in three uploads, 1 MB back (a unidirectional reverse record).
    ...[0, 1, 2].map((i) => out('10.0.0.11', '198.51.100.23', 2e8, at(2, i * 10))),
    { ...out('198.51.100.23', '10.0.0.11', 1e6, at(2, 0)), sport: 443, dport: 50000 },
    // A server of ours answering an internet client is serving, not leaking.
    { ...out('10.0.0.13', '203.0.113.200', 9e9, at(4)), sport: 443, dport: 61000 },
    // The backup server: 500 MB offsite, as every day.
    out('10.0.0.12', '198.51.100.99', 5e8, at(1)),
    // Internal traffic never counts.
    out('10.0.0.1', '10.0.0.2', 9e9, at(3)),
  ];
  const view = await telemetry(e, 'flow', rows);
  await hosts(e, rows.flatMap((r) => [r.sip, r.dip]));
  await lakeHistory(e, 'flow', [1, 2, 3, 4, 5].map((d) => out('10.0.0.12', '198.51.100.99', historyBytes, new Date(DAY - d * 86_400_000 + 3_600_000))));
  return view;
}

describe('exfiltration', () => {
  const lg = [...Array.from({ length: 10 }, (_, i) => Math.log10((i + 1) * 1e6)), Math.log10(6e8), Math.log10(5e8)];
  const med = median(lg);
  const z = (x: number) => (Math.log10(x) - med) / Math.max(1.4826 * median(lg.map((v) => Math.abs(v - med))), 0.25);

  it('flags the host far above its peers, not the one as high as its own history', () =>
    withEngine(async (e) => {
      const found = await detect(e, exfiltrationDetector, exfiltrationOptions.parse({}), { flow: await day(e) });
      expect(found).toHaveLength(1);
      const asym = 6e8 / (6e8 + 1e6);
      expect(found[0]).toMatchObject({
        detector: 'exfiltration', type: 'flow', entity: '10.0.0.11', peer: '198.51.100.23', peer_kind: 'ip', events: 4,
        window_start: at(2, 0), window_end: at(2, 21), score: round3(ramp(z(6e8), 2, 6) * (0.5 + 0.5 * asym)),
      });
      expect(found[0]!.measures).toMatchObject({
        out_bytes: 6e8, in_bytes: 1e6, host_out_bytes: 6e8, share_of_host: 1, peer_z: Math.round(z(6e8) * 100) / 100, history_days: 0, history_baseline_bytes: null, asymmetry: round3(asym),
      });
      expect(found[0]!.explanation).toMatch(/^10\.0\.0\.11 sent 600\.0 MB to 198\.51\.100\.23 \(received 1\.0 MB\) in 4 flows; its outbound total of 600\.0 MB is [\d.]+ robust deviations above the internal hosts' median \(no history of its own\)$/);
    }));

  it('without history, the backup server is an outlier among its peers too', () =>
    withEngine(async (e) => {
      const found = await detect(e, exfiltrationDetector, exfiltrationOptions.parse({ historyDays: 0 }), { flow: await day(e) });
      expect(found.map((f) => [f.entity, f.score])).toEqual([
        // Both z-scores are past zFull (peer term 1); the backup sends nothing back, the leaker got 1 MB.
        ['10.0.0.12', round3(ramp(z(5e8), 2, 6))],
        ['10.0.0.11', round3(ramp(z(6e8), 2, 6) * (0.5 + 0.5 * (6e8 / (6e8 + 1e6))))],
      ]);
    }));

  it('reads the history: a host 50 times its usual volume scores by its own ratio', () =>
    withEngine(async (e) => {
      const found = await detect(e, exfiltrationDetector, exfiltrationOptions.parse({}), { flow: await day(e, 1e7) });
      const backup = found.find((f) => f.entity === '10.0.0.12')!;
      // Peer term 1; own = ramp(log10(5e8 / 1e7), 0, log10 100) = 0.849; asymmetry 1.
      expect(backup.score).toBe(round3(ramp(Math.log10(50), 0, 2)));
      expect(backup.measures).toMatchObject({ history_days: 5, history_baseline_bytes: 1e7, history_ratio: 50 });
      expect(backup.explanation).toMatch(/ and 50\.0 times its own median of the last 5 days$/);
      // Fewer days than minHistoryDays: the own term falls back to the peer term.
      const strict = await detect(e, exfiltrationDetector, exfiltrationOptions.parse({ minHistoryDays: 6 }), { flow: await day(e, 1e7) });
      expect(strict.find((f) => f.entity === '10.0.0.12')!.score).toBe(1);
    }));
});
