import { describe, expect, it } from 'vitest';
import { dgaDetector, dgaOptions } from './dga.js';
import { at, detect, entropy, hosts, mean, names, ramp, round3, telemetry, withEngine } from './sql-fixtures.js';

const RESOLVER = '10.0.0.53';
const answer = (client: string, name: string, rcode: number, t: Date, server = RESOLVER) => ({
  frame_time: t, frame_len: 120, ip_src: server, ip_dst: client, dns_qry_name: name, dns_qry_type: 1, dns_qry_rcode: rcode, dns_qr: true,
});

describe('dga', () => {
  it('scores distinct failed domains, the NXDOMAIN burst and label randomness; ignores one-name failures and the resolver', () =>
    withEngine(async (e) => {
      const letters = 'qxzjvkwbpfmyhgtcdnlsreaiou';
      const labels = Array.from({ length: 20 }, (_, i) => (letters + letters).slice(i, i + 6 + (i % 7)));
      const failed = labels.map((l, i) => `${l}.${i % 2 ? 'net' : 'com'}`);
      const rows = [
        // 12 NXDOMAIN and 5 answers in 10:00-10:10, 8 more NXDOMAIN at 10:20.
        ...failed.map((n, i) => answer('10.0.0.12', n, 3, i < 12 ? at(10, 0, i * 20) : at(10, 20, i))),
        ...['www.example.org', 'mail.example.org', 'a.example.net', 'b.example.net', 'c.example.net'].map((n, i) => answer('10.0.0.12', n, 0, at(10, 5, i))),
        // A misconfigured host: one search suffix failing over and over.
        ...Array.from({ length: 30 }, (_, i) => answer('10.0.0.13', `host${i}.corp.example`, 3, at(11, i))),
        // The resolver's own upstream answers: it is a server, never accused.
        ...failed.map((n, i) => answer(RESOLVER, n, 3, at(10, 0, i), '198.51.100.1')),
      ];
      const view = await telemetry(e, 'dns', rows);
      await hosts(e, rows.flatMap((r) => [r.ip_src, r.ip_dst]));
      await names(e, rows.map((r) => r.dns_qry_name));
      const found = await detect(e, dgaDetector, dgaOptions.parse({}), { dns: view });

      expect(found.map((f) => f.entity)).toEqual(['10.0.0.12']);
      const h = mean(labels.map(entropy));
      const expected = round3((Math.log(20) / Math.log(100)) * (0.5 + 0.25 * (12 / 17) + 0.25 * ramp(h, 2.5, 3.5)));
      expect(found[0]).toMatchObject({
        detector: 'dga', type: 'dns', peer: null, peer_kind: 'none', events: 20, score: expected,
        window_start: at(10, 0, 0), window_end: at(10, 20, 19),
      });
      expect(found[0]!.measures).toMatchObject({
        responses: 25, nxdomain: 20, nxdomain_ratio: 0.8, failed_names: 20, failed_domains: 20, entropy: round3(h),
        burst_start: '2026-11-24 10:00:00', burst_minutes: 10, burst_nxdomain: 12, burst_ratio: round3(12 / 17),
      });
      expect((found[0]!.measures.sample as string[]).length).toBe(5);
      expect(found[0]!.explanation).toMatch(/^10\.0\.0\.12 got NXDOMAIN for 20 distinct domains \(20 of 25 answers\), 12 of them within 10 minutes; mean label entropy [\d.]+ bits, e\.g\. /);
    }));

  it('counts a failed name without a registered domain as itself, and honours minFailedDomains', () =>
    withEngine(async (e) => {
      const rows = Array.from({ length: 4 }, (_, i) => answer('10.0.0.14', `wpad${i}`, 3, at(1, i)));
      const view = await telemetry(e, 'dns', rows);
      await names(e, rows.map((r) => r.dns_qry_name));
      const found = await detect(e, dgaDetector, dgaOptions.parse({ minFailedDomains: 4, fullDomains: 4 }), { dns: view });
      expect(found).toHaveLength(1);
      // volume 1, burst 4/4, labels "wpad0".. have 5 distinct characters: log2 5 = 2.32 bits → randomness 0.
      expect(found[0]!.score).toBe(0.75);
      expect(found[0]!.measures).toMatchObject({ failed_domains: 4, entropy: round3(Math.log2(5)) });
    }));
});
