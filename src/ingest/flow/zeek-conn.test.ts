import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { missingShared, sharedFile } from '../../../test/helpers/shared-data.js';
import { tempDir } from '../../../test/helpers/tmp.js';
import type { FlowRow } from '../../schema/index.js';
import { argusBinetflowDecoder } from './argus-binetflow.js';
import { nfdumpCsvDecoder } from './nfdump-csv.js';
import { accepts, countBy, decodeFile } from './testing.js';
import { historyFlags, zeekConnDecoder } from './zeek-conn.js';

/** Every Zeek conn log of the shared data, with its records (SOURCES.md; test10's first header line starts with a tab). */
const CONN_LOGS: Readonly<Record<string, number>> = {
  'netflowlabeler/conn.json.log': 1000,
  'rita/json_with_all_fields/conn.log': 29,
  'rita/proxy/conn.log': 463,
  'rita/truncated/conn.log': 59,
  'stratosphere-sdft/001-zeek-scenario-malicious/labeled-conn.log': 992,
  'stratosphere-sdft/002-zeek-scenario-port-scanning/conn.log': 4504,
  'stratosphere-sdft/003-zeek-scenario-malicious/conn.log': 361,
  'stratosphere-sdft/006-zeek-scenario-ssh/conn.log': 18,
  'stratosphere-sdft/008-zeek-mixed/conn.log.labeled': 5663,
  'stratosphere-sdft/010-zeek-mixed/conn.log.labeled': 5347,
  'stratosphere-sdft/012-zeek-mixed/conn.log.labeled': 4740,
  'stratosphere-slips/port-scans/horizontal/conn.log': 41,
  'stratosphere-slips/port-scans/vertical/conn.log': 50,
  'stratosphere-slips/test10-mixed-zeek-dir/conn.log': 141,
  'stratosphere-slips/test9-mixed-zeek-dir/conn.log': 576,
};

const DIR = 'flows/zeek-conn';
const missingDir = missingShared(DIR);

/** Lines that are neither blank nor a header: what a reader of the file counts as records. */
function recordLines(path: string): number {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#')).length;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .map((f) => f.split('\\').join('/'))
    .sort();
}

/** A row of a conn log given its line. */
function rowAt(sink: { rows: FlowRow[]; lines: number[] }, line: number): FlowRow {
  const i = sink.lines.indexOf(line);
  if (i < 0) throw new Error(`no row from line ${line}`);
  return sink.rows[i]!;
}

const NULL_SPOT_COLUMNS = { fwd: null, stos: null, input: null, output: null, sas: null, das: null, dtos: null, dir: null, rip: null } as const;

