import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/tmp.js';
import { readZeekLog, sniffZeekLog, unescapeZeek, type ZeekEntry, type ZeekRecord } from './zeek-log.js';
import { fieldProblem } from '../shared/testing.js';

const HEADER = ['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', '#path\tdns'];

function write(name: string, text: string | Buffer): string {
  const path = join(tempDir(), name);
  writeFileSync(path, text);
  return path;
}

async function entries(path: string, max = 1 << 20): Promise<ZeekEntry[]> {
  const out: ZeekEntry[] = [];
  for await (const e of readZeekLog(path, max)) out.push(e);
  return out;
}

async function records(path: string): Promise<ZeekRecord[]> {
  return (await entries(path)).map((e) => {
    if (e.kind !== 'record') throw new Error(`line ${e.line}: ${e.reason} ${e.detail}`);
    return e.record;
  });
}


describe('readZeekLog, TSV', () => {
  it('splits by the announced separators and unescapes values, sets, empty and unset fields', async () => {
    const path = write(
      'dns.log',
      [...HEADER, '#fields\tts\tuid\tquery\tanswers\tTTLs\trejected', '#types\ttime\tstring\tstring\tvector[string]\tvector[interval]\tbool', '1672843056.913119\tCa1\tx\\x09y.example\ta\\x2cb,c\t(empty)\t-'].join('\n'),
    );
    const [r] = await records(path);
    expect(r!.format).toBe('tsv');
    expect(r!.path).toBe('dns');
    expect(r!.time('ts')).toBe(1672843056913119);
    expect(r!.text('query')).toBe('x\ty.example');
    expect(r!.list('answers')).toEqual(['a,b', 'c']);
    expect(r!.list('TTLs')).toEqual([]);
    expect(r!.text('rejected')).toBeNull();
    expect(r!.has('rejected')).toBe(true);
    expect(r!.has('rcode')).toBe(false);
    expect(r!.text('rcode')).toBeNull();
  });

  it('follows headers that change mid-file, as in concatenated logs', async () => {
    const path = write(
      'cat.log',
      [...HEADER, '#fields\tts\tquery', '1.5\ta.example', '#close\t2020-01-01-00-00-00', '#separator ,', '#path,conn', '#fields,ts,uid,history', '2.25,C1,ShADadFf'].join('\n'),
    );
    const got = await records(path);
    expect(got.map((r) => [r.path, r.time('ts'), r.text('query'), r.text('history')])).toEqual([
      ['dns', 1500000, 'a.example', null],
      ['conn', 2250000, null, 'ShADadFf'],
    ]);
  });

  it('unpacks columns packed with runs of spaces (IoT-23 labels)', async () => {
    const path = write(
      'conn.log.labeled',
      [
        '#separator \\x09',
        '#fields\tts\tuid\ttunnel_parents   label   detailed-label',
        '#types\ttime\tstring\tset[string]   string   string',
        '1545403816.962094\tC1\t(empty)   Malicious   C&C',
        '1545403817.000000\tC2\t-   Benign   -',
        '1545403818.000000\tC3\t-   Benign',
      ].join('\n'),
    );
    const got = await entries(path);
    expect(got.map((e) => (e.kind === 'record' ? [e.record.list('tunnel_parents'), e.record.text('label'), e.record.text('detailed-label')] : [e.line, e.reason, e.detail]))).toEqual([
      [[], 'Malicious', 'C&C'],
      [null, 'Benign', null],
      [6, 'wrong-field-count', 'column 3 packs 2 values separated by spaces, the #fields header names 3'],
    ]);
  });

  it('quarantines records before #fields and lines of the wrong width, and goes on', async () => {
    const path = write('conn.log', ['1.0\tC0\tearly', '#separator \\x09', '#fields\tts\tuid\tquery', '2.0\tC1', '3.0\tC2\tgood'].join('\n'));
    const got = await entries(path);
    expect(got.map((e) => (e.kind === 'reject' ? [e.line, e.reason, e.detail] : [e.line, e.record.text('uid')]))).toEqual([
      [1, 'no-header', 'record before the #fields header that names its columns'],
      [4, 'wrong-field-count', '2 fields, the #fields header names 3'],
      [5, 'C2'],
    ]);
  });

  it('calls a short last line truncated', async () => {
    const path = write('conn.log', ['#fields\tts\tuid\tquery', '3.0\tC2\tgood', '4.0\tC'].join('\n'));
    const got = await entries(path);
    expect(got[1]).toMatchObject({ kind: 'reject', line: 3, offset: 33, reason: 'truncated', text: '4.0\tC' });
  });

  it('reads gzip and a leading byte-order mark', async () => {
    const path = write('conn.log.gz', gzipSync(Buffer.from('\uFEFF#fields\tts\tuid\n7.0\tC7\n')));
    expect((await records(path)).map((r) => r.text('uid'))).toEqual(['C7']);
  });

  it('names the field and value of a bad time or interval', async () => {
    const path = write('conn.log', ['#fields\tts\tduration', 'yesterday\tlong'].join('\n'));
    const [r] = await records(path);
    expect(fieldProblem(() => r!.time('ts'))).toEqual(['bad-timestamp', 'ts "yesterday" is not a time (epoch seconds or ISO 8601)']);
    expect(fieldProblem(() => r!.interval('duration'))).toEqual(['bad-field', 'duration "long" is not a duration in seconds']);
  });
});

