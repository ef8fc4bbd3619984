import { describe, expect, it } from 'vitest';
import { missingShared, sharedFile } from '../../../test/helpers/shared-data.js';
import { tempDir } from '../../../test/helpers/tmp.js';
import { utcMicros } from '../flow/testing.js';
import { squidDecoder } from './squid.js';
import { decodeProxy, proxyRow, writeLog } from './testing.js';

const SAMPLE = 'proxy/squid/elastic-integrations/squid-log-access.log';

describe('squid on the shared access.log', () => {
  it.skipIf(missingShared(SAMPLE))('reads all 100 native lines', async () => {
    const sink = await decodeProxy(squidDecoder, sharedFile(SAMPLE)!);
    expect(sink.rejects).toEqual([]);
    expect(sink.lines).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(sink.rowAt(1)).toEqual(
      proxyRow({
        clientip: '10.105.21.199',
        host: 'login.yahoo.com',
        reqmethod: 'CONNECT',
        duration: 5006,
        username: 'badeyek',
        respcode: 200,
        action: 'TCP_MISS',
        urischeme: 'tcp',
        uriport: 443,
        serverip: '175.16.199.115',
        scbytes: 19763,
        ts: 1157689312049000,
        format: 'squid',
      }),
    );
    expect(sink.rowAt(4)).toEqual(
      proxyRow({
        clientip: '10.105.21.199',
        host: 'www.goonernews.com',
        reqmethod: 'GET',
        resconttype: 'text/css',
        duration: 1,
        username: 'badeyek',
        respcode: 200,
        action: 'TCP_HIT',
        urischeme: 'http',
        uriport: 80,
        uripath: '/styles.css',
        uriextension: 'css',
        scbytes: 1464,
        ts: utcMicros('2006-09-08T04:22:01.315Z'),
        format: 'squid',
      }),
    );
    // Proxy authentication refused a CONNECT: no user, no peer.
    const denied = sink.rowAt(42);
    expect([denied.action, denied.respcode, denied.username, denied.serverip, denied.host, denied.resconttype]).toEqual(['TCP_DENIED', 407, null, null, 'us.mcafee.com', 'text/html']);
    // strip_query_terms leaves a bare "?".
    expect([sink.rowAt(7).uripath, sink.rowAt(7).uriquery, sink.rowAt(7).uriextension]).toEqual(['/__utm.gif', '?', 'gif']);
  });
});

