import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { missingShared, sharedFile } from '../../../test/helpers/shared-data.js';
import { tempDir } from '../../../test/helpers/tmp.js';
import type { FlowRow } from '../../schema/index.js';
import { argusBinetflowDecoder, argusIcmpPort, argusStateFlags } from './argus-binetflow.js';
import { nfdumpCsvDecoder } from './nfdump-csv.js';
import { accepts, countBy, decodeFile, type CollectingSink } from './testing.js';
import { zeekConnDecoder } from './zeek-conn.js';

const DIR = 'flows/argus-binetflow';

/** Every Argus file of the shared data with its records (SOURCES.md). */
const ARGUS_FILES: Readonly<Record<string, number>> = {
  'netflowlabeler/test.binetflow': 99,
  'stratosphere-slips/test11-portscan.binetflow': 66,
  'stratosphere-slips/test2-malicious.binetflow': 6751,
  'stratosphere-slips/test3-mixed.binetflow': 89,
  'stratosphere-slips/test4-malicious.binetflow': 394,
};

const NULL_COLUMNS = { fwd: null, input: null, output: null, sas: null, das: null, dir: null, rip: null, uid: null } as const;

function rowAt(sink: CollectingSink, line: number): FlowRow {
  const i = sink.lines.indexOf(line);
  if (i < 0) throw new Error(`no row from line ${line}`);
  return sink.rows[i]!;
}

const utc = (y: number, mo: number, d: number, h: number, mi: number, s: number, micros: number) => Date.UTC(y, mo - 1, d, h, mi, s) * 1000 + micros;