describe('zeek-conn on the shared Zeek logs', () => {
  it.skipIf(missingDir)('knows every conn log there is', () => {
    const dir = sharedFile(DIR)!;
    expect(listFiles(dir).filter((f) => !f.endsWith('labels.config'))).toEqual(Object.keys(CONN_LOGS).sort());
  });

  for (const [file, records] of Object.entries(CONN_LOGS)) {
    const rel = `${DIR}/${file}`;
    it.skipIf(missingShared(rel))(`decodes every record of ${file}`, async () => {
      const path = sharedFile(rel)!;
      expect(await accepts(zeekConnDecoder, path)).toBe(true);
      expect(await accepts(argusBinetflowDecoder, path)).toBe(false);
      expect(await accepts(nfdumpCsvDecoder, path)).toBe(false);
      const sink = await decodeFile(zeekConnDecoder, path);
      expect(recordLines(path)).toBe(records);
      const truncated = file === 'rita/truncated/conn.log' ? 1 : 0;
      expect(sink.rows.length).toBe(records - truncated);
      expect(sink.rejects.length).toBe(truncated);
    });
  }

  const proxy = `${DIR}/rita/proxy/conn.log`;
  it.skipIf(missingShared(proxy))('maps a TSV TCP record column by column', async () => {
    const sink = await decodeFile(zeekConnDecoder, sharedFile(proxy)!);
    // 1672843056.913119 CXHB1X22027MRWU6D 10.136.0.18 55548 10.136.0.16 3128 tcp http,ssl 0.084044 1030 20275 SF T T 0 ShADadFf 18 1974 14 21011 -
    expect(rowAt(sink, 9)).toEqual({
      treceived: 1672843056997163,
      sip: '10.136.0.18',
      dip: '10.136.0.16',
      sport: 55548,
      dport: 3128,
      proto: 'TCP',
      flag: '...AP.SF',
      ...NULL_SPOT_COLUMNS,
      ipkt: 18,
      ibyt: 1974,
      opkt: 14,
      obyt: 21011,
      tstart: 1672843056913119,
      tend: 1672843056997163,
      sensor: 'test',
      state: 'SF',
      uid: 'CXHB1X22027MRWU6D',
      label: null,
    } satisfies FlowRow);
  });

  const labelled = `${DIR}/stratosphere-sdft/001-zeek-scenario-malicious/labeled-conn.log`;
  it.skipIf(missingShared(labelled))('keeps Stratosphere labels, relative times and IPv6 ICMP', async () => {
    const sink = await decodeFile(zeekConnDecoder, sharedFile(labelled)!);
    // 273.503417 Cx8yQ24GZlNRG5vl94 192.168.1.115 49158 85.31.204.81 443 tcp ssl 3.354241 632 5516 SF T F 0 ShADdFaf 9 1004 9 5888 (empty) Malicious CC
    expect(rowAt(sink, 58)).toMatchObject({ tstart: 273503417, tend: 276857658, treceived: 276857658, flag: '...AP.SF', ibyt: 1004, obyt: 5888, label: 'Malicious/CC' });
    // 15.230937 CRqC0H3bryCPXik8n3 :: 135 ff02::1:ff7f:abb3 136 icmp - 0.000075 32 0 OTH F F 0 - 2 128 0 0 (empty) Background (empty)
    // Neighbour solicitation (135): Zeek puts its counterpart type 136 in resp_p; the code is 0.
    expect(rowAt(sink, 21)).toEqual({
      treceived: 15231012,
      sip: '::',
      dip: 'ff02::1:ff7f:abb3',
      sport: 0,
      dport: 135 * 256,
      proto: 'ICMP6',
      flag: '........',
      ...NULL_SPOT_COLUMNS,
      ipkt: 2,
      ibyt: 128,
      opkt: 0,
      obyt: 0,
      tstart: 15230937,
      tend: 15231012,
      sensor: 'test',
      state: 'OTH',
      uid: 'CRqC0H3bryCPXik8n3',
      label: 'Background',
    } satisfies FlowRow);
    const counts = countBy(sink.rows, 'label');
    expect(counts).toEqual({ Background: 739, 'Malicious/CC': 244, 'Benign/Google': 9 });
  });

  const mixed = `${DIR}/stratosphere-sdft/008-zeek-mixed/conn.log.labeled`;
  it.skipIf(missingShared(mixed))('counts the labels SOURCES.md lists for 008', async () => {
    const sink = await decodeFile(zeekConnDecoder, sharedFile(mixed)!);
    const counts = countBy(sink.rows, 'label');
    expect(counts).toEqual({
      'Malicious/External-Attack-to-Device': 4201,
      'Benign/Microsoft': 652,
      'Benign/ESET': 604,
      'Benign/Dropbox': 135,
      Background: 60,
      'Benign/Cert-Validation': 11,
    });
  });

  const icmp = `${DIR}/stratosphere-sdft/010-zeek-mixed/conn.log.labeled`;
  it.skipIf(missingShared(icmp))('stores ICMP type and code as nfdump does', async () => {
    const sink = await decodeFile(zeekConnDecoder, sharedFile(icmp)!);
    // 1655243845.785917 CZl5ZQ1sl3cbejLfr4 128.9.29.131 8 147.32.83.234 0 icmp - 0.000003 8 0 OTH … Malicious External-Attack-to-Device
    expect(rowAt(sink, 5354)).toMatchObject({ sip: '128.9.29.131', dip: '147.32.83.234', proto: 'ICMP', sport: 0, dport: 2048, flag: '........', tend: 1655243845785920 });
    expect(sink.rows.filter((r) => r.label === 'Benign').length).toBe(1689);
  });

  const json = `${DIR}/netflowlabeler/conn.json.log`;
  it.skipIf(missingShared(json))('maps JSON records, rounding durations to microseconds', async () => {
    const sink = await decodeFile(zeekConnDecoder, sharedFile(json)!);
    // {"ts":1626284625.656299,…,"proto":"tcp","duration":0.23780393600463868,…,"history":"ShADadtFf","orig_pkts":15,"orig_ip_bytes":2519,"resp_pkts":14,"resp_ip_bytes":9556}
    expect(rowAt(sink, 3)).toEqual({
      treceived: 1626284625894103,
      sip: '192.168.1.128',
      dip: '172.217.23.206',
      sport: 59241,
      dport: 443,
      proto: 'TCP',
      flag: '...AP.SF',
      ...NULL_SPOT_COLUMNS,
      ipkt: 15,
      ibyt: 2519,
      opkt: 14,
      obyt: 9556,
      tstart: 1626284625656299,
      tend: 1626284625894103,
      sensor: 'test',
      state: 'SF',
      uid: 'C3WyfA1myV4y2yDfi3',
      label: null,
    } satisfies FlowRow);
    // Port unreachable (type 3, code 3) and an IPv6 MLDv2 report (143, one-way: resp_p is its code 0).
    expect(rowAt(sink, 47)).toMatchObject({ proto: 'ICMP', sport: 0, dport: 771 });
    expect(rowAt(sink, 57)).toMatchObject({ proto: 'ICMP6', sip: 'fe80::818:22f5:e0dc:c9e4', dip: 'ff02::16', sport: 0, dport: 143 * 256 });
  });

  const horizontal = `${DIR}/stratosphere-slips/port-scans/horizontal/conn.log`;
  it.skipIf(missingShared(horizontal))('ends a flow without a duration where it starts', async () => {
    const sink = await decodeFile(zeekConnDecoder, sharedFile(horizontal)!);
    // 958.869115 CeSj4A1BN9nBei0fe9 10.0.2.112 49245 188.252.30.130 80 tcp - - - - S0 - - 0 S 1 52 0 0 (empty)
    expect(rowAt(sink, 49)).toMatchObject({ tstart: 958869115, tend: 958869115, treceived: 958869115, flag: '......S.', ipkt: 1, ibyt: 52, opkt: 0, obyt: 0, state: 'S0' });
  });

  const truncated = `${DIR}/rita/truncated/conn.log`;
  it.skipIf(missingShared(truncated))('quarantines the cut-off last record of the truncated RITA log with its line', async () => {
    const path = sharedFile(truncated)!;
    const lines = readFileSync(path, 'utf8').split('\n');
    const last = lines.at(-1)!;
    const sink = await decodeFile(zeekConnDecoder, path);
    expect(sink.rejects).toEqual([
      {
        reason: 'truncated',
        line: lines.length,
        offset: statSync(path).size - Buffer.byteLength(last),
        detail: 'the file ends in the middle of a record: 9 fields, the #fields header names 21',
        excerpt: last,
      },
    ]);
    expect(sink.lines.at(-1)).toBe(lines.length - 1);
  });

  it.skipIf(missingShared(mixed))('reads the gzip of a log as the log itself', async () => {
    const path = join(tempDir(), 'conn.log.labeled.gz');
    writeFileSync(path, gzipSync(readFileSync(sharedFile(mixed)!)));
    expect(await accepts(zeekConnDecoder, path)).toBe(true);
    const plain = await decodeFile(zeekConnDecoder, sharedFile(mixed)!);
    const gzipped = await decodeFile(zeekConnDecoder, path);
    expect(gzipped.rows.length).toBe(5663);
    expect(gzipped.rows).toEqual(plain.rows);
    expect(gzipped.lines).toEqual(plain.lines);
  });

  it.skipIf(missingShared('proxy/zeek-http'))('does not take http logs for conn logs', async () => {
    const dir = sharedFile('proxy/zeek-http')!;
    const logs = listFiles(dir);
    expect(logs.length).toBeGreaterThanOrEqual(4);
    for (const log of logs) expect([log, await accepts(zeekConnDecoder, join(dir, log))]).toEqual([log, false]);
  });
});

