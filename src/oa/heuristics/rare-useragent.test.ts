import { describe, expect, it } from 'vitest';
import { rareUseragentDetector, rareUseragentOptions } from './rare-useragent.js';
import { at, detect, ramp, round3, telemetry, withEngine } from './sql-fixtures.js';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const req = (clientip: string, host: string, useragent: string | null, t: Date) => ({ clientip, host, useragent, ts: t, scbytes: 1000, csbytes: 200, format: 'squid' });

describe('rare-useragent', () => {
  it('scores agents few clients send by rarity and focus', () =>
    withEngine(async (e) => {
      const rows = [
        // Twelve clients browsing with the fleet's browser.
        ...Array.from({ length: 12 }, (_, i) => [req(`10.0.0.${i + 1}`, 'www.example.com', CHROME, at(9, i)), req(`10.0.0.${i + 1}`, 'news.example.org', CHROME, at(10, i))]).flat(),
        // One client's implant: one host, many requests.
        ...Array.from({ length: 6 }, (_, i) => req('10.0.0.3', 'c2.example.net', 'curl/8.1', at(11, i))),
        // Two clients with an uncommon tool, one talking to many hosts.
        ...Array.from({ length: 10 }, (_, i) => req('10.0.0.4', `h${i}.example.com`, 'python-requests/2.31', at(12, i))),
        req('10.0.0.5', 'pypi.org', 'python-requests/2.31', at(12)),
        // A missing agent from one client.
        req('10.0.0.6', 'update.example.com', null, at(13)),
      ];
      const view = await telemetry(e, 'proxy', rows);
      const found = await detect(e, rareUseragentDetector, rareUseragentOptions.parse({}), { proxy: view });
      expect(found.map((f) => [f.entity, f.measures.useragent, f.peer, f.score])).toEqual([
        ['10.0.0.3', 'curl/8.1', 'c2.example.net', 1],
        ['10.0.0.6', '-', 'update.example.com', 1],
        ['10.0.0.5', 'python-requests/2.31', 'pypi.org', round3((2 / 3) * (0.6 + 0.4 * 1))],
        ['10.0.0.4', 'python-requests/2.31', 'h0.example.com', round3((2 / 3) * (0.6 + 0.4 * (1 - ramp(10, 1, 10))))],
      ]);
      expect(found[0]).toMatchObject({ detector: 'rare-useragent', type: 'proxy', peer_kind: 'fqdn', events: 6, window_start: at(11, 0), window_end: at(11, 5) });
      expect(found[0]!.measures).toEqual({ useragent: 'curl/8.1', clients: 1, population: 12, requests: 6, hosts: 1, bytes: 7200 });
      expect(found[0]!.explanation).toBe('10.0.0.3 sent the user agent "curl/8.1", which no other client sends, in 6 requests to 1 host(s), most to c2.example.net');
      expect(found[3]!.explanation).toBe('10.0.0.4 sent the user agent "python-requests/2.31", which only 2 of 12 clients send, in 10 requests to 10 host(s), most to h0.example.com');
    }));

  it('says nothing in a population smaller than minPopulation', () =>
    withEngine(async (e) => {
      const view = await telemetry(e, 'proxy', [req('10.0.0.1', 'a.example', 'curl/8.1', at(1)), req('10.0.0.2', 'a.example', CHROME, at(1))]);
      expect(await detect(e, rareUseragentDetector, rareUseragentOptions.parse({}), { proxy: view })).toEqual([]);
      expect(await detect(e, rareUseragentDetector, rareUseragentOptions.parse({ minPopulation: 2, maxClients: 1 }), { proxy: view })).toHaveLength(2);
    }));
});