describe('argus-binetflow on the shared Argus files', () => {
  it.skipIf(missingShared(DIR))('knows every Argus file there is', () => {
    const dir = sharedFile(DIR)!;
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.binetflow'));
    expect(files.map((f) => f.split('\\').join('/')).sort()).toEqual(Object.keys(ARGUS_FILES).sort());
  });

  for (const [file, records] of Object.entries(ARGUS_FILES)) {
    const rel = `${DIR}/${file}`;
    it.skipIf(missingShared(rel))(`decodes every record of ${file}`, async () => {
      const path = sharedFile(rel)!;
      expect(await accepts(argusBinetflowDecoder, path)).toBe(true);
      expect(await accepts(zeekConnDecoder, path)).toBe(false);
      expect(await accepts(nfdumpCsvDecoder, path)).toBe(false);
      const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
      expect(lines.length - 1).toBe(records);
      const sink = await decodeFile(argusBinetflowDecoder, path);
      expect(sink.rejects).toEqual([]);
      expect(sink.rows.length).toBe(records);
    });
  }

  const test2 = `${DIR}/stratosphere-slips/test2-malicious.binetflow`;
  it.skipIf(missingShared(test2))('maps a record column by column, in UTC unless told the zone of ra', async () => {
    // 2019/04/04 16:23:00.325010,0.027947,udp,10.8.0.69,48427,  <->,8.8.8.8,53,CON,0,0,2,142,63,1,
    const expected: FlowRow = {
      treceived: utc(2019, 4, 4, 16, 23, 0, 352957),
      sip: '10.8.0.69',
      dip: '8.8.8.8',
      sport: 48427,
      dport: 53,
      proto: 'UDP',
      flag: '........',
      ...NULL_COLUMNS,
      stos: 0,
      dtos: 0,
      ipkt: 1,
      ibyt: 63,
      opkt: 1,
      obyt: 79,
      tstart: utc(2019, 4, 4, 16, 23, 0, 325010),
      tend: utc(2019, 4, 4, 16, 23, 0, 352957),
      sensor: 'test',
      state: 'CON',
      label: null,
    };
    const sink = await decodeFile(argusBinetflowDecoder, sharedFile(test2)!);
    expect(rowAt(sink, 2)).toEqual(expected);
    // The capture was made in Prague: summer time, two hours ahead of UTC.
    const prague = await decodeFile(argusBinetflowDecoder, sharedFile(test2)!, { decoders: { argus: { timeZone: 'Europe/Prague' } } });
    const twoHours = 2 * 3600 * 1_000_000;
    expect(rowAt(prague, 2)).toEqual({ ...expected, tstart: expected.tstart - twoHours, tend: expected.tend - twoHours, treceived: expected.treceived - twoHours });
  });

  it.skipIf(missingShared(test2))('reads the ICMP type and code of Argus 3.0.8 from its hex Sport', async () => {
    const sink = await decodeFile(argusBinetflowDecoder, sharedFile(test2)!);
    // 2019/04/04 16:25:29.214219,3469.472168,icmp,10.8.0.1,0x0403,   ->,10.8.0.69,0x0000,URF,192,,96,55296,55296,96,
    expect(rowAt(sink, 32)).toMatchObject({ proto: 'ICMP', sport: 0, dport: 3 * 256 + 4, stos: 192, dtos: null, ipkt: 96, opkt: 0, ibyt: 55296, obyt: 0, state: 'URF' });
    // …,icmp,10.8.0.69,0x0008,   ->,192.168.170.1,0x7208,ECO,… (Dport is the echo id)
    expect(rowAt(sink, 13)).toMatchObject({ proto: 'ICMP', sport: 0, dport: 8 * 256, state: 'ECO' });
    // …,icmp,10.8.0.69,0x0303,   ->,211.233.40.78,0x97af,URP,…
    expect(rowAt(sink, 652)).toMatchObject({ proto: 'ICMP', sport: 0, dport: 3 * 256 + 3, state: 'URP' });
    expect(countBy(sink.rows, 'proto')).toEqual({ UDP: 2754, TCP: 3925, ICMP: 65, IGMP: 7 });
  });

  const test4 = `${DIR}/stratosphere-slips/test4-malicious.binetflow`;
  it.skipIf(missingShared(test4))('reads files without SrcPkts, ARP flows, and ICMP as later clients print it', async () => {
    const sink = await decodeFile(argusBinetflowDecoder, sharedFile(test4)!);
    // 2018/09/27 22:40:52.362768,193.831726,tcp,192.168.2.1,52893,  <?>,192.168.2.12,22,CON,16,16,35,3766,1224,
    expect(rowAt(sink, 2)).toMatchObject({ proto: 'TCP', flag: null, stos: 16, dtos: 16, ipkt: 35, opkt: null, ibyt: 1224, obyt: 2542, tend: utc(2018, 9, 27, 22, 44, 6, 194494) });
    // 2018/09/27 22:41:57.854743,127.995537,arp,192.168.2.12,,  who,192.168.2.1,,CON,,,10,510,300,
    expect(rowAt(sink, 29)).toMatchObject({ proto: 'ARP', sip: '192.168.2.12', dip: '192.168.2.1', sport: 0, dport: 0, flag: '........', stos: null, dtos: null, ipkt: 10, ibyt: 300, obyt: 210 });
    // …,icmp,5.202.176.1,0x03,   ->,192.168.2.12,0x03,URP,0,,2,200,200,
    expect(rowAt(sink, 59)).toMatchObject({ proto: 'ICMP', sport: 0, dport: 3 * 256 + 3 });
  });

  const test3 = `${DIR}/stratosphere-slips/test3-mixed.binetflow`;
  it.skipIf(missingShared(test3))('reads IPv6 flows and TCP flags from a -Z b State', async () => {
    const sink = await decodeFile(argusBinetflowDecoder, sharedFile(test3)!);
    // 2018/12/18 14:00:00.595719,0.000181,tcp,2001:718:2:1634:96de:80ff:fe7a:bdf0,47428,   ->,2a00:1450:400c:c00::bd,443,SPA_SPA,114,63,2,376,135,1,
    expect(rowAt(sink, 4)).toEqual({
      treceived: utc(2018, 12, 18, 14, 0, 0, 595900),
      sip: '2001:718:2:1634:96de:80ff:fe7a:bdf0',
      dip: '2a00:1450:400c:c00::bd',
      sport: 47428,
      dport: 443,
      proto: 'TCP',
      flag: '...AP.S.',
      ...NULL_COLUMNS,
      stos: 114,
      dtos: 63,
      ipkt: 1,
      ibyt: 135,
      opkt: 1,
      obyt: 241,
      tstart: utc(2018, 12, 18, 14, 0, 0, 595719),
      tend: utc(2018, 12, 18, 14, 0, 0, 595900),
      sensor: 'test',
      state: 'SPA_SPA',
      label: null,
    } satisfies FlowRow);
    // …,ipv6-icmp,6432:303a:bcc5:6cbe:dff6:baf7:289a:bcca,97,   ->,d61:e5ac:17fe:250a:393a:696e:666f:5f68,115,UNK,166,,1,143,143,1,
    expect(rowAt(sink, 15)).toMatchObject({ proto: 'ICMP6', sip: '6432:303a:bcc5:6cbe:dff6:baf7:289a:bcca', sport: 0, dport: 97 * 256 + 115 });
  });

  const labeler = `${DIR}/netflowlabeler/test.binetflow`;
  it.skipIf(missingShared(labeler))('keeps the MAC addresses of LLC flows and skips payload columns', async () => {
    const sink = await decodeFile(argusBinetflowDecoder, sharedFile(labeler)!);
    // 1970/01/01 01:18:32.145331,2776.866455,llc,10:3b:59:e0:f7:7a,1,   ->,ff:ff:ff:ff:ff:ff,0,INT,,,2,120,120,s[108]=AAAA…,,
    expect(rowAt(sink, 36)).toEqual({
      treceived: 7489011786,
      sip: '10:3b:59:e0:f7:7a',
      dip: 'ff:ff:ff:ff:ff:ff',
      sport: 1,
      dport: 0,
      proto: 'LLC',
      flag: '........',
      ...NULL_COLUMNS,
      stos: null,
      dtos: null,
      ipkt: 2,
      ibyt: 120,
      opkt: null,
      obyt: 0,
      tstart: 4712145331,
      tend: 7489011786,
      sensor: 'test',
      state: 'INT',
      label: null,
    } satisfies FlowRow);
    expect(countBy(sink.rows, 'proto')).toEqual({ LLC: 2, ARP: 6, UDP: 10, TCP: 81 });
  });

  it.skipIf(missingShared(test2))('reads the gzip of a file as the file itself', async () => {
    const path = join(tempDir(), 'test2.binetflow.gz');
    writeFileSync(path, gzipSync(readFileSync(sharedFile(test2)!)));
    expect(await accepts(argusBinetflowDecoder, path)).toBe(true);
    const plain = await decodeFile(argusBinetflowDecoder, sharedFile(test2)!);
    const gzipped = await decodeFile(argusBinetflowDecoder, path);
    expect(gzipped.rows.length).toBe(6751);
    expect(gzipped.rows).toEqual(plain.rows);
  });
});

