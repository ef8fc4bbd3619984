import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/tmp.js';
import { splitIntoChunks, type StagedChunk } from './tool-output.js';

describe('splitIntoChunks', () => {
  it('cuts at line ends whatever the read boundaries', async () => {
    const dir = tempDir();
    const text = Array.from({ length: 10 }, (_, i) => `line${i}`).join('\n') + '\n';
    // Odd-sized pieces so that lines straddle chunks of the stream.
    const pieces = text.match(/[\s\S]{1,7}/g)!.map((s) => Buffer.from(s));
    const chunks: StagedChunk[] = [];
    let counted = 0;
    const total = await splitIntoChunks(Readable.from(pieces), dir, 4, (c) => chunks.push(c), (n) => (counted += n));
    expect(total).toBe(10);
    expect(counted).toBe(10);
    expect(chunks.map((c) => [c.rows, c.firstLine])).toEqual([
      [4, 1],
      [4, 5],
      [2, 9],
    ]);
    expect(chunks.map((c) => readFileSync(c.path, 'utf8')).join('')).toBe(text);
    expect(readFileSync(chunks[1]!.path, 'utf8')).toBe('line4\nline5\nline6\nline7\n');
  });

  it('makes no chunk for empty output', async () => {
    const chunks: StagedChunk[] = [];
    expect(await splitIntoChunks(Readable.from([]), tempDir(), 4, (c) => chunks.push(c), () => {})).toBe(0);
    expect(chunks).toEqual([]);
  });
});
