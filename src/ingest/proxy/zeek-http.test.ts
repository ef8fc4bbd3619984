import { describe, expect, it } from 'vitest';
import { missingShared, sharedFile } from '../../../test/helpers/shared-data.js';
import { tempDir } from '../../../test/helpers/tmp.js';
import { utcMicros } from '../flow/testing.js';
import { decodeProxy, proxyRow, writeLog } from './testing.js';
import { zeekHttpDecoder } from './zeek-http.js';

const DIR = 'proxy/zeek-http';
const RITA_PROXY = `${DIR}/rita/proxy/http.log`;
const RITA_JSON = `${DIR}/rita/json_with_all_fields/http.log`;
const LABELED = `${DIR}/stratosphere-sdft/008-zeek-mixed/http.log.labeled`;
const SLIPS = `${DIR}/stratosphere-slips/test9-mixed-zeek-dir/http.log`;

describe('zeek-http on the shared http.log files', () => {
  it.skipIf(missingShared(RITA_PROXY))("reads RITA's explicit-proxy view: CONNECT tunnels through 10.136.0.16:3128", async () => {
    const sink = await decodeProxy(zeekHttpDecoder, sharedFile(RITA_PROXY)!);
    expect(sink.rejects).toEqual([]);
    expect(sink.rows.length).toBe(407);
    const byHost: Record<string, number> = {};
    for (const r of sink.rows) byHost[r.host] = (byHost[r.host] ?? 0) + 1;
    expect(byHost).toEqual({ 'www.honestimnotevil.com': 397, 'www.google.com': 10 });
    expect(sink.rowAt(9)).toEqual(
      proxyRow({
        clientip: '10.136.0.18',
        host: 'www.google.com',
        reqmethod: 'CONNECT',
        useragent: 'Modzilla/-2.0 (Atari 7800)',
        respcode: 200,
        // The tunnel's target port, not the proxy's 3128; the server address is the proxy's.
        urischeme: 'tcp',
        uriport: 443,
        serverip: '10.136.0.16',
        scbytes: 0,
        csbytes: 0,
        ts: 1672843056914972,
        format: 'zeek-http',
        uid: 'CXHB1X22027MRWU6D',
      }),
    );
  });

  it.skipIf(missingShared(RITA_JSON))('reads JSON lines with every field', async () => {
    const sink = await decodeProxy(zeekHttpDecoder, sharedFile(RITA_JSON)!);
    expect(sink.rejects).toEqual([]);
    expect(sink.rows.length).toBe(10);
    const first = sink.rowAt(1);
    expect([first.host, first.uripath, first.uriextension, first.resconttype, first.referer, first.scbytes, first.uriport, first.ts]).toEqual([
      'gm.mmstat.com',
      '/sc.13.1',
      '1',
      'image/gif',
      'http://www.alibaba.com/',
      43,
      80,
      1517422328146198,
    ]);
    expect(first.uriquery).toMatch(/^\?cache=70ebbd&gmkey=OTHER&.*&logtype=2$/);
  });

  it.skipIf(missingShared(LABELED))("keeps Stratosphere's labels; quarantines the 12 records Zeek logged without a request", async () => {
    const sink = await decodeProxy(zeekHttpDecoder, sharedFile(LABELED)!);
    // Responses whose request Zeek never saw: method, host and uri are all unset.
    expect(sink.rejected()).toEqual([26, 36, 153, 219, 238, 241, 246, 286, 305, 315, 316, 326].map((l) => [l, 'missing-field']));
    expect(sink.rejects[0]!.detail).toBe('host is empty: Zeek saw no request (method and uri unset)');
    expect(sink.rows.length).toBe(330);
    const labels: Record<string, number> = {};
    for (const r of sink.rows) labels[String(r.label)] = (labels[String(r.label)] ?? 0) + 1;
    expect(labels).toEqual({ 'Benign/ESET': 296, 'Malicious/External-Attack-to-Device': 8, 'Benign/Cert-Validation': 11, Background: 15 });
    expect(sink.rowAt(22)).toEqual(
      proxyRow({
        clientip: '167.94.145.57',
        host: '147.32.81.167',
        reqmethod: 'GET',
        respcode: 302,
        urischeme: 'http',
        uriport: 8008,
        uripath: '/',
        serverip: '147.32.81.167',
        scbytes: 0,
        csbytes: 0,
        ts: 1655074115042188,
        format: 'zeek-http',
        uid: 'Cdfwi33KjHcaWNo1Dk',
        label: 'Malicious/External-Attack-to-Device',
      }),
    );
  });

  it.skipIf(missingShared(SLIPS))('reads Slips JSON with relative times', async () => {
    const sink = await decodeProxy(zeekHttpDecoder, sharedFile(SLIPS)!);
    expect(sink.rejects).toEqual([]);
    expect(sink.rows.length).toBe(516);
    expect(sink.rowAt(2)).toEqual(
      proxyRow({
        clientip: '10.0.2.15',
        host: '103.41.26.58',
        reqmethod: 'GET',
        useragent: 'Microsoft NCSI',
        resconttype: 'text/plain',
        respcode: 200,
        urischeme: 'http',
        uriport: 80,
        uripath: '/Mozi.m',
        uriextension: 'm',
        serverip: '195.113.232.73',
        scbytes: 14,
        csbytes: 0,
        ts: 30044629,
        format: 'zeek-http',
        uid: 'CeXwwk4XHhkKHn7kag',
      }),
    );
  });
});

