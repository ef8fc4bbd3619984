import { describe, expect, it } from 'vitest';
import { missingShared, sharedFile } from '../../../test/helpers/shared-data.js';
import { tempDir } from '../../../test/helpers/tmp.js';
import { utcMicros } from '../flow/testing.js';
import { bluecoatDecoder } from './bluecoat.js';
import { SPOT_FIELDS } from './bluecoat-layouts.js';
import { decodeProxy, proxyRow, writeLog } from './testing.js';

const ONPREM = 'proxy/bluecoat-elff/elastic-integrations/proxy-onprem.log';
const V1 = 'proxy/bluecoat-elff/elastic-integrations/test-proxy-bcreportermainv1.log';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36';

describe('bluecoat on the shared ProxySG logs', () => {
  it.skipIf(missingShared(ONPREM))('reads every record of an ELFF log by its #Fields header', async () => {
    const sink = await decodeProxy(bluecoatDecoder, sharedFile(ONPREM)!);
    expect(sink.rejects).toEqual([]);
    expect(sink.rows.length).toBe(92);
    expect(sink.lines[0]).toBe(7);
    const common = { clientip: '10.82.255.36', username: 'aeinstein', filterresult: 'OBSERVED', ts: utcMicros('2024-03-22T16:16:01Z'), format: 'bluecoat' } as const;
    // A tunnel: Blue Coat logs CONNECT with scheme tcp and path "/"; r-ip is the server contacted.
    expect(sink.rowAt(9)).toEqual(
      proxyRow({
        ...common,
        host: 'token.rubiconproject.com',
        reqmethod: 'CONNECT',
        useragent: CHROME,
        duration: 382,
        webcat: 'FastwebRes_CallCntr;Web Ads/Analytics',
        respcode: 200,
        action: 'TCP_ACCELERATED',
        urischeme: 'tcp',
        uriport: 443,
        uripath: '/',
        serverip: '8.43.72.98',
        scbytes: 39,
        csbytes: 356,
      }),
    );
    expect(sink.rowAt(10)).toEqual(
      proxyRow({
        ...common,
        host: 'rtb-csync.smartadserver.com',
        reqmethod: 'unknown',
        duration: 1407,
        webcat: 'Web Ads/Analytics',
        respcode: 0,
        action: 'TUNNELED',
        urischeme: 'ssl',
        uriport: 443,
        uripath: '/',
        serverip: '23.105.12.150',
        scbytes: 4897,
        csbytes: 5784,
      }),
    );
    const denied = sink.rowAt(48);
    expect([denied.respcode, denied.resconttype, denied.host, denied.referer, denied.uriquery, denied.serverip, denied.duration]).toEqual([
      403,
      'text/html',
      'us01.z.antigena.com',
      'https://ads.pubmatic.com/',
      null,
      '40.76.134.238',
      169,
    ]);
    expect(sink.rowAt(7).uriquery).toMatch(/^\?partner_id=2499&partner_device_id=aeb66687-.*dspid%3DCEN$/);
  });

  it.skipIf(missingShared(V1))('reads the headerless bcreportermain_v1 layout (42 fields)', async () => {
    const sink = await decodeProxy(bluecoatDecoder, sharedFile(V1)!);
    expect(sink.rejects).toEqual([]);
    expect(sink.lines).toEqual([1, 2, 3, 4, 5]);
    // Values checked against Elastic's expected output for this file (test-proxy-bcreportermainv1.log-expected.json).
    expect(sink.rowAt(3)).toEqual(
      proxyRow({
        clientip: '10.0.1.2',
        host: 'ctldl.windowsupdate.com',
        reqmethod: 'GET',
        useragent: 'Microsoft-CryptoAPI/10.0',
        duration: 6,
        exceptionid: 'authentication_failed',
        filterresult: 'DENIED',
        webcat: 'Web Infrastructure',
        respcode: 401,
        action: 'TCP_DENIED',
        urischeme: 'http',
        uriport: 80,
        uripath: '/msdownload/update/v3/static/trustedr/en/pinrulesstl.cab',
        uriquery: '?1fcb4f4be3fc14ce',
        uriextension: 'cab',
        scbytes: 1297,
        csbytes: 291,
        bcappname: 'Microsoft Update',
        bcappoper: 'Update Software',
        ts: utcMicros('2024-11-01T14:25:53Z'),
        format: 'bluecoat',
      }),
    );
    // Line 1 has "x-virus-id 1" and the four threat fields "2 3 4 5" of SGOS 7 after it.
    expect([sink.rowAt(1).virusid, sink.rowAt(1).bcappname, sink.rowAt(2).referer, sink.rowAt(2).bcappname]).toEqual(['1', 'none', 'https://www.regions.com/', 'Snapchat']);
  });
});

