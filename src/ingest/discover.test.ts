import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/tmp.js';
import { discover } from './discover.js';

describe('discover', () => {
  it('expands folders recursively and globs, skipping files still being written', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'a', 'b'), { recursive: true });
    for (const f of ['a/nfcapd.202611270000', 'a/b/nfcapd.202611270005', 'a/nfcapd.current.1234', 'a/.hidden', 'a/x.part', 'c.log', 'd.log'])
      writeFileSync(join(dir, f), 'x');
    const found = await discover([join(dir, 'a'), join(dir, '*.log'), join(dir, 'a', 'nfcapd.202611270000')]);
    expect(found.files.map((f) => f.path.slice(dir.length + 1))).toEqual(['a/b/nfcapd.202611270005', 'a/nfcapd.202611270000', 'c.log', 'd.log']);
    expect(found.errors).toEqual([]);
  });

  it('reports what it cannot read and keeps the rest', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ok.log'), 'x');
    const found = await discover([join(dir, 'missing'), join(dir, 'ok.log'), join(dir, 'nothing-*.csv')]);
    expect(found.files.map((f) => f.path)).toEqual([join(dir, 'ok.log')]);
    expect(found.errors).toEqual([
      { path: join(dir, 'missing'), reason: 'no such file or folder' },
      { path: join(dir, 'nothing-*.csv'), reason: 'no file matches this pattern' },
    ]);
  });
});
