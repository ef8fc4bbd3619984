import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
/** A finished chunk of a tool's output: at most chunkRows lines, cut at a line end. */
export interface StagedChunk {
  readonly path: string;
  readonly rows: number;
  /** Line number, within the whole output, of the chunk's first line. */
  readonly firstLine: number;
}

/**
 * Copy a tool's text output into chunk files of at most chunkRows lines, cut at line ends, and
 * announce each finished chunk. Records are only counted here, never parsed: the lake writer
 * reads them in SQL.
 */
export async function splitIntoChunks(
  stdout: Readable,
  dir: string,
  chunkRows: number,
  onChunk: (chunk: StagedChunk) => void,
  onLines: (n: number) => void,
): Promise<number> {
  let fd = -1;
  let chunkNo = 0;
  let lines = 0;
  let total = 0;
  let path = '';
  let firstLine = 1;
  const open = () => {
    path = join(dir, `tool-${chunkNo++}.txt`);
    fd = openSync(path, 'w');
    lines = 0;
    firstLine = total + 1;
  };
  const close = () => {
    if (fd < 0) return;
    closeSync(fd);
    fd = -1;
    onChunk({ path, rows: lines, firstLine });
  };
  for await (const data of stdout) {
    const buf = data as Buffer;
    let start = 0;
    let counted = 0;
    while (start < buf.length) {
      if (fd < 0) open();
      let pos = start;
      let cut = -1;
      while (pos < buf.length) {
        const nl = buf.indexOf(0x0a, pos);
        if (nl < 0) break;
        lines++;
        counted++;
        pos = nl + 1;
        if (lines >= chunkRows) {
          cut = pos;
          break;
        }
      }
      const end = cut < 0 ? buf.length : cut;
      writeSync(fd, buf, start, end - start);
      start = end;
      if (cut >= 0) {
        total += lines;
        close();
      }
    }
    if (counted) onLines(counted);
  }
  total += lines;
  close();
  return total;
}
