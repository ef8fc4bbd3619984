import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/tmp.js';
import { loadConfig } from '../../config/index.js';
import { openEngine, type Engine } from '../../engine/index.js';
import { mlConfig } from '../config.js';
import { WORDS } from './index.js';

async function withEngine<T>(fn: (e: Engine) => Promise<T>): Promise<T> {
  const e = await openEngine(loadConfig({ env: {}, overrides: { 'lake.path': join(tempDir(), 'lake') } }));
  try {
    return await fn(e);
  } finally {
    await e.close();
  }
}

async function flowWords(e: Engine, sport: number, dport: number, extra = '') {
  const sides = WORDS.flow.sides(e.dialect);
  const events = `(SELECT ${sport} AS sport, ${dport} AS dport, 'UDP' AS proto, TIMESTAMP '2026-11-27 12:34:56' AS tstart, 222 AS ibyt, 3 AS ipkt ${extra})`;
  const [r] = await e.query<{ src: string; dst: string }>(`SELECT ${sides[0]!.word} AS src, ${sides[1]!.word} AS dst FROM ${events} AS r`);
  return [r!.src, r!.dst];
}

describe("Spot's words", () => {
  it("flow: Spot's own example", () =>
    withEngine(async (e) => {
      expect(await flowWords(e, 2132, 23)).toEqual(['23_UDP_12_8_2', '-1_23_UDP_12_8_2']);
    }));

  it.each([
    [0, 0, '0_UDP_12_8_2', '0_UDP_12_8_2'],
    [53, 0, '-1_53_UDP_12_8_2', '53_UDP_12_8_2'],
    [4000, 0, '-1_4000_UDP_12_8_2', '4000_UDP_12_8_2'],
    [0, 443, '443_UDP_12_8_2', '-1_443_UDP_12_8_2'],
    [0, 8080, '8080_UDP_12_8_2', '-1_8080_UDP_12_8_2'],
    [123, 123, '111111_UDP_12_8_2', '111111_UDP_12_8_2'],
    [1024, 1024, '111111_UDP_12_8_2', '111111_UDP_12_8_2'],
    [80, 50000, '-1_80_UDP_12_8_2', '80_UDP_12_8_2'],
    [1024, 1025, '-1_1024_UDP_12_8_2', '1024_UDP_12_8_2'],
    [50000, 80, '80_UDP_12_8_2', '-1_80_UDP_12_8_2'],
    [1025, 1024, '1024_UDP_12_8_2', '-1_1024_UDP_12_8_2'],
    [1025, 1025, '333333_UDP_12_8_2', '333333_UDP_12_8_2'],
    [50000, 60000, '333333_UDP_12_8_2', '333333_UDP_12_8_2'],
  ])('flow ports %i → %i', (sport, dport, src, dst) => withEngine(async (e) => expect(await flowWords(e, sport, dport)).toEqual([src, dst])));

  it('flow: byte and packet bins are ⌈log₂(n+1)⌉, exact at powers of two', () =>
    withEngine(async (e) => {
      const sides = WORDS.flow.sides(e.dialect);
      const rows = await e.query<{ w: string }>(
        `SELECT ${sides[0]!.word} AS w FROM (SELECT 2132 AS sport, 23 AS dport, 'TCP' AS proto, TIMESTAMP '2026-11-27 00:00:00' AS tstart, b AS ibyt, p AS ipkt FROM (VALUES (0, 0), (1, 1), (255, 7), (256, 8), (1023, 1)) AS v(b, p)) AS r`,
      );
      expect(rows.map((r) => r.w)).toEqual(['23_TCP_0_0_0', '23_TCP_0_1_1', '23_TCP_0_8_3', '23_TCP_0_9_4', '23_TCP_0_10_1']);
    }));

  it('DNS: entropy of "abcdefg" and Spot\'s example word', () =>
    withEngine(async (e) => {
      const [h] = await e.query<{ h: number; empty: number; aab: number }>(
        `SELECT ${e.dialect.stringEntropy("'abcdefg'")} AS h, ${e.dialect.stringEntropy("''")} AS empty, ${e.dialect.stringEntropy("'aab'")} AS aab`,
      );
      expect(h!.h).toBe(2.807354922057604);
      expect(h!.empty).toBe(0);
      expect(h!.aab).toBeCloseTo(0.9182958340544896, 15);

      await e.run(
        `CREATE TABLE ev AS SELECT TIMESTAMP '2026-11-27 11:05:00' AS frame_time, 213 AS frame_len, '10.0.0.5' AS ip_dst, 'abcdefg.apache.com' AS dns_qry_name, 1 AS dns_qry_type, 0 AS dns_qry_rcode, true AS dns_qr ` +
          `UNION ALL SELECT TIMESTAMP '2026-11-27 23:00:00', NULL, '10.0.0.6', '1.0.168.192.in-addr.arpa', 12, 3, true`,
      );
      const config = mlConfig.parse({ userDomains: ['apache.com'] });
      await WORDS.dns.prepare(e, 'ev', config);
      const side = WORDS.dns.sides(e.dialect)[0]!;
      const words = await e.query<{ w: string }>(`SELECT ${side.word} AS w FROM ${WORDS.dns.relation('ev')} AS r ORDER BY frame_time`);
      expect(words.map((r) => r.w)).toEqual(['2_7_11_2_10_1_1_0', '0_0_23_0_0_2_12_3']);
    }));

  it('proxy: Spot\'s example word', () =>
    withEngine(async (e) => {
      // A popular host (class 1) at 23h: GET, a 102-character URI, text/html, a user agent seen 8 times, 302.
      const uri = 'www.example.org/' + 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_~'.slice(0, 56) + '?' + 'q=1&r=2&s=3&t=4&u=5&v=6&w=7&xx=8'.slice(0, 29);
      await e.run(
        `CREATE TABLE ev AS SELECT TIMESTAMP '2026-11-27 23:10:00' AS ts, '10.0.0.' || range AS clientip, 'www.example.org' AS host, 'GET' AS reqmethod, 'UA-X' AS useragent, 'text/html; charset=utf-8' AS resconttype, ${e.dialect.string(uri)} AS fulluri, 302 AS respcode FROM range(8)`,
      );
      await WORDS.proxy.prepare(e, 'ev', mlConfig.parse({ popularMinClients: 1 }));
      const side = WORDS.proxy.sides(e.dialect)[0]!;
      const [r] = await e.query<{ w: string; len: number; h: number }>(`SELECT ${side.word} AS w, length(fulluri) AS len, ${e.dialect.stringEntropy('fulluri')} AS h FROM ${WORDS.proxy.relation('ev')} AS r LIMIT 1`);
      expect(r!.len).toBe(102);
      // Shannon entropy computed here independently of the SQL.
      const counts = new Map<string, number>();
      for (const ch of uri) counts.set(ch, (counts.get(ch) ?? 0) + 1);
      const h = [...counts.values()].reduce((acc, n) => acc - (n / uri.length) * Math.log2(n / uri.length), 0);
      expect(r!.h).toBeCloseTo(h, 12);
      const cuts = [...Array.from({ length: 19 }, (_, i) => Number((i * 0.3).toFixed(1))), Infinity];
      const bin = cuts.findIndex((c) => h <= c);
      expect(bin).toBe(19);
      expect(r!.w).toBe(`1_23_GET_${bin}_text_3_6_302`);
    }));
});
