import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasTool, missingShared, sharedFile } from '../../../test/helpers/shared-data.js';
import { tempDir } from '../../../test/helpers/tmp.js';
import type { FlowRow } from '../../schema/index.js';
import { argusBinetflowDecoder } from './argus-binetflow.js';
import { nfdumpCsvDecoder } from './nfdump-csv.js';
import { accepts, countBy, decodeFile, type CollectingSink } from './testing.js';
import { zeekConnDecoder } from './zeek-conn.js';

const SAMPLE = 'flows/nfcapd/chrispassas-nfdump/nfcapd.sample';
const SLIPS = 'flows/nfcapd/stratosphere-slips/test1-malicious.nfdump';
const LARGE = 'flows/nfcapd/chrispassas-nfdump/nfcapd-large-bz2';

const noNfdump = hasTool('nfdump') ? null : 'nfdump is not installed (Debian: apt-get install nfdump)';
const skip = (rel: string) => noNfdump ?? missingShared(rel);

function nfdump(args: readonly string[], tz: string): string {
  const run = spawnSync('nfdump', args, { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, TZ: tz } });
  if (run.status !== 0) throw new Error(`nfdump ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

/** nfdump's own CSV of a shared nfcapd file, with its header and closing summary, in a temp file. */
function nfdumpCsv(rel: string, tz = 'UTC'): string {
  const path = join(tempDir(), 'flows.csv');
  writeFileSync(path, nfdump(['-r', sharedFile(rel)!, '-o', 'csv'], tz));
  return path;
}

/** The oracle: how many records nfdump -q prints. */
function nfdumpRecords(rel: string): number {
  return nfdump(['-r', sharedFile(rel)!, '-q', '-o', 'csv'], 'UTC')
    .split('\n')
    .filter((l) => l !== '').length;
}

function rowAt(sink: CollectingSink, line: number): FlowRow {
  const i = sink.lines.indexOf(line);
  if (i < 0) throw new Error(`no row from line ${line}`);
  return sink.rows[i]!;
}

const utc = (y: number, mo: number, d: number, h: number, mi: number, s: number, micros = 0) => Date.UTC(y, mo - 1, d, h, mi, s) * 1000 + micros;

const NO_SOURCE_COLUMNS = { state: null, uid: null, label: null, sensor: 'test' } as const;

describe('nfdump-csv on CSV written by nfdump 1.7.1', () => {
  it.skipIf(skip(SAMPLE))('decodes every record of nfcapd.sample: IPv6, ICMP6 and nonsense durations', async () => {
    const path = nfdumpCsv(SAMPLE);
    expect(await accepts(nfdumpCsvDecoder, path)).toBe(true);
    expect(await accepts(zeekConnDecoder, path)).toBe(false);
    expect(await accepts(argusBinetflowDecoder, path)).toBe(false);
    const sink = await decodeFile(nfdumpCsvDecoder, path);
    expect(sink.rejects).toEqual([]);
    expect(sink.rows.length).toBe(nfdumpRecords(SAMPLE));
    expect(sink.rows.length).toBe(3018);
    expect(countBy(sink.rows, 'proto')).toEqual({ TCP: 1264, UDP: 1650, ICMP6: 96, ICMP: 8 });
    // Its last seen is before its first seen: 1.7.1 prints the duration 18446744073709540.000, which is ignored.
    expect(rowAt(sink, 2)).toEqual({
      treceived: utc(2023, 1, 25, 18, 36, 0, 39000),
      sip: '52.5.7.161',
      dip: '170.80.156.33',
      sport: 443,
      dport: 57358,
      proto: 'TCP',
      flag: '...AP...',
      fwd: 0,
      stos: 0,
      ipkt: 9,
      ibyt: 930,
      opkt: 0,
      obyt: 0,
      input: 9,
      output: 10,
      sas: 0,
      das: 0,
      dtos: 0,
      dir: 0,
      rip: '170.80.156.33',
      tstart: utc(2023, 1, 25, 18, 35, 43),
      tend: utc(2023, 1, 25, 18, 35, 33),
      ...NO_SOURCE_COLUMNS,
    } satisfies FlowRow);
    // 2023-01-25 18:35:46,2023-01-25 18:35:46,0.000,fe80::de2c:6eff:fe14:d434,fe80::4c2:5538:1345:d05f,0,0,ICMP6,…,1,64,…,2023-01-25 18:36:02.542
    expect(rowAt(sink, 46)).toMatchObject({
      sip: 'fe80::de2c:6eff:fe14:d434',
      dip: 'fe80::4c2:5538:1345:d05f',
      proto: 'ICMP6',
      flag: '........',
      ipkt: 1,
      ibyt: 64,
      tstart: utc(2023, 1, 25, 18, 35, 46),
      treceived: utc(2023, 1, 25, 18, 36, 2, 542000),
    });
  });

  it.skipIf(skip(SAMPLE))('reads local times in the configured zone', async () => {
    const inUtc = await decodeFile(nfdumpCsvDecoder, nfdumpCsv(SAMPLE));
    const prague = nfdumpCsv(SAMPLE, 'Europe/Prague');
    expect(readFileSync(prague, 'utf8').split('\n')[1]!.slice(0, 19)).toBe('2023-01-25 19:35:43');
    const asPrague = await decodeFile(nfdumpCsvDecoder, prague, { decoders: { nfdumpCsv: { timeZone: 'Europe/Prague' } } });
    expect(asPrague.rows).toEqual(inUtc.rows);
    const misread = await decodeFile(nfdumpCsvDecoder, prague);
    expect(misread.rows[0]!.tstart - inUtc.rows[0]!.tstart).toBe(3600 * 1_000_000);
  });

  it.skipIf(skip(SLIPS))('decodes test1-malicious.nfdump, whose records have no receive time', async () => {
    const sink = await decodeFile(nfdumpCsvDecoder, nfdumpCsv(SLIPS));
    expect(sink.rejects).toEqual([]);
    expect(sink.rows.length).toBe(nfdumpRecords(SLIPS));
    expect(sink.rows.length).toBe(4593);
    // 2018-01-12 15:37:30,2018-01-12 15:37:30,0.000,147.32.80.119,147.32.82.62,52324,902,TCP,......S.,…,147.32.82.62,0/58,1,1970-01-01 00:00:00.000
    expect(rowAt(sink, 2)).toEqual({
      treceived: utc(2018, 1, 12, 15, 37, 30),
      sip: '147.32.80.119',
      dip: '147.32.82.62',
      sport: 52324,
      dport: 902,
      proto: 'TCP',
      flag: '......S.',
      fwd: 0,
      stos: 0,
      ipkt: 1,
      ibyt: 60,
      opkt: 0,
      obyt: 0,
      input: 0,
      output: 0,
      sas: 2852,
      das: 2852,
      dtos: 0,
      dir: 0,
      rip: '147.32.82.62',
      tstart: utc(2018, 1, 12, 15, 37, 30),
      tend: utc(2018, 1, 12, 15, 37, 30),
      ...NO_SOURCE_COLUMNS,
    } satisfies FlowRow);
    expect(countBy(sink.rows, 'flag')).toMatchObject({ '......S.': 2305, '...A.R..': 2264 });
  });

  it.skipIf(skip(LARGE))('keeps ICMP type and code in the destination port', async () => {
    const sink = await decodeFile(nfdumpCsvDecoder, nfdumpCsv(LARGE));
    expect(sink.rejects).toEqual([]);
    expect(sink.rows.length).toBe(100000);
    // 2019-08-12 18:50:48,…,13.234.221.174,154.94.242.1,0,2048,ICMP,........,0,32,3000,252000,…,506,619,16509,396076,14,24,…
    expect(rowAt(sink, 85)).toMatchObject({ sip: '13.234.221.174', dip: '154.94.242.1', proto: 'ICMP', sport: 0, dport: 2048, stos: 32, ipkt: 3000, ibyt: 252000, input: 506, output: 619, sas: 16509, das: 396076 });
  });
});

function writeCsv(content: string | Buffer): string {
  const path = join(tempDir(), 'flows.csv');
  writeFileSync(path, content);
  return path;
}

describe('nfdump-csv on the layouts of nfdump 1.7.5 and later', () => {
  it('reads the default CSV: numeric protocols, dotted ICMP ports, durations, no out counters', async () => {
    const path = writeCsv(
      [
        'firstSeen,duration,proto,srcAddr,srcPort,dstAddr,dstPort,packets,bytes,flows',
        '2023-01-25 18:35:43.123,1.500,6,52.5.7.161,443,170.80.156.33,57358,9,930,1',
        '2023-01-25 18:35:44.000,0.000,1,192.168.0.19,0,192.168.0.1,3.1,2,168,1',
        '2023-01-25 18:35:45.000,0.000,58,fe80::1,0,ff02::2,133.0,1,56,1',
        '2023-01-25 18:35:46.000,18446744073709540.000,17,10.0.0.1,53,10.0.0.2,53,1,80,1',
        '2023-01-25 18:35:47.000,5000000000.000,17,10.0.0.1,53,10.0.0.2,53,1,80,1',
      ].join('\n'),
    );
    expect(await accepts(nfdumpCsvDecoder, path)).toBe(true);
    const sink = await decodeFile(nfdumpCsvDecoder, path);
    expect(sink.rejects).toEqual([]);
    expect(sink.rows[0]).toEqual({
      treceived: utc(2023, 1, 25, 18, 35, 44, 623000),
      sip: '52.5.7.161',
      dip: '170.80.156.33',
      sport: 443,
      dport: 57358,
      proto: 'TCP',
      flag: null,
      fwd: null,
      stos: null,
      ipkt: 9,
      ibyt: 930,
      opkt: null,
      obyt: null,
      input: null,
      output: null,
      sas: null,
      das: null,
      dtos: null,
      dir: null,
      rip: null,
      tstart: utc(2023, 1, 25, 18, 35, 43, 123000),
      tend: utc(2023, 1, 25, 18, 35, 44, 623000),
      ...NO_SOURCE_COLUMNS,
    } satisfies FlowRow);
    expect(sink.rows.slice(1).map((r) => [r.proto, r.dport, r.tend - r.tstart])).toEqual([
      ['ICMP', 3 * 256 + 1, 0],
      ['ICMP6', 133 * 256, 0],
      // A wrapped-around duration says nothing: the flow ends where it starts.
      ['UDP', 53, 0],
      ['UDP', 53, 0],
    ]);
  });

  it('reads csv-fast, whose times are epoch milliseconds', async () => {
    const path = writeCsv(
      [
        'cnt,af,firstSeen,lastSeen,proto,srcAddr,srcPort,dstAddr,dstPort,srcAS,dstAS,input,output,flags,srcTos,packets,bytes',
        '1,2,1674671743123,1674671744623,6,52.5.7.161,443,170.80.156.33,57358,16509,0,9,10,...AP...,0,9,930',
      ].join('\n'),
    );
    const sink = await decodeFile(nfdumpCsvDecoder, path);
    expect(sink.rows.map((r) => [r.tstart, r.tend, r.treceived, r.sas, r.das, r.input, r.output, r.flag, r.stos, r.ipkt, r.ibyt])).toEqual([
      [1674671743123000, 1674671744623000, 1674671744623000, 16509, 0, 9, 10, '...AP...', 0, 9, 930],
    ]);
  });

  it('reads custom csv:%… output with epoch seconds, direction letters and the router address', async () => {
    const path = writeCsv(
      [
        'firstSeen,lastSeen,received,proto,srcAddr,srcPort,dstAddr,dstPort,flags,inPackets,inBytes,outPackets,outBytes,direction,routerIP',
        '1674671743.123,1674671744.623,1674671760.039,17,192.168.0.200,37186,239.255.255.250,1900,........,4,800,0,0,E,170.80.156.33',
        '1674671743.123,1674671744.623,0000-00-00 00:00:00.000,17,192.168.0.200,37186,239.255.255.250,1900,........,4,800,0,0,I,2001:db8::1',
      ].join('\n'),
    );
    const sink = await decodeFile(nfdumpCsvDecoder, path);
    expect(sink.rejects).toEqual([]);
    expect(sink.rows.map((r) => [r.tstart, r.tend, r.treceived, r.proto, r.dir, r.rip, r.opkt])).toEqual([
      [1674671743123000, 1674671744623000, 1674671760039000, 'UDP', 1, '170.80.156.33', 0],
      [1674671743123000, 1674671744623000, 1674671744623000, 'UDP', 0, '2001:db8::1', 0],
    ]);
  });
});

const HEADER =
  'ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,sas,das,smk,dmk,dtos,dir,nh,nhb,svln,dvln,ismc,odmc,idmc,osmc,mpls1,mpls2,mpls3,mpls4,mpls5,mpls6,mpls7,mpls8,mpls9,mpls10,cl,sl,al,ra,eng,exid,tr';
const GOOD =
  '2018-01-12 15:37:30,2018-01-12 15:37:30,0.000,147.32.80.119,147.32.82.62,52324,902,TCP,......S.,0,0,1,60,0,0,0,0,2852,2852,0,0,0,0,0.0.0.0,0.0.0.0,0,0,00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,    0.000,    0.000,    0.000,147.32.82.62,0/58,1,1970-01-01 00:00:00.000';
const SUMMARY = ['', 'Summary', 'flows,bytes,packets,avg_bps,avg_pps,avg_bpp', '4593,374280,6263,90735,189,59'];

async function outcome(path: string, ingest: Record<string, unknown> = {}) {
  const sink = await decodeFile(nfdumpCsvDecoder, path, ingest);
  return { rejects: sink.rejects.map((r) => [r.line, r.reason, r.detail]), rows: sink.lines };
}

describe('nfdump-csv on bad input', () => {
  it('quarantines garbage and bad records with line and reason, keeps the next good line and skips the summary', async () => {
    const path = writeCsv(
      [
        GOOD,
        HEADER,
        GOOD,
        'this is not a flow',
        GOOD.replace('147.32.80.119', '147.32.80.1190'),
        GOOD.replace('2018-01-12 15:37:30,', '2018-01-12 25:37:30,'),
        GOOD.replace(',52324,', ',65536,'),
        GOOD.replace(',0.000,147', ',0.000,,147'),
        GOOD.replace('......S.', 'SYN'),
        GOOD.replace(',0,0,1,60,', ',0,0,-1,60,'),
        GOOD,
        ...SUMMARY,
        GOOD,
      ].join('\n'),
    );
    expect(await outcome(path)).toEqual({
      rejects: [
        [1, 'no-header', 'record before the CSV header line (ts,te,td,sa,da,… or firstSeen,…,srcAddr,…)'],
        [4, 'wrong-field-count', '1 fields, the header names 48'],
        [5, 'bad-field', 'sa "147.32.80.1190" is not an IP address'],
        [6, 'bad-timestamp', 'ts "2018-01-12 25:37:30" is not a time (YYYY-MM-DD HH:MM:SS[.mmm] or epoch)'],
        [7, 'out-of-range', 'sp "65536" is outside 0-65535'],
        [8, 'wrong-field-count', '49 fields, the header names 48'],
        [9, 'bad-field', 'flg "SYN" is not a set of TCP flags'],
        [10, 'out-of-range', 'ipkt "-1" is outside 0-9007199254740991'],
      ],
      rows: [3, 11, 16],
    });
  });

  it('quarantines bytes that are not UTF-8, an absurdly long line and a cut-off last line', async () => {
    const path = writeCsv(
      Buffer.concat([
        Buffer.from(`${HEADER}\n${GOOD.replace('147.32.82.62,0/58', '147.32.82.62,0/5')}`),
        Buffer.of(0xe2, 0x82),
        Buffer.from(`\n${GOOD}${' '.repeat(5000)}\n${GOOD}\n${GOOD.slice(0, 59)}`),
      ]),
    );
    expect(await outcome(path, { maxLineBytes: 4096 })).toEqual({
      rejects: [
        [2, 'bad-record', 'the line holds bytes that are not UTF-8 text'],
        [3, 'line-too-long', 'line longer than 4096 bytes (ingest.maxLineBytes)'],
        [5, 'truncated', 'the file ends in the middle of a record: 4 fields, the header names 48'],
      ],
      rows: [4],
    });
  });

  it('reads an empty file, or nothing but the header and summary, as no rows and no error', async () => {
    expect(await outcome(writeCsv(''))).toEqual({ rejects: [], rows: [] });
    expect(await outcome(writeCsv([HEADER, 'No matching flows', ...SUMMARY].join('\n')))).toEqual({ rejects: [], rows: [] });
  });

  it('takes no header of another format for its own', async () => {
    for (const head of ['StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport', '#fields\tts\tuid', 'ts,sa,da', 'a,b,c\n1,2,3']) {
      expect([head, await accepts(nfdumpCsvDecoder, writeCsv(`${head}\n`))]).toEqual([head, false]);
    }
  });
});
