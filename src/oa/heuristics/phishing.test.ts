import { describe, expect, it } from 'vitest';
import { phishingDetector, phishingOptions } from './phishing.js';
import { at, detect, names, ramp, round3, telemetry, withEngine, entropy } from './sql-fixtures.js';

const LURE = 'login.microsoftonline.account-verify.example';
const TOKEN = 'FSs0PBi5qPsV5b2QmR4L37qFjQ0FMFqMxXsRq7xRKA-';
const req = (clientip: string, host: string, reqmethod: string, uripath: string, t: Date, more: Record<string, string> = {}) => ({
  clientip, host, reqmethod, uripath, ts: t, respcode: 200, webcat: 'Uncategorized', referer: null, format: 'bluecoat', ...more,
});

describe('phishing', () => {
  it('scores a lure opened from webmail with a form posted, and a click the proxy refused', () =>
    withEngine(async (e) => {
      const rows = [
        req('10.0.0.1', LURE, 'GET', `/${TOKEN}/`, at(9, 35), { referer: 'https://outlook.office365.com/' }),
        req('10.0.0.1', LURE, 'GET', `/${TOKEN}/assets/app.js`, at(9, 35)),
        req('10.0.0.1', LURE, 'POST', `/${TOKEN}/next.php`, at(9, 36)),
        req('10.0.0.2', LURE, 'GET', `/${TOKEN}/`, at(14, 50), { webcat: 'Phishing' }),
        // A rare but plain site: nothing to say.
        req('10.0.0.3', 'www.quiet-bakery.example', 'GET', '/menu', at(12)),
        // Many clients use the real login page: never examined.
        ...Array.from({ length: 4 }, (_, i) => req(`10.0.0.${10 + i}`, 'login.microsoftonline.com', 'POST', `/${TOKEN}/login`, at(8, i))),
      ];
      const view = await telemetry(e, 'proxy', rows);
      await names(e, [...new Set(rows.map((r) => r.host))]);
      const found = await detect(e, phishingDetector, phishingOptions.parse({}), { proxy: view });
      const path = ramp(entropy(TOKEN), 3.5, 4.5);
      expect(found.map((f) => [f.entity, f.peer, f.score])).toEqual([
        ['10.0.0.1', LURE, round3(Math.min(1, 0.35 + 0.25 + 0.25 * path + 0.15))],
        ['10.0.0.2', LURE, 1],
      ]);
      expect(found[0]!.measures).toEqual({ verdict: 0, credential: 1, lure: 1, path: round3(path), referred: 1, requests: 3 });
      expect(found[0]).toMatchObject({ detector: 'phishing', type: 'proxy', peer_kind: 'fqdn', events: 3, window_start: at(9, 35), window_end: at(9, 36) });
      expect(found[1]!.explanation).toBe(
        `10.0.0.2 visited ${LURE}, a site at most 3 clients use (1 requests): the proxy classed it as phishing; its name carries login or brand words; its path starts with a random token (${TOKEN})`,
      );
    }));
});
