import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/tmp.js';
import { utcMicros } from '../flow/testing.js';
import { decodeProxy, IIS_LOG, proxyRow, writeLog } from './testing.js';
import { w3cDecoder } from './w3c.js';

describe('w3c on built logs', () => {
  it('reads IIS logs by their #Fields header, across a restart that changes it', async () => {
    const dir = tempDir();
    const sink = await decodeProxy(w3cDecoder, writeLog(dir, 'u_ex240201.log', IIS_LOG));
    expect(sink.lines).toEqual([5, 6, 12, 14]);
    expect(sink.rejects.map((r) => [r.line, r.reason, r.detail])).toEqual([
      [7, 'wrong-field-count', '14 fields, the #Fields header names 15'],
      [13, 'bad-field', 'time-taken "abc" is not a whole number'],
    ]);
    expect(sink.rowAt(5)).toEqual(
      proxyRow({
        clientip: '10.2.2.2',
        // No cs-host: the site's own address and port stand for what the client asked.
        host: '192.168.0.10',
        reqmethod: 'GET',
        useragent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
        duration: 31,
        referer: 'https://portal.example/',
        respcode: 200,
        uriport: 443,
        uripath: '/default.aspx',
        uriquery: '?id=5&x=y',
        uriextension: 'aspx',
        serverip: '192.168.0.10',
        ts: utcMicros('2024-02-01T00:00:01Z'),
        format: 'w3c',
      }),
    );
    expect(sink.rowAt(6)).toEqual(
      proxyRow({
        clientip: '2001:db8::20',
        host: 'fe80::1',
        reqmethod: 'POST',
        useragent: 'curl/8.0',
        duration: 4,
        username: 'CORP\\alice',
        respcode: 401,
        uriport: 80,
        uripath: '/api/login.json',
        uriextension: 'json',
        serverip: 'fe80::1',
        ts: utcMicros('2024-02-01T00:00:02Z'),
        format: 'w3c',
      }),
    );
    expect(sink.rowAt(12)).toEqual(
      proxyRow({
        clientip: '10.2.2.3',
        host: 'www.example.com',
        reqmethod: 'GET',
        duration: 0,
        respcode: 304,
        uriport: 8443,
        uripath: '/img/logo.png',
        uriextension: 'png',
        scbytes: 150,
        csbytes: 400,
        ts: utcMicros('2024-02-01T01:00:00Z'),
        format: 'w3c',
      }),
    );
  });

  it('rejects records before any #Fields header, takes the date from #Date and reads the configured zone', async () => {
    const dir = tempDir();
    const lines = [
      '2024-02-01 00:00:01 10.0.0.1 GET /early',
      '#Version: 1.0',
      '#Date: 2024-02-01 00:00:00',
      '#Fields: time c-ip cs-method cs-host cs-uri-stem',
      '09:15:00 10.0.0.1 GET intranet /late',
      '09:16:00 10.0.0.1 GET - /nohost',
    ];
    const sink = await decodeProxy(w3cDecoder, writeLog(dir, 'ex.log', lines), { decoders: { proxy: { timeZone: 'America/New_York' } } });
    expect(sink.rejects.map((r) => [r.line, r.reason, r.detail])).toEqual([
      [1, 'no-header', 'record before the #Fields header that names its fields'],
      [6, 'missing-field', 'cs-host is empty'],
    ]);
    expect(sink.rows.map((r) => [r.host, r.uripath, r.ts])).toEqual([['intranet', '/late', utcMicros('2024-02-01T14:15:00Z')]]);
  });
});