const TSV_HEADER = [
  '#separator \\x09',
  '#set_separator\t,',
  '#empty_field\t(empty)',
  '#unset_field\t-',
  '#path\tconn',
  '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents',
  '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]',
];

/** A conn record with the given fields changed. */
function conn(change: Partial<Record<'ts' | 'orig_h' | 'orig_p' | 'resp_p' | 'proto' | 'history', string>> = {}): string {
  const f = { ts: '1517336042.090842', orig_h: '10.55.182.100', orig_p: '14291', resp_p: '80', proto: 'tcp', history: 'S', ...change };
  return `${f.ts}\tCi85EB2YjUI9a2eql6\t${f.orig_h}\t${f.orig_p}\t10.233.233.5\t${f.resp_p}\t${f.proto}\t-\t3.000158\t0\t0\tS0\tT\tT\t0\t${f.history}\t2\t104\t0\t0\t(empty)`;
}

function writeLog(name: string, content: string | Buffer): string {
  const path = join(tempDir(), name);
  writeFileSync(path, content);
  return path;
}

/** Rejects as [line, reason, detail] and the lines of the rows kept. */
async function outcome(path: string, ingest: Record<string, unknown> = {}) {
  const sink = await decodeFile(zeekConnDecoder, path, ingest);
  return { rejects: sink.rejects.map((r) => [r.line, r.reason, r.detail]), rows: sink.lines };
}