describe('squid on built logs', () => {
  it('reads native lines, CONNECT, IPv6 and mime headers; quarantines the bad ones and keeps the next', async () => {
    const dir = tempDir();
    const lines = [
      '1700000000.123     45 10.1.1.1 TCP_MISS/200 1234 GET http://example.com:8080/path/x.php?a=1 j%C3%B6rg HIER_DIRECT/93.184.216.34 text/html',
      '1700000001.000     10 2001:DB8::7 TCP_TUNNEL/200 999 CONNECT [2001:db8::1]:443 - HIER_DIRECT/2001:db8::1 -',
      '1700000002.000      0 10.1.1.2 NONE_NONE/000 0 - error:transaction-end-before-headers - HIER_NONE/- -',
      '1700000003.000      5 10.1.1.2 TCP_MISS/200 10 GET http://example.com/ - HIER_DIRECT/93.184.216.34',
      '1700000004.000      7 10.1.1.3 TCP_MISS/200 77 GET http://example.com/a - HIER_DIRECT/93.184.216.34 text/plain [Host: example.com\\r\\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64)\\r\\nReferer: http://ref.example/%5Bx%5D\\r\\n] [HTTP/1.1 200 OK\\r\\n]',
      '1700000005.000      7 10.1.1.3 TCP_MISS/200 77 GET http://example.com/a - HIER_DIRECT/93.184.216.34 text/plain extra',
      '1700000006.000      7 host.example TCP_MISS/200 77 GET http://example.com/a - HIER_DIRECT/93.184.216.34 -',
      '1700000007.000      7 10.1.1.4 TCP_MISS/999x 77 GET http://example.com/a - HIER_DIRECT/93.184.216.34 -',
      'hello world',
      '1700000009.500      3 10.1.1.5 TCP_MEM_HIT/200 12 GET https://example.org/ok - HIER_NONE/- -',
      '1700000010.000      3 10.1.1.5 TCP_MISS/200 12 GET http://examp',
    ];
    const path = writeLog(dir, 'access.log', lines.join('\n'));
    const sink = await decodeProxy(squidDecoder, path);
    expect(sink.lines).toEqual([1, 2, 5, 10]);
    expect(sink.rejects.map((r) => [r.line, r.reason, r.detail])).toEqual([
      [3, 'missing-field', 'URL "error:transaction-end-before-headers" names no host'],
      [4, 'wrong-field-count', "9 fields, Squid's native format names 10"],
      [6, 'wrong-field-count', "more than 10 fields, Squid's native format names 10 (log_mime_hdrs adds [headers])"],
      [7, 'bad-field', 'client "host.example" is not an IP address'],
      [8, 'bad-field', 'code "999x" is not a whole number'],
      [9, 'bad-record', 'neither a Squid native nor an Apache common/combined line: no [time] after the client and user'],
      [11, 'truncated', "the file ends in the middle of a record: 7 fields, Squid's native format names 10"],
    ]);
    expect(sink.rejects[1]!.excerpt).toBe(lines[3]);
    expect(sink.rejects[1]!.offset).toBe(lines.slice(0, 3).join('\n').length + 1);
    expect(sink.rowAt(1)).toEqual(
      proxyRow({
        clientip: '10.1.1.1',
        host: 'example.com',
        reqmethod: 'GET',
        resconttype: 'text/html',
        duration: 45,
        username: 'jörg',
        respcode: 200,
        action: 'TCP_MISS',
        urischeme: 'http',
        uriport: 8080,
        uripath: '/path/x.php',
        uriquery: '?a=1',
        uriextension: 'php',
        serverip: '93.184.216.34',
        scbytes: 1234,
        ts: 1700000000123000,
        format: 'squid',
      }),
    );
    expect(sink.rowAt(2)).toEqual(
      proxyRow({
        clientip: '2001:db8::7',
        host: '2001:db8::1',
        reqmethod: 'CONNECT',
        duration: 10,
        respcode: 200,
        action: 'TCP_TUNNEL',
        urischeme: 'tcp',
        uriport: 443,
        serverip: '2001:db8::1',
        scbytes: 999,
        ts: 1700000001000000,
        format: 'squid',
      }),
    );
    expect([sink.rowAt(5).useragent, sink.rowAt(5).referer]).toEqual(['Mozilla/5.0 (X11; Linux x86_64)', 'http://ref.example/[x]']);
    expect([sink.rowAt(10).urischeme, sink.rowAt(10).uriport, sink.rowAt(10).ts]).toEqual(['https', 443, 1700000009500000]);
  });

  it('reads the Apache common and combined lines Squid writes, with their time offsets', async () => {
    const dir = tempDir();
    const lines = [
      '10.1.1.3 - bob [14/Nov/2023:22:13:20 +0100] "GET http://example.org/a.css HTTP/1.1" 200 5120 TCP_MEM_HIT:HIER_NONE',
      '10.1.1.3 - - [14/Nov/2023:22:13:21 -0500] "POST https://api.example.org/v1/items?x=1 HTTP/1.1" 201 77 "http://ref.example/p" "Weird "quoted" agent/1.0" TCP_MISS:HIER_DIRECT',
      '::1 - - [14/Nov/2023:22:13:22 +0000] "CONNECT mail.example.com:993 HTTP/1.1" 200 4000 "-" "-" TCP_TUNNEL:HIER_DIRECT',
      '10.1.1.4 - - [14/Nov/2023:22:13:23 +0000] "NONE error:invalid-request HTTP/0.0" 400 3900 "-" "-" TAG_NONE:HIER_NONE',
      '10.1.1.4 - - [14/Nov/2023:22:13:24 +0000] "GET http://example.org/ HTTP/1.1" 200 10 "-" "unclosed',
      '10.1.1.5 - - [14/Nov/2023:22:13:25 +0000] "GET http://example.org/last HTTP/1.1" 304 0 "-" "curl/8.0"',
    ];
    const sink = await decodeProxy(squidDecoder, writeLog(dir, 'common.log.gz', lines));
    expect(sink.lines).toEqual([1, 2, 3, 6]);
    expect(sink.rejects.map((r) => [r.line, r.reason, r.detail])).toEqual([
      [4, 'missing-field', 'the request "NONE error:invalid-request HTTP/0.0" names no host'],
      [5, 'bad-record', 'neither a Squid native nor an Apache common/combined line: the "user agent" is not closed'],
    ]);
    expect(sink.rowAt(1)).toEqual(
      proxyRow({
        clientip: '10.1.1.3',
        host: 'example.org',
        reqmethod: 'GET',
        username: 'bob',
        respcode: 200,
        action: 'TCP_MEM_HIT',
        urischeme: 'http',
        uriport: 80,
        uripath: '/a.css',
        uriextension: 'css',
        scbytes: 5120,
        ts: utcMicros('2023-11-14T21:13:20Z'),
        format: 'squid',
      }),
    );
    expect(sink.rowAt(2)).toEqual(
      proxyRow({
        clientip: '10.1.1.3',
        host: 'api.example.org',
        reqmethod: 'POST',
        useragent: 'Weird "quoted" agent/1.0',
        referer: 'http://ref.example/p',
        respcode: 201,
        action: 'TCP_MISS',
        urischeme: 'https',
        uriport: 443,
        uripath: '/v1/items',
        uriquery: '?x=1',
        scbytes: 77,
        ts: utcMicros('2023-11-15T03:13:21Z'),
        format: 'squid',
      }),
    );
    expect([sink.rowAt(3).clientip, sink.rowAt(3).host, sink.rowAt(3).uriport, sink.rowAt(3).urischeme, sink.rowAt(3).uripath]).toEqual(['::1', 'mail.example.com', 993, 'tcp', null]);
    expect([sink.rowAt(6).action, sink.rowAt(6).useragent, sink.rowAt(6).respcode]).toEqual([null, 'curl/8.0', 304]);
  });

  it('keeps a URL with a byte that is not UTF-8 and skips an absurdly long line', async () => {
    const dir = tempDir();
    const first = Buffer.concat([Buffer.from('1700000000.000 1 10.1.1.1 TCP_MISS/200 5 GET http://example.com/se'), Buffer.of(0xf1), Buffer.from('or - HIER_DIRECT/93.184.216.34 -')]);
    const content = Buffer.concat([
      first,
      Buffer.from(`\n1700000001.000 1 10.1.1.1 TCP_MISS/200 5 GET http://example.com/${'x'.repeat(3 << 20)} - HIER_NONE/- -\n`),
      Buffer.from('1700000002.000 1 10.1.1.1 TCP_MISS/200 5 GET http://example.com/after - HIER_NONE/- -\n'),
    ]);
    const sink = await decodeProxy(squidDecoder, writeLog(dir, 'bytes.log', content));
    expect(sink.lines).toEqual([1, 3]);
    expect(sink.rowAt(1).uripath).toBe('/se%F1or');
    expect(sink.rejects.map((r) => [r.line, r.reason, r.offset])).toEqual([[2, 'line-too-long', first.length + 1]]);
    expect(sink.rowAt(3).uripath).toBe('/after');
  });
});