const TSV_HEADER = [
  '#separator \\x09',
  '#set_separator\t,',
  '#empty_field\t(empty)',
  '#unset_field\t-',
  '#path\thttp',
  '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tmethod\thost\turi\treferrer\tuser_agent\trequest_body_len\tresponse_body_len\tstatus_code\tusername\tresp_mime_types',
  '#types\ttime\tstring\taddr\tport\taddr\tport\tstring\tstring\tstring\tstring\tstring\tcount\tcount\tcount\tstring\tvector[string]',
];

describe('zeek-http on built logs', () => {
  it('reads requests to a proxy by their absolute URI, IPv6 clients and Host ports', async () => {
    const dir = tempDir();
    const lines = [
      ...TSV_HEADER,
      '1700000000.5\tCa\t2001:db8::10\t50000\t2001:db8::3128\t3128\tGET\texample.com:8080\thttp://example.com:8080/x.js?y=1\t-\tcurl/8\t0\t120\t200\talice\tapplication/javascript,text/plain',
      '1700000001.5\tCb\t10.0.0.1\t50001\t93.184.216.34\t80\tGET\twww.example.org:80\t/caf\\xc3\\xa9/index.html\thttp://ref/\tUA\\x09tab\t5\t6\t404\t-\t(empty)',
      '1700000002.5\tCc\t10.0.0.1\t50002\t93.184.216.34\t80\tGET\t-\t/nohost\t-\t-\t0\t0\t200\t-\t-',
      '1700000003.5\tCd\t10.0.0.1\t50003\t93.184.216.34\t70000\tGET\th.example\t/\t-\t-\t0\t0\t200\t-\t-',
      '1700000004.5\tCe\t10.0.0.1\t50004\t93.184.216.34\t80\tGET\th.example\t/ok\t-\t-\t0\t0\t200\t-\t-',
      '1700000005.5\tCf\t10.0.0.1',
    ];
    const sink = await decodeProxy(zeekHttpDecoder, writeLog(dir, 'http.log.gz', lines));
    expect(sink.lines).toEqual([8, 9, 12]);
    expect(sink.rejects.map((r) => [r.line, r.reason, r.detail])).toEqual([
      [10, 'missing-field', 'host is empty'],
      [11, 'out-of-range', 'id.resp_p "70000" is outside 0-65535'],
      [13, 'truncated', 'the file ends in the middle of a record: 3 fields, the #fields header names 16'],
    ]);
    expect(sink.rowAt(8)).toEqual(
      proxyRow({
        clientip: '2001:db8::10',
        host: 'example.com',
        reqmethod: 'GET',
        useragent: 'curl/8',
        resconttype: 'application/javascript',
        username: 'alice',
        respcode: 200,
        urischeme: 'http',
        uriport: 8080,
        uripath: '/x.js',
        uriquery: '?y=1',
        uriextension: 'js',
        serverip: '2001:db8::3128',
        scbytes: 120,
        csbytes: 0,
        ts: utcMicros('2023-11-14T22:13:20.5Z'),
        format: 'zeek-http',
        uid: 'Ca',
      }),
    );
    const r9 = sink.rowAt(9);
    expect([r9.host, r9.uriport, r9.uripath, r9.useragent, r9.referer, r9.resconttype, r9.respcode]).toEqual(['www.example.org', 80, '/café/index.html', 'UA\ttab', 'http://ref/', null, 404]);
  });

  it('quarantines a JSON line with bytes that are not UTF-8 and keeps the next', async () => {
    const dir = tempDir();
    const good = (n: number) => `{"_path":"http","ts":${1700000000 + n},"uid":"C${n}","id.orig_h":"10.0.0.${n}","id.resp_h":"10.9.9.9","id.resp_p":80,"method":"GET","host":"h","uri":"/p${n}"}`;
    const content = Buffer.concat([Buffer.from(`${good(1)}\n{"_path":"http","ts":1700000002,"id.orig_h":"10.0.0.2","host":"h","uri":"/caf`), Buffer.of(0xe9), Buffer.from(`"}\n{"_path":"conn","ts":1700000003,"id.orig_h":"10.0.0.3"}\n${good(4)}\n`)]);
    const sink = await decodeProxy(zeekHttpDecoder, writeLog(dir, 'http.json', content));
    expect(sink.lines).toEqual([1, 4]);
    expect(sink.rejects.map((r) => [r.line, r.reason, r.detail])).toEqual([
      [2, 'bad-record', 'the line holds bytes that are not UTF-8 text'],
      [3, 'bad-record', 'a record of the conn log, not http'],
    ]);
    expect(sink.rowAt(4).uripath).toBe('/p4');
  });
});
