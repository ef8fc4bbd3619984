import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/tmp.js';
import { flow, type FlowRow } from '../schema/index.js';
import { csvField, StageWriter, type StagedChunk } from './stage-writer.js';

const row = (i: number): FlowRow => ({
  treceived: 1_700_000_000_000_000 + i,
  sip: '10.0.0.1',
  dip: '2001:db8::1',
  sport: 1234,
  dport: 443,
  proto: 'TCP',
  flag: '...AP.S.',
  fwd: null,
  stos: null,
  ipkt: 3,
  ibyt: 180,
  opkt: null,
  obyt: null,
  input: null,
  output: null,
  sas: null,
  das: null,
  dtos: null,
  dir: null,
  rip: null,
  tstart: 1_700_000_000_000_000,
  tend: 1_700_000_000_500_000.25,
  sensor: 'zeek "a", b',
  state: '',
  uid: null,
  label: null,
});

describe('StageWriter', () => {
  it('quotes only what needs quoting and keeps empty strings apart from nulls', () => {
    expect(csvField(null)).toBe('');
    expect(csvField('')).toBe('""');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(12.5)).toBe('12.5');
    expect(csvField(Number.NaN)).toBe('');
  });

  it('writes canonical rows in chunks and rejects beside them', () => {
    const dir = tempDir();
    const chunks: StagedChunk[] = [];
    const w = new StageWriter(flow, dir, 2, (c) => chunks.push(c));
    for (let i = 0; i < 5; i++) w.append(row(i), { line: 10 + i });
    w.reject('bad-field', { line: 99 }, 'sport: "x"', 'raw,line');
    const closed = w.close();
    expect(closed).toEqual({ rows: 5, rejected: 1, rejectsPath: w.rejectsPath });
    expect(chunks.map((c) => [c.rows, c.firstLine])).toEqual([
      [2, 10],
      [2, 12],
      [1, 14],
    ]);
    const first = readFileSync(chunks[0]!.path, 'utf8').split('\n')[0];
    expect(first).toBe('10,1700000000000000,10.0.0.1,2001:db8::1,1234,443,TCP,...AP.S.,,,3,180,,,,,,,,,,1700000000000000,1700000000500000,"zeek ""a"", b","",,');
    expect(readFileSync(closed.rejectsPath!, 'utf8')).toBe('line,offset,reason,detail,excerpt\n99,,bad-field,"sport: ""x""","raw,line"\n');
  });
});
