import { describe, expect, it } from 'vitest';
import { withEngine } from '../../../test/helpers/engine.js';
import type { Engine } from '../../engine/index.js';
import { mlConfig } from '../config.js';
import { WORDS } from './index.js';

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
      await WORDS.dns.prepare(e, { events: 'ev', training: 'ev' }, config);
      const side = WORDS.dns.sides(e.dialect)[0]!;
      const words = await e.query<{ w: string }>(`SELECT ${side.word} AS w FROM ${WORDS.dns.relation('ev')} AS r ORDER BY frame_time`);
      expect(words.map((r) => r.w)).toEqual(['2_7_11_2_10_1_1_0', '0_0_23_0_0_2_12_3']);
    }));

  it('IPv6 addresses are documents as IPv4 ones are: flow sides and DNS clients', () =>
    withEngine(async (e) => {
      const [flow] = WORDS.flow.sides(e.dialect).map((s) => `${s.doc} AS doc, ${s.word} AS word`);
      const [, flowDst] = WORDS.flow.sides(e.dialect).map((s) => `${s.doc} AS doc, ${s.word} AS word`);
      const flowEvent = `(SELECT '2001:db8::5' AS sip, 'fe80::1%eth0' AS dip, 50000 AS sport, 443 AS dport, 'TCP' AS proto, TIMESTAMP '2026-11-27 12:00:00' AS tstart, 222 AS ibyt, 3 AS ipkt)`;
      expect(await e.query(`SELECT ${flow} FROM ${flowEvent} AS r UNION ALL SELECT ${flowDst} FROM ${flowEvent} AS r`)).toEqual([
        { doc: '2001:db8::5', word: '443_TCP_12_8_2' },
        { doc: 'fe80::1%eth0', word: '-1_443_TCP_12_8_2' },
      ]);
      await e.run(
        `CREATE TABLE ev6 AS SELECT TIMESTAMP '2026-11-27 11:05:00' AS frame_time, 213 AS frame_len, '2001:db8::53' AS ip_src, '2001:db8::a' AS ip_dst, 'www.example.com' AS dns_qry_name, 28 AS dns_qry_type, 0 AS dns_qry_rcode, true AS dns_qr`,
      );
      await WORDS.dns.prepare(e, { events: 'ev6', training: 'ev6' }, mlConfig.parse({}));
      const side = WORDS.dns.sides(e.dialect)[0]!;
      expect(await e.query(`SELECT ${side.doc} AS doc, ${side.word} AS word FROM ${WORDS.dns.relation('ev6')} AS r`)).toEqual([{ doc: '2001:db8::a', word: '0_7_11_1_0_1_28_0' }]); // "www": 3 characters, entropy 0
    }));

  it("proxy: Spot's own example, its ten records (ProxyWordCreationTest)", () =>
    withEngine(async (e) => {
      const path = '/sites/c37i4q22szvir8ga3m8mtxaft7gwnm5fio8hfxo35mu81absi1/carts/4b3a313d-50f6-4117-8ffd-4e804fd354ef/fiddle';
      // time, host, method, user agent, content type, status, fulluri — as Spot's test has them.
      const records: [string, string, string, string, string, number, string][] = [
        ['00:57:36', 'intel.com', 'PUT', 'Mozilla/5.0', 'text/plain', 202, 'ab'],
        ['01:57:36', 'maw.bronto.com', 'PUT', 'Safari/537.36', 'image', 202, 'abc'],
        ['02:57:36', 'maw.bronto.com', 'PUT', 'Safari/537.36', 'image', 304, 'abcd'],
        ['03:57:36', 'maw.bronto.com', 'PUT', 'Safari/537.36', 'binary', 304, 'abcde'],
        ['10:57:36', 'maw.bronto.com', 'PUT', 'Safari/537.36', 'binary', 206, 'abcdef'],
        ['11:57:36', 'maw.bronto.com', 'GET', 'Safari/537.36', 'binary', 206, 'abcdefghijklmnopqrstuvwxyz'],
        ['13:57:36', 'maw.bronto.com', 'GET', 'Safari/537.36', 'text/plain', 200, 'aaa'],
        ['14:57:36', 'maw.bronto.com', 'GET', 'Safari/537.36', 'text/plain', 200, 'aaabbb'],
        ['22:57:36', 'maw.bronto.com', 'GET', 'Safari/537.36', 'text/plain', 302, 'aaaaaaaaaaabbbbbbbbbbbccccccccccc'],
        ['23:57:36', 'maw.bronto.com', 'GET', 'Safari/537.36', 'text/plain', 302, `maw.bronto.com${path}`],
      ];
      await e.registerTable(
        'ev',
        ['ts', 'clientip', 'host', 'reqmethod', 'useragent', 'resconttype', 'respcode', 'fulluri'].map((name) => ({ name, type: name === 'ts' ? 'timestamp' : name === 'respcode' ? 'int' : 'text' }) as const),
        records.map(([time, ...rest]) => [new Date(`2016-10-03T${time}Z`), '127.0.0.1', ...rest]),
      );
      // Spot's own domain was "intel" (hard-coded); maw.bronto.com was on its Alexa list: here, asked by the only client.
      await WORDS.proxy.prepare(e, { events: 'ev', training: 'ev' }, mlConfig.parse({ userDomains: ['intel.com'], popularMinClients: 1 }));
      const side = WORDS.proxy.sides(e.dialect)[0]!;
      const words = await e.query<{ w: string; h: number }>(`SELECT ${side.word} AS w, ${e.dialect.stringEntropy('fulluri')} AS h FROM ${WORDS.proxy.relation('ev')} AS r ORDER BY ts`);
      expect(words.map((r) => r.w)).toEqual([
        '2_0_PUT_4_text_0_1_202',
        '1_1_PUT_6_image_3_1_202',
        '1_2_PUT_7_image_3_2_304',
        '1_3_PUT_8_binary_3_2_304',
        '1_10_PUT_9_binary_3_2_206',
        '1_11_GET_16_binary_3_4_206',
        '1_13_GET_0_text_3_1_200',
        '1_14_GET_4_text_3_2_200',
        '1_22_GET_6_text_3_5_302',
        '1_23_GET_17_text_3_6_302',
      ]);
      expect(words[9]!.h).toBeCloseTo(4.832854333602748, 14); // Spot's test's own figure
    }));
});