describe('zeek-conn on bad input', () => {
  it('quarantines each bad record with its line and reason, and keeps the next good one', async () => {
    const path = writeLog(
      'conn.log',
      [
        conn(),
        ...TSV_HEADER,
        conn(),
        conn({ orig_h: '10.55.182.300' }),
        conn(),
        conn({ ts: '2018-13-01' }),
        conn({ resp_p: '70000' }),
        conn({ proto: '-' }),
        `${conn()}\textra`,
        conn({ proto: 'icmp', orig_p: '300', resp_p: '0' }),
        conn(),
      ].join('\n'),
    );
    expect(await outcome(path)).toEqual({
      rejects: [
        [1, 'no-header', 'record before the #fields header that names its columns'],
        [10, 'bad-field', 'id.orig_h "10.55.182.300" is not an IP address'],
        [12, 'bad-timestamp', 'ts "2018-13-01" is not a time (epoch seconds or ISO 8601)'],
        [13, 'out-of-range', 'id.resp_p "70000" is outside 0-65535'],
        [14, 'missing-field', 'proto is empty'],
        [15, 'wrong-field-count', '22 fields, the #fields header names 21'],
        [16, 'out-of-range', 'id.orig_p/id.resp_p: ICMP type 300 and code 0 must both be 0-255'],
      ],
      rows: [9, 11, 17],
    });
  });

  it('quarantines a line with bytes that are not UTF-8 and an absurdly long line', async () => {
    const bad = Buffer.concat([Buffer.from(conn().replace('Ci85EB2YjUI9a2eql6', 'Ci85EB2Y')), Buffer.of(0xc3, 0x28), Buffer.from('\n')]);
    const path = writeLog('conn.log', Buffer.concat([Buffer.from(`${TSV_HEADER.join('\n')}\n`), bad, Buffer.from(`${conn()}\t${'x'.repeat(3000)}\n${conn()}\n`)]));
    expect(await outcome(path, { maxLineBytes: 2048 })).toEqual({
      rejects: [
        [8, 'bad-record', 'the line holds bytes that are not UTF-8 text'],
        [9, 'line-too-long', 'line longer than 2048 bytes (ingest.maxLineBytes)'],
      ],
      rows: [10],
    });
  });

  it('reads an empty file as no rows and no error', async () => {
    expect(await outcome(writeLog('conn.log', ''))).toEqual({ rejects: [], rows: [] });
    expect(await outcome(writeLog('conn.log', `${TSV_HEADER.join('\n')}\n#close\t2020-01-01-00-00-00\n`))).toEqual({ rejects: [], rows: [] });
  });

  it('reads IoT-23 labels packed into the last column', async () => {
    const header = TSV_HEADER.map((l) => (l.startsWith('#fields') ? `${l}   label   detailed-label` : l.startsWith('#types') ? `${l}   string   string` : l));
    const path = writeLog('conn.log.labeled', [...header, `${conn()}   Malicious   C&C`, conn().replace(/\(empty\)$/, '-   Benign   -')].join('\n'));
    const sink = await decodeFile(zeekConnDecoder, path);
    expect(sink.rows.map((r) => r.label)).toEqual(['Malicious/C&C', 'Benign']);
  });

  it('reads JSON with underscore keys and ISO 8601 times, and refuses records of other logs', async () => {
    const path = writeLog(
      'conn.json',
      [
        '{"_path":"conn","ts":"2022-09-29T14:40:56.755299Z","uid":"C1","id_orig_h":"172.16.1.11","id_orig_p":40042,"id_resp_h":"8.8.8.8","id_resp_p":53,"proto":"udp","duration":0.012167,"conn_state":"SHR","orig_pkts":0,"orig_ip_bytes":0,"resp_pkts":1,"resp_ip_bytes":139}',
        '{"_path":"dns","ts":1664462456.755299,"uid":"C1","id_orig_h":"172.16.1.11","query":"example.com"}',
      ].join('\n'),
    );
    expect(await accepts(zeekConnDecoder, path)).toBe(true);
    const sink = await decodeFile(zeekConnDecoder, path);
    const tstart = Date.UTC(2022, 8, 29, 14, 40, 56) * 1000 + 755299;
    expect(sink.rows).toEqual([
      {
        treceived: tstart + 12167,
        sip: '172.16.1.11',
        dip: '8.8.8.8',
        sport: 40042,
        dport: 53,
        proto: 'UDP',
        flag: '........',
        ...NULL_SPOT_COLUMNS,
        ipkt: 0,
        ibyt: 0,
        opkt: 1,
        obyt: 139,
        tstart,
        tend: tstart + 12167,
        sensor: 'test',
        state: 'SHR',
        uid: 'C1',
        label: null,
      },
    ]);
    expect(sink.rejects.map((r) => [r.line, r.reason, r.detail])).toEqual([[2, 'bad-record', 'a record of the dns log, not conn']]);
  });
});

describe('historyFlags', () => {
  it('merges the flags each history letter implies, in both directions', () => {
    expect(historyFlags('S')).toBe('......S.');
    expect(historyFlags('Sh')).toBe('...A..S.');
    expect(historyFlags('ShADadFf')).toBe('...AP.SF');
    expect(historyFlags('Sr')).toBe('.....RS.');
    expect(historyFlags('ShAdDaTt')).toBe('...AP.S.');
    expect(historyFlags('Q')).toBe('......S.');
    expect(historyFlags('^cgwixC')).toBe('........');
    expect(historyFlags('')).toBe('........');
  });
});
