import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasTool, missingShared, sharedFile } from '../../../test/helpers/shared-data.js';
import { tempDir } from '../../../test/helpers/tmp.js';
import type { Config } from '../../config/index.js';
import { openEngine } from '../../engine/index.js';
import { Ingestor, type FileOutcome } from '../run.js';
import { lakeQuery, nfdumpCount, testConfig } from '../testing.js';

const SAMPLE = 'flows/nfcapd/chrispassas-nfdump/nfcapd.sample';
const nfdump = hasTool('nfdump');

/** An nfdump 1.7 file of three data blocks: nfdump writes six copies of the sample's flows into one file. */
function multiBlockFile(dir: string, compress: '' | '-z' | '-j' | '-y' = ''): string {
  const input = join(dir, `in${compress}`);
  mkdirSync(input);
  for (let i = 0; i < 6; i++) copyFileSync(sharedFile(SAMPLE)!, join(input, `nfcapd.20230125183${i}`));
  const out = join(dir, `nfcapd.multi${compress}`);
  expect(spawnSync('nfdump', ['-R', input, ...(compress ? [compress] : []), '-w', out]).status).toBe(0);
  return out;
}

/** The data blocks of an nfdump 1.7 file, as its file header (NumBlocks at 36) and block headers (size at 4) give them. */
function blocksOf(path: string): { start: number; end: number }[] {
  const bytes = readFileSync(path);
  const blocks: { start: number; end: number }[] = [];
  for (let i = 0, start = 40; i < bytes.readUInt32LE(36); i++) {
    const end = start + 12 + bytes.readUInt32LE(start + 4);
    blocks.push({ start, end });
    start = end;
  }
  return blocks;
}

function cutCopy(path: string, bytes: number, name: string): string {
  const out = join(path, '..', name);
  writeFileSync(out, readFileSync(path).subarray(0, bytes));
  return out;
}

/** What nfdump itself reads from the first k blocks: a copy of them whose header counts k blocks and no appendix. */
function flowsOfFirstBlocks(path: string, k: number): number {
  const copy = cutCopy(path, blocksOf(path)[k - 1]!.end, `first-${k}-blocks`);
  const bytes = readFileSync(copy);
  bytes.writeUInt16LE(0, 18);
  bytes.writeBigInt64LE(0n, 24);
  bytes.writeUInt32LE(k, 36);
  writeFileSync(copy, bytes);
  return nfdumpCount(copy);
}

