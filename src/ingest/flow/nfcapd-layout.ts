/**
 * The nfdump 1.7 file layout (LAYOUT_VERSION_2, `fileHeaderV2_t` and `dataBlock_t` in nfdump's
 * nffileV2.h): a 40-byte file header, data blocks each led by a 12-byte header that carries the
 * block's size on disk (compressed or not), then appendix blocks (ident, statistics) written when
 * the file is closed. Read here only to find where the whole blocks of a damaged file end.
 * @module
 */
import type { FileHandle } from 'node:fs/promises';

export const LAYOUT_V2 = 2;
export const FILE_HEADER_BYTES = 40;
export const BLOCK_HEADER_BYTES = 12;
/** nfdump's BUFFSIZE: it refuses a block larger than this as corrupt, as it does an empty one. */
const MAX_BLOCK_BYTES = 5 * 1024 * 1024;

/** Byte offsets of the fileHeaderV2_t fields used here (little-endian, 64-bit time_t and off_t). */
const AT = { version: 2, compression: 16, appendixBlocks: 18, offAppendix: 24, numBlocks: 36 } as const;

export interface FileHeaderV2 {
  readonly compression: number;
  readonly appendixBlocks: number;
  /** Where the appendix starts, which is where the data blocks end. */
  readonly offAppendix: number;
  /** Data blocks in the file, written when it is closed: 0 while nfcapd is still writing it. */
  readonly numBlocks: number;
}

/** The layout version (1: nfdump 1.6, 2: nfdump 1.7), from the first 4 bytes. */
export const layoutVersion = (head: Buffer): number => (head.length >= 4 ? head.readUInt16LE(AT.version) : 0);

export function parseFileHeader(head: Buffer): FileHeaderV2 {
  return {
    compression: head.readUInt8(AT.compression),
    appendixBlocks: head.readUInt16LE(AT.appendixBlocks),
    offAppendix: Number(head.readBigInt64LE(AT.offAppendix)),
    numBlocks: head.readUInt32LE(AT.numBlocks),
  };
}

/** A copy of the header that makes nfdump read exactly `blocks` data blocks and no appendix. */
export function headerForWholeBlocks(head: Buffer, blocks: number): Buffer {
  const out = Buffer.from(head.subarray(0, FILE_HEADER_BYTES));
  out.writeUInt16LE(0, AT.appendixBlocks);
  out.writeBigInt64LE(0n, AT.offAppendix);
  out.writeUInt32LE(blocks, AT.numBlocks);
  return out;
}

/** Why the walk over the data blocks stopped. Blocks are numbered from 1. */
export type BlockWalkEnd =
  /** The header's block count was reached. */
  | { readonly kind: 'all-blocks' }
  /** The file ends exactly after a whole block. */
  | { readonly kind: 'end-of-file' }
  | { readonly kind: 'cut-in-header'; readonly block: number; readonly start: number }
  | { readonly kind: 'cut-in-block'; readonly block: number; readonly start: number; readonly end: number }
  | { readonly kind: 'bad-header'; readonly block: number; readonly start: number; readonly records: number; readonly bytes: number };

export interface BlockWalk {
  readonly wholeBlocks: number;
  /** The offset just after the last whole block. */
  readonly dataEnd: number;
  readonly end: BlockWalkEnd;
}

/**
 * Walk the data block headers from the file header to the end of the file (or the header's block
 * count, when the file was closed), reading 12 bytes per block.
 */
export async function walkBlocks(file: FileHandle, size: number, header: FileHeaderV2): Promise<BlockWalk> {
  const limit = header.numBlocks > 0 ? header.numBlocks : Number.POSITIVE_INFINITY;
  const buf = Buffer.alloc(BLOCK_HEADER_BYTES);
  let pos = FILE_HEADER_BYTES;
  let blocks = 0;
  const stop = (end: BlockWalkEnd): BlockWalk => ({ wholeBlocks: blocks, dataEnd: pos, end });
  while (blocks < limit) {
    const block = blocks + 1;
    if (pos === size) return stop({ kind: 'end-of-file' });
    if (pos + BLOCK_HEADER_BYTES > size) return stop({ kind: 'cut-in-header', block, start: pos });
    await file.read(buf, 0, BLOCK_HEADER_BYTES, pos);
    const records = buf.readUInt32LE(0);
    const bytes = buf.readUInt32LE(4);
    if (records === 0 || bytes === 0 || bytes > MAX_BLOCK_BYTES) return stop({ kind: 'bad-header', block, start: pos, records, bytes });
    const end = pos + BLOCK_HEADER_BYTES + bytes;
    if (end > size) return stop({ kind: 'cut-in-block', block, start: pos, end });
    blocks = block;
    pos = end;
  }
  return stop({ kind: 'all-blocks' });
}
