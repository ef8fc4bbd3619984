/**
 * Damaged nfdump 1.7 files that nfdump would read none of. A file cut short (copied while written,
 * disk full, collector killed) keeps its header, whose appendix offset then points past the end:
 * nfdump 1.7 stops at once ("appendix offset error"). A file nfcapd never closed has a header that
 * counts no blocks: nfdump prints no flows and no error. Both still hold whole data blocks; a copy
 * cut after the last whole block, with a header that counts those blocks and no appendix, lets
 * nfdump read every one of them. nfdump 1.6 files need none of this: nfdump reads their blocks up
 * to the cut and reports a short read.
 * @module
 */
import { copyFile, open, truncate } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  FILE_HEADER_BYTES,
  headerForWholeBlocks,
  LAYOUT_V2,
  layoutVersion,
  parseFileHeader,
  walkBlocks,
  type BlockWalk,
  type FileHeaderV2,
} from './nfcapd-layout.js';

export interface NfcapdDamage {
  /** What is wrong, where (byte offsets) and what was read: the quarantine entry of the file. */
  readonly problem: string;
  /** Whole data blocks nfdump can read from a repaired copy (0: nothing to read). */
  readonly wholeBlocks: number;
  readonly dataEnd: number;
  readonly header: Buffer;
}

/** How a file nfdump would refuse or read nothing of is damaged; null when nfdump reads it as it is. */
export async function findNfcapdDamage(path: string, size: number): Promise<NfcapdDamage | null> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(FILE_HEADER_BYTES);
    const { bytesRead } = await file.read(head, 0, FILE_HEADER_BYTES, 0);
    if (layoutVersion(head.subarray(0, bytesRead)) !== LAYOUT_V2) return null;
    if (bytesRead < FILE_HEADER_BYTES) {
      return { problem: `file truncated at byte ${bytesRead}: it ends inside its ${FILE_HEADER_BYTES}-byte file header; no data block to read`, wholeBlocks: 0, dataEnd: 0, header: head };
    }
    const header = parseFileHeader(head);
    if (header.appendixBlocks > 0 && header.offAppendix < size) return null;
    const unclosed = header.numBlocks === 0 && header.appendixBlocks === 0;
    // Opened by nfcapd and nothing written yet: there is nothing to lose.
    if (unclosed && size === FILE_HEADER_BYTES) return null;
    const walk = await walkBlocks(file, size, header);
    // Closed by a writer that adds no appendix: nfdump reads its blocks as they are, and names a
    // corrupt one itself.
    if (header.appendixBlocks === 0 && !unclosed && (walk.end.kind === 'all-blocks' || walk.end.kind === 'bad-header')) return null;
    return { problem: describe(walk, header, size, unclosed), wholeBlocks: walk.wholeBlocks, dataEnd: walk.dataEnd, header: head };
  } finally {
    await file.close();
  }
}

function describe(walk: BlockWalk, header: FileHeaderV2, size: number, unclosed: boolean): string {
  const of = header.numBlocks > 0 ? ` of ${header.numBlocks}` : '';
  const { end, wholeBlocks: n, dataEnd } = walk;
  let where: string;
  switch (end.kind) {
    case 'cut-in-block':
      where = `it ends inside data block ${end.block}${of} (bytes ${end.start} to ${end.end})`;
      break;
    case 'cut-in-header':
      where = `it ends inside the header of data block ${end.block}${of}, which starts at byte ${end.start}`;
      break;
    case 'end-of-file':
      where = n > 0 ? `it ends after data block ${n}${of}` : 'it ends before its first data block';
      break;
    case 'all-blocks':
      where = `its ${n} data blocks are whole, its appendix (ident, statistics) from byte ${dataEnd} is ${size === dataEnd ? 'missing' : 'cut'}`;
      break;
    case 'bad-header':
      where = `data block ${end.block}${of} at byte ${end.start} has an impossible header (${end.records} records, ${end.bytes} bytes)`;
      break;
  }
  const read = end.kind === 'all-blocks' ? `read all ${n}` : n > 0 ? `read the ${n} whole block${n === 1 ? '' : 's'} before byte ${dataEnd}` : 'no whole data block to read';
  const never = unclosed ? ' and never closed by its writer (its header counts no data blocks)' : '';
  return `file truncated at byte ${size}${never}: ${where}; ${read}`;
}

/**
 * Write into `dir` a copy of the file's whole blocks that nfdump reads to the end, and return its
 * path. The kernel copies the bytes (copy_file_range); nothing passes through JS memory.
 */
export async function copyWholeBlocks(path: string, damage: NfcapdDamage, dir: string): Promise<string> {
  const copy = join(dir, basename(path));
  await copyFile(path, copy);
  await truncate(copy, damage.dataEnd);
  const file = await open(copy, 'r+');
  try {
    await file.write(headerForWholeBlocks(damage.header, damage.wholeBlocks), 0, FILE_HEADER_BYTES, 0);
  } finally {
    await file.close();
  }
  return copy;
}