describe('readZeekLog, JSON', () => {
  it('reads dotted, underscore and nested keys, booleans, arrays, epoch and ISO times', async () => {
    const path = write(
      'conn.json',
      [
        '{"ts":1626284625.656299,"id.orig_h":"192.168.1.128","local_orig":true,"duration":0.23780393600463868,"tunnel_parents":["a","b"],"_path":"conn"}',
        '{"ts":"2022-09-29T14:40:56.755299Z","id_orig_h":"10.0.0.1","local_orig":false}',
        '{"ts":"1517336042.090842","id":{"orig_h":"fe80::1","orig_p":5353}}',
      ].join('\n'),
    );
    const got = await records(path);
    expect(got.map((r) => [r.format, r.path, r.time('ts'), r.text('id.orig_h'), r.text('local_orig')])).toEqual([
      ['json', 'conn', 1626284625656299, '192.168.1.128', 'T'],
      ['json', null, Date.UTC(2022, 8, 29, 14, 40, 56) * 1000 + 755299, '10.0.0.1', 'F'],
      ['json', null, 1517336042090842, 'fe80::1', null],
    ]);
    expect(got[0]!.interval('duration')).toBe(237804);
    expect(got[0]!.list('tunnel_parents')).toEqual(['a', 'b']);
    expect(got[2]!.text('id.orig_p')).toBe('5353');
    expect(got[1]!.has('id.orig_h')).toBe(true);
  });

  it('quarantines broken JSON and calls a broken last line truncated', async () => {
    const path = write('conn.json', ['{"ts":1.0,"uid":"C1"}', '{"ts":2.0,"uid"', '["not","an","object"]', '{"ts":3.0,"uid":"C3"}', '{"ts":4.0,"ui'].join('\n'));
    const got = await entries(path);
    expect(got.map((e) => (e.kind === 'reject' ? [e.line, e.reason] : [e.line, e.record.text('uid')]))).toEqual([
      [1, 'C1'],
      [2, 'bad-record'],
      [3, 'no-header'],
      [4, 'C3'],
      [5, 'truncated'],
    ]);
  });
});

describe('readZeekLog, damaged lines', () => {
  it('quarantines bytes that are not UTF-8 and lines longer than the limit, then goes on', async () => {
    const good = '{"ts":1.0,"uid":"C1"}';
    const path = write('conn.json', Buffer.concat([Buffer.from(`${good}\n{"ts":2.0,"uid":"C`), Buffer.of(0xff, 0xfe), Buffer.from(`"}\n{"uid":"${'x'.repeat(5000)}"}\n${good}\n`)]));
    const got = await entries(path, 1024);
    expect(got.map((e) => (e.kind === 'reject' ? [e.line, e.reason, e.detail] : [e.line, 'record']))).toEqual([
      [1, 'record'],
      [2, 'bad-record', 'the line holds bytes that are not UTF-8 text'],
      [3, 'line-too-long', 'line longer than 1024 bytes (ingest.maxLineBytes)'],
      [4, 'record'],
    ]);
  });

  it('yields nothing for an empty file', async () => {
    expect(await entries(write('empty.log', ''))).toEqual([]);
  });
});

describe('sniffZeekLog', () => {
  it('tells TSV and JSON logs and their path', () => {
    const tsv = sniffZeekLog(Buffer.from('\t#separator \\x09\n#path\tconn\n#fields\tts\tid.orig_h\tconn_state\n1.0\t'));
    expect(tsv && [tsv.format, tsv.path, tsv.has('conn_state'), tsv.has('query')]).toEqual(['tsv', 'conn', true, false]);
    const json = sniffZeekLog(Buffer.from('{"ts":1.0,"id_orig_h":"10.0.0.1","conn_state":"S0"}\n'));
    expect(json && [json.format, json.path, json.has('id.orig_h'), json.has('conn_state')]).toEqual(['json', null, true, true]);
  });

  it('reads the keys of a first line cut off by the end of the head', () => {
    const json = sniffZeekLog(Buffer.from('{"_path":"dns","ts":1.0,"id.orig_h":"10.0.0.1","query":"exam'));
    expect(json && [json.format, json.path, json.has('query'), json.has('answers')]).toEqual(['json', 'dns', true, false]);
  });

  it('returns null for other text', () => {
    expect(sniffZeekLog(Buffer.from('StartTime,Dur,Proto,SrcAddr\n'))).toBeNull();
    expect(sniffZeekLog(Buffer.from(''))).toBeNull();
    expect(sniffZeekLog(Buffer.from('{}\n'))).toBeNull();
  });
});

it('unescapes \\xHH bytes as UTF-8 and doubled backslashes', () => {
  expect(unescapeZeek('caf\\xc3\\xa9\\x2c\\\\x')).toBe('café,\\x');
  expect(unescapeZeek('plain')).toBe('plain');
});
