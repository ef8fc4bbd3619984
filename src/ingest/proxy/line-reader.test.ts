import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/tmp.js';
import { forEachLine } from './line-reader.js';
import { writeLog } from './testing.js';

type Seen = [number, number, string, boolean] | ['too long', number, number, string];

async function lines(path: string, maxBytes: number): Promise<Seen[]> {
  const seen: Seen[] = [];
  await forEachLine(path, maxBytes, new AbortController().signal, {
    line: (text, line, offset, unterminated) => seen.push([line, offset, text, unterminated]),
    tooLong: (line, offset, excerpt) => seen.push(['too long', line, offset, excerpt.slice(0, 8)]),
  });
  return seen;
}

describe('forEachLine', () => {
  it('numbers lines with their byte offsets, strips CR and a BOM, marks an unterminated last line', async () => {
    const dir = tempDir();
    const content = Buffer.from('\uFEFFfirst\r\nsécond\n\nlast', 'utf8');
    const expected: Seen[] = [
      [1, 0, 'first', false],
      [2, 10, 'sécond', false],
      [3, 18, '', false],
      [4, 19, 'last', true],
    ];
    expect(await lines(writeLog(dir, 'a.log', content), 1024)).toEqual(expected);
    expect(await lines(writeLog(dir, 'a.log.gz', content), 1024)).toEqual(expected);
  });

  it('keeps bytes that are not UTF-8 percent-encoded', async () => {
    const dir = tempDir();
    const content = Buffer.concat([Buffer.from('GET /caf'), Buffer.of(0xe9), Buffer.from('?q=1\nnext é\n')]);
    expect(await lines(writeLog(dir, 'b.log', content), 1024)).toEqual([
      [1, 0, 'GET /caf%E9?q=1', false],
      [2, 14, 'next é', false],
    ]);
  });

  it('reports a line longer than the limit once and goes on with the next, also across chunks', async () => {
    const dir = tempDir();
    for (const size of [5000, 3 << 20]) {
      const content = `ok 1\n${'x'.repeat(size)}\nok 3\n`;
      expect(await lines(writeLog(dir, 'c.log', content), 4096)).toEqual([
        [1, 0, 'ok 1', false],
        ['too long', 2, 5, 'xxxxxxxx'],
        [3, 6 + size, 'ok 3', false],
      ]);
    }
    // An overlong last line without its newline.
    expect(await lines(writeLog(dir, 'd.log', `ok\n${'y'.repeat(3 << 20)}`), 4096)).toEqual([
      [1, 0, 'ok', false],
      ['too long', 2, 3, 'yyyyyyyy'],
    ]);
  });

  it('reads a line split across many chunks whole', async () => {
    const dir = tempDir();
    const long = 'z'.repeat(200_000);
    expect(await lines(writeLog(dir, 'e.log.gz', `${long}\nend\n`), 1 << 20)).toEqual([
      [1, 0, long, false],
      [2, 200_001, 'end', false],
    ]);
  });

  it('offers terminated lines as bytes first, and gives as text those the handler leaves, in one numbering', async () => {
    const dir = tempDir();
    // Over 1 MiB, so that lines straddle the reader's chunks; every third line is left to the text path.
    const all = Array.from({ length: 40_000 }, (_, i) => `line ${i} ${'v'.repeat(i % 50)}`);
    const content = `${all.join('\r\n')}\r\n\uFEFFnot first\n${'w'.repeat(5000)}\nlast`;
    const seen: (string | number)[][] = [];
    await forEachLine(writeLog(dir, 'f.log', content), 4096, new AbortController().signal, {
      bytes: (buffer, start, end, line, offset) => {
        if (line % 3 === 0) return false;
        seen.push(['bytes', line, offset, buffer.toString('latin1', start, end)]);
        return true;
      },
      line: (text, line, offset, unterminated) => seen.push(['text', line, offset, text, String(unterminated)]),
      tooLong: (line, offset) => seen.push(['too long', line, offset]),
    });
    let offset = 0;
    const expected: (string | number)[][] = all.map((text, i) => {
      const at = offset;
      offset += Buffer.byteLength(text) + 2;
      return (i + 1) % 3 === 0 ? ['text', i + 1, at, text, 'false'] : ['bytes', i + 1, at, text];
    });
    expect(seen.slice(0, all.length)).toEqual(expected);
    // A BOM only counts on the first line; the overlong line is skipped; the unterminated last one is text.
    expect(seen.slice(all.length)).toEqual([
      ['bytes', 40_001, offset, '\u00ef\u00bb\u00bfnot first'],
      ['too long', 40_002, offset + 13],
      ['text', 40_003, offset + 13 + 5001, 'last', 'true'],
    ]);
  });
});