/** Bytes and packets summed over the first n flows nfdump prints for a file, in file order. */
function firstFlowsTotals(path: string, n: number): { n: number; ibyt: number; ipkt: number } {
  const lines = spawnSync('nfdump', ['-q', '-N', '-r', path, '-o', 'fmt:%ibyt,%ipkt'], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout.trim().split('\n');
  const first = lines.slice(0, n).map((l) => l.split(',').map((f) => Number(f.trim())));
  return { n: first.length, ibyt: first.reduce((s, f) => s + f[0]!, 0), ipkt: first.reduce((s, f) => s + f[1]!, 0) };
}

/** Ingest each file on its own, with the file's name as the sensor of rows whose file carries no ident. */
async function ingestEach(config: Config, files: Record<string, string>): Promise<Record<string, FileOutcome>> {
  const ingestor = await Ingestor.open(config);
  const outcomes: Record<string, FileOutcome> = {};
  try {
    for (const [name, path] of Object.entries(files)) {
      const [outcome] = (await ingestor.ingest({ type: 'flow', paths: [path], sensor: name })).files;
      outcomes[name] = outcome!;
    }
  } finally {
    await ingestor.close();
  }
  return outcomes;
}

async function lakeTotals(config: Config): Promise<Record<string, { n: number; ibyt: number; ipkt: number }>> {
  const rows = await lakeQuery<{ sensor: string; n: number; ibyt: number; ipkt: number }>(
    config,
    (v) => `SELECT sensor, count(*)::INTEGER AS n, sum(ibyt)::DOUBLE AS ibyt, sum(ipkt)::DOUBLE AS ipkt FROM ${v} GROUP BY sensor`,
  );
  return Object.fromEntries(rows.map(({ sensor, ...t }) => [sensor, t]));
}

async function quarantined(config: Config): Promise<{ source: string; reason: string; detail: string }[]> {
  const engine = await openEngine(config);
  try {
    return await engine.query(`SELECT source, reason, detail FROM ${await engine.quarantineView('flow')} ORDER BY source`);
  } finally {
    await engine.close();
  }
}

const stagedFiles = (config: Config) => {
  const staging = join(config.lake.path, '_staging');
  return existsSync(staging) ? readdirSync(staging, { recursive: true }) : [];
};

describe.skipIf(!nfdump || missingShared(SAMPLE))('nfcapd decoder on truncated nfdump 1.7 files', () => {
  it('keeps the flows of every whole block before the cut and quarantines the cut with its byte offsets', async () => {
    const dir = tempDir();
    const config = testConfig(dir);
    const full = multiBlockFile(dir);
    const blocks = blocksOf(full);
    expect(blocks.length).toBe(3);
    const [b1, b2, b3] = blocks as [{ start: number; end: number }, { start: number; end: number }, { start: number; end: number }];
    const size = readFileSync(full).length;
    const unclosed = cutCopy(full, b3.start + 1000, 'nfcapd.unclosed');
    const bytes = readFileSync(unclosed);
    bytes.fill(0, 18, 20).fill(0, 24, 32).fill(0, 36, 40); // as nfcapd leaves a file until it closes it
    writeFileSync(unclosed, bytes);
    const files = {
      intact: full,
      'in-file-header': cutCopy(full, 20, 'nfcapd.header'),
      'in-block-1': cutCopy(full, b1.start + 500, 'nfcapd.block1'),
      'in-block-2-header': cutCopy(full, b2.start + 5, 'nfcapd.block2-header'),
      'in-block-3': cutCopy(full, b3.start + 1000, 'nfcapd.block3'),
      'at-appendix': cutCopy(full, b3.end, 'nfcapd.appendix'),
      unclosed,
    };
    const outcomes = await ingestEach(config, files);
    const all = nfdumpCount(full);
    const two = flowsOfFirstBlocks(full, 2);
    const one = flowsOfFirstBlocks(full, 1);
    expect([one, two, all]).toEqual([6100, 12201, 18108]);
    const summary = Object.fromEntries(Object.entries(outcomes).map(([name, o]) => [name, [o.status, o.rows, o.quarantined, o.message]]));
    expect(summary).toEqual({
      intact: ['ingested', all, 0, undefined],
      'in-file-header': ['failed', 0, 1, 'truncated: file truncated at byte 20: it ends inside its 40-byte file header; no data block to read'],
      'in-block-1': ['failed', 0, 1, `truncated: file truncated at byte ${b1.start + 500}: it ends inside data block 1 of 3 (bytes 40 to ${b1.end}); no whole data block to read`],
      'in-block-2-header': [
        'partial',
        one,
        1,
        `truncated: file truncated at byte ${b2.start + 5}: it ends inside the header of data block 2 of 3, which starts at byte ${b2.start}; read the 1 whole block before byte ${b2.start}`,
      ],
      'in-block-3': ['partial', two, 1, `truncated: file truncated at byte ${b3.start + 1000}: it ends inside data block 3 of 3 (bytes ${b3.start} to ${b3.end}); read the 2 whole blocks before byte ${b3.start}`],
      'at-appendix': ['partial', all, 1, `truncated: file truncated at byte ${b3.end}: its 3 data blocks are whole, its appendix (ident, statistics) from byte ${b3.end} is missing; read all 3`],
      unclosed: [
        'partial',
        two,
        1,
        `truncated: file truncated at byte ${b3.start + 1000} and never closed by its writer (its header counts no data blocks): it ends inside data block 3 (bytes ${b3.start} to ${b3.end}); read the 2 whole blocks before byte ${b3.start}`,
      ],
    });
    expect(size).toBeGreaterThan(b3.end);

    // The rows that land are exactly the first flows nfdump prints for the intact file.
    expect(await lakeTotals(config)).toEqual({
      'RB-QG-MW-SOLUCOES': firstFlowsTotals(full, all),
      'in-block-2-header': firstFlowsTotals(full, one),
      'in-block-3': firstFlowsTotals(full, two),
      'at-appendix': firstFlowsTotals(full, all),
      unclosed: firstFlowsTotals(full, two),
    });
    const q = await quarantined(config);
    expect(q.map((r) => r.reason)).toEqual(Array(6).fill('truncated'));
    expect(q.find((r) => r.source === files['in-block-3'])?.detail).toBe(outcomes['in-block-3']!.message!.slice('truncated: '.length));
    // The repaired copies are gone.
    expect(stagedFiles(config)).toEqual([]);
  });

  it.each([
    ['LZO', '-z'],
    ['BZ2', '-j'],
    ['LZ4', '-y'],
  ] as const)('reads the whole blocks of a %s-compressed file cut inside a block', async (_name, flag) => {
    const dir = tempDir();
    const config = testConfig(dir);
    const full = multiBlockFile(dir, flag);
    const blocks = blocksOf(full);
    expect(blocks.length).toBe(3);
    const { start, end } = blocks[1]!;
    // Cut one byte short of the block's end: only the whole first block can be read.
    const cut = cutCopy(full, end - 1, 'nfcapd.cut');
    const { cut: outcome } = await ingestEach(config, { cut });
    const one = flowsOfFirstBlocks(full, 1);
    expect(one).toBe(6100);
    expect(outcome).toMatchObject({
      status: 'partial',
      rows: one,
      quarantined: 1,
      message: `truncated: file truncated at byte ${end - 1}: it ends inside data block 2 of 3 (bytes ${start} to ${end}); read the 1 whole block before byte ${start}`,
    });
    expect(await lakeTotals(config)).toEqual({ cut: firstFlowsTotals(full, one) });
  });
});
