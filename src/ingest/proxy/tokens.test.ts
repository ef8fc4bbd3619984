import { describe, expect, it } from 'vitest';
import { splitQuoted, splitWords } from './tokens.js';

function quoted(line: string): string[] | number {
  const out: string[] = [];
  const n = splitQuoted(line, out);
  return n < 0 ? n : out.slice(0, n);
}

function words(line: string, max: number): string[] {
  const out: string[] = [];
  return out.slice(0, splitWords(line, out, max));
}

describe('splitWords', () => {
  it('splits on runs of spaces and tabs, the rest after max fields in one piece', () => {
    expect(words('1157689312.049   5006 10.105.21.199\tTCP_MISS/200', 10)).toEqual(['1157689312.049', '5006', '10.105.21.199', 'TCP_MISS/200']);
    expect(words('  a b  ', 10)).toEqual(['a', 'b']);
    expect(words('a b c [Host: x\\r\\nUser-Agent: y z] [r]', 3)).toEqual(['a', 'b', 'c', '[Host: x\\r\\nUser-Agent: y z] [r]']);
    expect(words('', 3)).toEqual([]);
  });
});

describe('splitQuoted', () => {
  it('reads bare and quoted fields, collapsing runs of blanks', () => {
    expect(quoted('2024-03-22 16:16:01  "Web Ads/Analytics" - "Mozilla/5.0 (X11; Linux)"\tx')).toEqual([
      '2024-03-22',
      '16:16:01',
      'Web Ads/Analytics',
      '-',
      'Mozilla/5.0 (X11; Linux)',
      'x',
    ]);
    expect(quoted('"" a ""')).toEqual(['', 'a', '']);
    expect(quoted('   ')).toEqual([]);
  });

  it('unescapes \\" and \\\\ inside quotes and keeps other backslashes', () => {
    expect(quoted('a "say \\"hi\\" now" b')).toEqual(['a', 'say "hi" now', 'b']);
    expect(quoted('"C:\\\\dir\\file" DOMAIN\\user')).toEqual(['C:\\dir\\file', 'DOMAIN\\user']);
    // A backslash before the closing quote's neighbour does not hide the fast path's mistakes.
    expect(quoted('"a\\\\" b "c"')).toEqual(['a\\', 'b', 'c']);
  });

  it('joins quoted parts with what touches them, as the shell does', () => {
    expect(quoted('ab"c d"e f')).toEqual(['abc de', 'f']);
    expect(quoted('"a"b "c" "d"e')).toEqual(['ab', 'c', 'de']);
  });

  it('reports where an unclosed quote opens', () => {
    expect(quoted('a b "c d')).toBe(-1 - 4);
    expect(quoted('a b"c d')).toBe(-1 - 3);
  });
});
