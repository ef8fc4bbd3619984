import { describe, expect, it } from 'vitest';
import { dnsTunnellingDetector, dnsTunnellingOptions } from './dns-tunnelling.js';
import { at, detect, entropy, mean, names, ramp, round3, telemetry, withEngine } from './sql-fixtures.js';

const RESOLVER = '10.0.0.53';
const exchange = (client: string, name: string, qtype: number, t: Date, query: number, response: number) => [
  { frame_time: t, frame_len: query, ip_src: client, ip_dst: RESOLVER, dns_qry_name: name, dns_qry_type: qtype, dns_qry_rcode: 0, dns_qr: false },
  { frame_time: t, frame_len: response, ip_src: RESOLVER, ip_dst: client, dns_qry_name: name, dns_qry_type: qtype, dns_qry_rcode: 0, dns_qr: true },
];
const hex = (i: number) => (i * 2654435761 >>> 0).toString(16).padStart(8, '0').repeat(4);

describe('dns-tunnelling', () => {
  it('scores unique, long, random subdomains with TXT answers and big packets above a CDN\'s short names', () =>
    withEngine(async (e) => {
      const tunnel = Array.from({ length: 60 }, (_, i) => `${hex(i)}.t.evil-tunnel.com`);
      const cdn = Array.from({ length: 55 }, (_, i) => `img${i}.cdn.example.net`);
      const rows = [
        ...tunnel.flatMap((n, i) => exchange('10.0.0.20', n, i % 3 ? 16 : 1, at(14, i), 150, 350)),
        ...cdn.flatMap((n, i) => exchange('10.0.0.21', n, 1, at(9, i), 70, 110)),
        // Below minSubdomains.
        ...Array.from({ length: 49 }, (_, i) => exchange('10.0.0.22', `${hex(i)}.few.example.org`, 16, at(3, i), 150, 350)).flat(),
      ];
      const view = await telemetry(e, 'dns', rows);
      await names(e, rows.map((r) => r.dns_qry_name));
      const found = await detect(e, dnsTunnellingDetector, dnsTunnellingOptions.parse({}), { dns: view });
      expect(found.map((f) => [f.entity, f.peer])).toEqual([['10.0.0.20', 'evil-tunnel.com'], ['10.0.0.21', 'example.net']]);

      const subs = tunnel.map((n) => n.replace('.evil-tunnel.com', ''));
      const score = (s: string[], n: number, typeShare: number, frame: number) =>
        round3((Math.log(n) / Math.log(1000)) * (0.3 * ramp(mean(s.map(entropy)), 2.5, 4) + 0.3 * ramp(mean(s.map((x) => x.length)), 10, 50) + 0.2 * typeShare + 0.2 * ramp(frame, 100, 400)));
      expect(found[0]).toMatchObject({
        detector: 'dns-tunnelling', type: 'dns', peer_kind: 'domain', events: 60, window_start: at(14, 0), window_end: at(14, 59),
        score: score(subs, 60, 40 / 60, 250),
      });
      expect(found[0]!.measures).toMatchObject({
        unique_subdomains: 60, queries: 60, mean_length: 34, max_length: 34, tunnel_type_share: 0.667, bytes_per_packet: 250, bytes: 60 * 500, entropy: round3(mean(subs.map(entropy))),
      });
      const cdnSubs = cdn.map((n) => n.replace('.example.net', ''));
      expect(found[1]!.score).toBe(score(cdnSubs, 55, 0, 90));
      expect(found[1]!.score).toBeLessThan(0.2);
      expect(found[0]!.explanation).toBe(
        `10.0.0.20 asked for 60 unique subdomains of evil-tunnel.com (60 queries): mean length 34, entropy ${round3(mean(subs.map(entropy))).toFixed(2).replace(/0$/, '')} bits, 67% TXT/NULL/CNAME/MX, 250 bytes per packet`,
      );
    }));

  it('counts captures of responses only the same, and never accuses the resolver', () =>
    withEngine(async (e) => {
      const rows = Array.from({ length: 50 }, (_, i) => exchange('10.0.0.20', `${hex(i)}.t.evil-tunnel.com`, 10, at(2, i), 150, 350)[1]!);
      // The resolver forwarding the same names upstream is a client of the tunnel's server too.
      rows.push(...rows.map((r) => ({ ...r, ip_src: '203.0.113.53', ip_dst: RESOLVER })));
      const view = await telemetry(e, 'dns', rows);
      await names(e, rows.map((r) => r.dns_qry_name));
      const found = await detect(e, dnsTunnellingDetector, dnsTunnellingOptions.parse({}), { dns: view });
      expect(found.map((f) => [f.entity, f.events, f.measures.tunnel_type_share])).toEqual([['10.0.0.20', 50, 1]]);
    }));
});
