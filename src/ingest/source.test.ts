import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/tmp.js';
import { readHead, readLines, type TextLine } from './source.js';

async function lines(path: string, max = 64): Promise<TextLine[]> {
  const out: TextLine[] = [];
  for await (const l of readLines(path, max)) out.push(l);
  return out;
}

describe('readLines', () => {
  it('numbers lines, strips CR, keeps a last line without newline, and gives byte offsets', async () => {
    const dir = tempDir();
    const p = join(dir, 'a.txt');
    writeFileSync(p, 'one\r\ntwo\n\nthree');
    expect(await lines(p)).toEqual([
      { text: 'one', line: 1, offset: 0, tooLong: false },
      { text: 'two', line: 2, offset: 5, tooLong: false },
      { text: '', line: 3, offset: 9, tooLong: false },
      { text: 'three', line: 4, offset: 10, tooLong: false },
    ]);
  });

  it('reads gzip transparently', async () => {
    const dir = tempDir();
    const p = join(dir, 'a.log.gz');
    writeFileSync(p, gzipSync(Buffer.from('#fields\tts\nx\ty\n')));
    expect((await lines(p)).map((l) => l.text)).toEqual(['#fields\tts', 'x\ty']);
    expect((await readHead(p)).toString()).toBe('#fields\tts\nx\ty\n');
  });

  it('reports an absurdly long line once and goes on with the next', async () => {
    const dir = tempDir();
    const p = join(dir, 'long.txt');
    writeFileSync(p, `ok\n${'x'.repeat(1000)}\nafter\n${'y'.repeat(70)}`);
    const got = await lines(p, 64);
    expect(got.map((l) => [l.line, l.tooLong, l.tooLong ? l.text.length : l.text])).toEqual([
      [1, false, 'ok'],
      [2, true, 512],
      [3, false, 'after'],
      [4, true, 70],
    ]);
  });

  it('survives long lines split across read chunks', async () => {
    const dir = tempDir();
    const p = join(dir, 'big.txt');
    const long = 'z'.repeat(3 << 20);
    writeFileSync(p, `a\n${long}\nb\n`);
    const got = await lines(p, 1 << 20);
    expect(got.map((l) => [l.line, l.tooLong])).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ]);
    expect(got[2]!.text).toBe('b');
  });

  it('turns bytes that are not UTF-8 into U+FFFD instead of failing', async () => {
    const dir = tempDir();
    const p = join(dir, 'latin1.txt');
    writeFileSync(p, Buffer.from([0x61, 0xe9, 0x62, 0x0a, 0x63]));
    expect((await lines(p)).map((l) => l.text)).toEqual(['a\ufffdb', 'c']);
  });
});