const HEADER = 'StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,State,sTos,dTos,TotPkts,TotBytes,SrcBytes,SrcPkts,Label';
const GOOD = '2019/04/04 16:23:00.325010,0.027947,udp,10.8.0.69,48427,  <->,8.8.8.8,53,CON,0,0,2,142,63,1,';

function writeFlows(content: string | Buffer): string {
  const path = join(tempDir(), 'flows.binetflow');
  writeFileSync(path, content);
  return path;
}

async function outcome(path: string, ingest: Record<string, unknown> = {}) {
  const sink = await decodeFile(argusBinetflowDecoder, path, ingest);
  return { rejects: sink.rejects.map((r) => [r.line, r.reason, r.detail]), rows: sink.lines };
}

describe('argus-binetflow on bad input', () => {
  it('quarantines each bad record with its line and reason, and keeps the next good one', async () => {
    const path = writeFlows(
      [
        GOOD,
        HEADER,
        GOOD,
        GOOD.replace('10.8.0.69', '10.8.0.269'),
        GOOD.replace('2019/04/04', '2019/04/31'),
        GOOD.replace(',48427,', ',70000,'),
        GOOD.replace(',63,1,', ',63,'),
        GOOD.replace(',142,63,', ',42,63,'),
        GOOD.replace(',2,142,', ',two,142,'),
        GOOD.replace(',udp,', ',,'),
        GOOD,
        HEADER,
        `${GOOD.slice(0, 40)}`,
      ].join('\n'),
    );
    expect(await outcome(path)).toEqual({
      rejects: [
        [1, 'no-header', 'record before the header line (StartTime,Dur,Proto,SrcAddr,…)'],
        [4, 'bad-field', 'SrcAddr "10.8.0.269" is neither an IP nor a MAC address'],
        [5, 'bad-timestamp', 'StartTime "2019/04/31 16:23:00.325010" is not a date and time (YYYY/MM/DD HH:MM:SS.ffffff)'],
        [6, 'out-of-range', 'Sport "70000" is outside 0-65535'],
        [7, 'wrong-field-count', '15 fields, the header names 16'],
        [8, 'out-of-range', 'TotBytes: total 42 is less than the source\'s 63'],
        [9, 'bad-field', 'TotPkts "two" is not a whole number'],
        [10, 'missing-field', 'Proto is empty'],
        [13, 'truncated', 'the file ends in the middle of a record: 4 fields, the header names 16'],
      ],
      rows: [3, 11],
    });
  });

  it('quarantines a line with bytes that are not UTF-8 and an absurdly long line', async () => {
    const path = writeFlows(Buffer.concat([Buffer.from(`${HEADER}\n`), Buffer.from(GOOD.replace('CON', 'C\uFFFDN').replace('\uFFFD', '')), Buffer.of(0x80), Buffer.from(`\n${GOOD}${'x'.repeat(3000)}\n${GOOD}\n`)]));
    expect(await outcome(path, { maxLineBytes: 2048 })).toEqual({
      rejects: [
        [2, 'bad-record', 'the line holds bytes that are not UTF-8 text'],
        [3, 'line-too-long', 'line longer than 2048 bytes (ingest.maxLineBytes)'],
      ],
      rows: [4],
    });
  });

  it('reads tab-separated output and a file with nothing but the header', async () => {
    const tsv = writeFlows(`${HEADER.replaceAll(',', '\t')}\n${GOOD.replaceAll(',', '\t')}\n`);
    expect(await accepts(argusBinetflowDecoder, tsv)).toBe(true);
    const sink = await decodeFile(argusBinetflowDecoder, tsv);
    expect(sink.rows.map((r) => [r.sip, r.dip, r.sport, r.ipkt, r.obyt])).toEqual([['10.8.0.69', '8.8.8.8', 48427, 1, 79]]);
    expect(await outcome(writeFlows(`${HEADER}\n`))).toEqual({ rejects: [], rows: [] });
    expect(await outcome(writeFlows(''))).toEqual({ rejects: [], rows: [] });
  });

  it('refuses a header without packet or byte counts as unreadable', async () => {
    const path = writeFlows('StartTime,Proto,SrcAddr,DstAddr\n2019/04/04 16:23:00,udp,10.0.0.1,10.0.0.2\n');
    await expect(decodeFile(argusBinetflowDecoder, path)).rejects.toThrow('the header names no packet or byte counts');
  });
});

describe('Argus fields', () => {
  it('packs ICMP type and code from both Sport layouts', () => {
    expect(argusIcmpPort(0x0403, 0)).toBe(772);
    expect(argusIcmpPort(0x0008, 0x7208)).toBe(2048);
    expect(argusIcmpPort(8, 5)).toBe(2048);
    expect(argusIcmpPort(3, 1)).toBe(769);
    expect(argusIcmpPort(11, 0x1234)).toBe(2816);
  });

  it('reads TCP flags from -Z b states only', () => {
    expect(argusStateFlags('S_RA')).toBe('...A.RS.');
    expect(argusStateFlags('FSRPAEC_FSPA')).toBe('CE.APRSF');
    expect(argusStateFlags('CON')).toBeNull();
    expect(argusStateFlags('RST')).toBeNull();
  });
});