const FIELDS_A = '#Fields: date time time-taken c-ip cs-username sc-status s-action cs-method cs-uri-scheme cs-host cs-uri-port cs-uri-path cs-uri-query cs(User-Agent) sc-bytes cs-bytes r-ip';
const FIELDS_B = '#Fields: date time c-ip cs-method cs-uri sc-status';

describe('bluecoat on built logs', () => {
  it('follows a header change mid-file and quarantines what does not fit, keeping the next good line', async () => {
    const dir = tempDir();
    const lines = [
      '#Software: SGOS 7.3.1.1',
      '#Version: 1.0',
      FIELDS_A,
      '2024-05-01 10:00:00 15 10.0.0.5 alice 200 TCP_MISS GET http example.com 80 /index.html - "Mozilla/5.0 (X11; Linux x86_64)" 512 128 93.184.216.34',
      '2024-05-01 10:00:01 7 2001:DB8:0:0::5 - 200 TCP_HIT GET https example.org 443 /a/b.js ?v=1 "Agent \\"quoted\\" v1" 100 50 -',
      FIELDS_B,
      '2024-05-01 10:00:02 10.0.0.6 GET http://example.net:8080/dl/file.tar.gz?x=1 404',
      '2024-05-01 10:00:03 10.0.0.6 GET http://example.net/ 200 extra',
      '2024-05-01 10:00:04 - GET http://example.net/ 200',
      '2024-05-01 10:00:05 10.0.0.7 GET /relative 200',
      '2024-05-01 10:00:06 10.0.0.7 "GET http://example.net/ 200',
      '2024-05-01 10:00:07 10.0.0.8 CONNECT secure.example.com:443 200',
      '2024-05-01 25:00:07 10.0.0.8 GET http://example.net/ 200',
      '2024-05-01 10:00:08 10.0.0.9 GET http://example.net/ok 200',
    ];
    const sink = await decodeProxy(bluecoatDecoder, writeLog(dir, 'mid.log', lines));
    expect(sink.lines).toEqual([4, 5, 7, 12, 14]);
    expect(sink.rejects.map((r) => [r.line, r.reason, r.detail])).toEqual([
      [8, 'wrong-field-count', '7 fields, the #Fields header names 6'],
      [9, 'missing-field', 'c-ip is empty'],
      [10, 'missing-field', 'no host: the log has no cs-host or cs-uri field'],
      [11, 'bad-record', 'the quote opened at column 30 is never closed'],
      [13, 'bad-timestamp', 'date "2024-05-01" time "25:00:07" is not a date and time (YYYY-MM-DD HH:MM:SS)'],
    ]);
    expect(sink.rejects[0]!.excerpt).toBe(lines[7]);
    expect(sink.rowAt(4)).toEqual(
      proxyRow({
        clientip: '10.0.0.5',
        host: 'example.com',
        reqmethod: 'GET',
        useragent: 'Mozilla/5.0 (X11; Linux x86_64)',
        duration: 15,
        username: 'alice',
        respcode: 200,
        action: 'TCP_MISS',
        urischeme: 'http',
        uriport: 80,
        uripath: '/index.html',
        uriextension: 'html',
        serverip: '93.184.216.34',
        scbytes: 512,
        csbytes: 128,
        ts: utcMicros('2024-05-01T10:00:00Z'),
        format: 'bluecoat',
      }),
    );
    expect([sink.rowAt(5).clientip, sink.rowAt(5).useragent, sink.rowAt(5).uriquery, sink.rowAt(5).uriextension, sink.rowAt(5).serverip]).toEqual([
      '2001:db8::5',
      'Agent "quoted" v1',
      '?v=1',
      'js',
      null,
    ]);
    expect(sink.rowAt(7)).toEqual(
      proxyRow({
        clientip: '10.0.0.6',
        host: 'example.net',
        reqmethod: 'GET',
        respcode: 404,
        urischeme: 'http',
        uriport: 8080,
        uripath: '/dl/file.tar.gz',
        uriquery: '?x=1',
        uriextension: 'gz',
        ts: utcMicros('2024-05-01T10:00:02Z'),
        format: 'bluecoat',
      }),
    );
    expect([sink.rowAt(12).host, sink.rowAt(12).uriport, sink.rowAt(12).urischeme, sink.rowAt(12).uripath]).toEqual(['secure.example.com', 443, 'tcp', null]);
  });

  it("reads headerless lines in Spot's order, in the configured time zone", async () => {
    const dir = tempDir();
    const values = [
      '2024-07-01', '08:30:00', '250', '192.168.1.20', 'bob', 'staff', '-', 'PROXIED', '"News/Media"', 'http://news.example/', '200', 'TCP_HIT',
      'GET', 'text/html', 'http', 'news.example', '80', '/world/story.aspx', '?id=7', 'aspx', '"Mozilla/5.0 (Macintosh)"', '10.9.9.9', '2048', '300',
      '-', '"Web Browsing"', 'Browse',
    ];
    expect(values.length).toBe(SPOT_FIELDS.length);
    // The second line is cut off: 26 fields and no newline after them.
    const sink = await decodeProxy(bluecoatDecoder, writeLog(dir, 'spot.log.gz', `${values.join(' ')}\n${values.slice(0, 26).join(' ')}`), { decoders: { proxy: { timeZone: 'Europe/Paris' } } });
    expect(sink.rows).toEqual([
      proxyRow({
        clientip: '192.168.1.20',
        host: 'news.example',
        reqmethod: 'GET',
        useragent: 'Mozilla/5.0 (Macintosh)',
        resconttype: 'text/html',
        duration: 250,
        username: 'bob',
        authgroup: 'staff',
        filterresult: 'PROXIED',
        webcat: 'News/Media',
        referer: 'http://news.example/',
        respcode: 200,
        action: 'TCP_HIT',
        urischeme: 'http',
        uriport: 80,
        uripath: '/world/story.aspx',
        uriquery: '?id=7',
        uriextension: 'aspx',
        serverip: '10.9.9.9',
        scbytes: 2048,
        csbytes: 300,
        bcappname: 'Web Browsing',
        bcappoper: 'Browse',
        // 08:30 in Paris in July is 06:30 UTC.
        ts: utcMicros('2024-07-01T06:30:00Z'),
        format: 'bluecoat',
      }),
    ]);
    expect(sink.rejects.map((r) => [r.line, r.reason])).toEqual([[2, 'truncated']]);
    expect(sink.rejects[0]!.detail).toBe(
      "the file ends in the middle of a record: 26 fields and no #Fields header before the line: Blue Coat lines without one have 27 fields (Spot's default order) or 36 or 42 (bcreportermain_v1)",
    );
  });

  it('keeps a URI with bytes that are not UTF-8, percent-encoded, and skips an absurdly long line', async () => {
    const dir = tempDir();
    const content = Buffer.concat([
      Buffer.from(`${FIELDS_B}\n2024-05-01 10:00:00 10.0.0.1 GET http://example.net/caf`),
      Buffer.of(0xe9),
      Buffer.from(`?q=`),
      Buffer.of(0xff),
      Buffer.from(` 200\n2024-05-01 10:00:01 10.0.0.1 GET http://example.net/${'a'.repeat(5000)} 200\n2024-05-01 10:00:02 10.0.0.1 GET http://example.net/next 200\n`),
    ]);
    const sink = await decodeProxy(bluecoatDecoder, writeLog(dir, 'bytes.log', content), { maxLineBytes: 4096 });
    expect(sink.lines).toEqual([2, 4]);
    expect([sink.rowAt(2).uripath, sink.rowAt(2).uriquery]).toEqual(['/caf%E9', '?q=%FF']);
    expect(sink.rejects.map((r) => [r.line, r.reason, r.detail])).toEqual([[3, 'line-too-long', 'line longer than 4096 bytes (ingest.maxLineBytes)']]);
    expect(sink.rowAt(4).uripath).toBe('/next');
  });

  it('tells a file cut inside a quoted field from a line with a broken quote', async () => {
    const dir = tempDir();
    const lines = ['#Fields: date time c-ip cs-host cs(User-Agent)', '2024-05-01 10:00:00 10.0.0.1 a.example "broken', '2024-05-01 10:00:01 10.0.0.1 a.example "ok"', '2024-05-01 10:00:02 10.0.0.1 a.example "cut off'];
    const sink = await decodeProxy(bluecoatDecoder, writeLog(dir, 'cut.log', lines.join('\n')));
    expect(sink.rows.map((r) => r.useragent)).toEqual(['ok']);
    expect(sink.rejects.map((r) => [r.line, r.reason, r.detail])).toEqual([
      [2, 'bad-record', 'the quote opened at column 40 is never closed'],
      [4, 'truncated', 'the file ends in the middle of a record: the quote opened at column 40 is never closed'],
    ]);
  });
});
