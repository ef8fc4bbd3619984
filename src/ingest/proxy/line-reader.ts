/**
 * The lines of a proxy log, fast: proxy logs run to millions of lines, so lines are handed to a
 * handler synchronously, a decoded block at a time, instead of one awaited generator step each.
 * Differences from readLines (../source.ts), on purpose:
 * - bytes that are not UTF-8 are kept percent-encoded ("caf%E9"), so the line is not lost;
 * - a byte-order mark at the start of the file is dropped;
 * - the last line says whether the file ended without a newline after it (a cut-off write).
 * @module
 */
import { isUtf8 } from 'node:buffer';
import { decodeUtf8KeepingBytes } from '../../shared/utf8-percent.js';
import { openBytes } from '../source.js';

export interface LineHandler {
  /** A line without its line end (LF or CRLF); unterminated: the file ends right after it, with no newline. */
  line(text: string, line: number, offset: number, unterminated: boolean): void;
  /** A line longer than the limit, skipped; excerpt is its start. */
  tooLong(line: number, offset: number, excerpt: string): void;
  /**
   * A terminated line as bytes, [start, end) of buffer without its line end, offered before it is
   * decoded: true when the handler took it, false to have it as text through line().
   */
  bytes?(buffer: Buffer, start: number, end: number, line: number, offset: number): boolean;
}

const LF = 0x0a;
const CR = 0x0d;
const EXCERPT_BYTES = 512;

/** Bytes as text, the common valid case in one native call. */
function text(bytes: Buffer): string {
  return isUtf8(bytes) ? bytes.toString('utf8') : decodeUtf8KeepingBytes(bytes);
}

class LineSplitter {
  /** A partial line carried over from the previous chunk. */
  private pending: Buffer[] = [];
  private pendingLen = 0;
  /** In the middle of a line already reported too long: drop bytes to its end. */
  private skipping = false;
  private lineNo = 1;
  /** Byte offset of the start of the current line. */
  private offset = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly handler: LineHandler,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    if (this.skipping || this.pendingLen > 0) {
      const nl = chunk.indexOf(LF);
      if (nl < 0) {
        this.carry(chunk);
        return;
      }
      this.carry(chunk.subarray(0, nl));
      this.endCarried(false);
      start = nl + 1;
    }
    const last = chunk.lastIndexOf(LF);
    if (last >= start) {
      this.block(chunk.subarray(start, last + 1));
      start = last + 1;
    }
    if (start < chunk.length) this.carry(chunk.subarray(start));
  }

  /** The end of the file. */
  finish(): void {
    if (this.pendingLen > 0 && !this.skipping) this.endCarried(true);
  }

  /**
   * Whole lines, each ending in LF: offered as bytes to a handler that reads bytes, else decoded
   * at once when they are valid UTF-8, as they nearly always are.
   */
  private block(bytes: Buffer): void {
    const byteLines = this.handler.bytes !== undefined;
    if (byteLines || !isUtf8(bytes)) {
      let s = 0;
      while (s < bytes.length) {
        const nl = bytes.indexOf(LF, s);
        if (byteLines && this.offer(bytes, s, nl)) this.next(nl - s + 1);
        else this.emitBytes(bytes.subarray(s, nl), false, false);
        s = nl + 1;
      }
      return;
    }
    const str = bytes.toString('utf8');
    // Same length in characters and bytes: only ASCII, so character positions are byte offsets.
    const ascii = str.length === bytes.length;
    let s = 0;
    while (s < str.length) {
      const nl = str.indexOf('\n', s);
      const bytesLen = ascii ? nl - s : Buffer.byteLength(str.slice(s, nl));
      if (bytesLen > this.maxBytes) this.handler.tooLong(this.lineNo, this.offset, str.slice(s, s + EXCERPT_BYTES));
      else this.emit(str, s, nl, false);
      this.next(bytesLen + 1);
      s = nl + 1;
    }
  }

  private emit(str: string, s: number, e: number, unterminated: boolean): void {
    if (e > s && str.charCodeAt(e - 1) === CR) e--;
    if (this.lineNo === 1 && str.charCodeAt(s) === 0xfeff) s++;
    this.handler.line(str.slice(s, e), this.lineNo, this.offset, unterminated);
  }

  /** A terminated line of bytes [s, e) to the byte handler, its CR left out; false when it is not taken. */
  private offer(bytes: Buffer, s: number, e: number): boolean {
    if (e - s > this.maxBytes) return false;
    return this.handler.bytes!(bytes, s, e > s && bytes[e - 1] === CR ? e - 1 : e, this.lineNo, this.offset);
  }

  private emitBytes(bytes: Buffer, unterminated: boolean, offer: boolean): void {
    if (bytes.length > this.maxBytes) this.handler.tooLong(this.lineNo, this.offset, text(bytes.subarray(0, EXCERPT_BYTES)));
    else if (!offer || !this.offer(bytes, 0, bytes.length)) {
      const str = text(bytes);
      this.emit(str, 0, str.length, unterminated);
    }
    this.next(bytes.length + 1);
  }

  private next(bytes: number): void {
    this.lineNo++;
    this.offset += bytes;
  }

  private carry(bytes: Buffer): void {
    if (this.skipping) {
      this.pendingLen += bytes.length;
      return;
    }
    this.pending.push(bytes);
    this.pendingLen += bytes.length;
    if (this.pendingLen > this.maxBytes) {
      this.handler.tooLong(this.lineNo, this.offset, text(Buffer.concat(this.pending).subarray(0, EXCERPT_BYTES)));
      this.pending = [];
      this.skipping = true;
    }
  }

  /** The carried line is complete: its newline was found, or the file ended. */
  private endCarried(atEof: boolean): void {
    if (this.skipping) {
      this.skipping = false;
      this.next(this.pendingLen + 1);
    } else {
      this.emitBytes(this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending), atEof, !atEof && this.handler.bytes !== undefined);
    }
    this.pending = [];
    this.pendingLen = 0;
  }
}

/** Every line of a text file, plain or gzip, in order; lines longer than maxBytes are reported and skipped. */
export async function forEachLine(path: string, maxBytes: number, signal: AbortSignal, handler: LineHandler): Promise<void> {
  const splitter = new LineSplitter(maxBytes, handler);
  for await (const chunk of await openBytes(path)) {
    signal.throwIfAborted();
    splitter.push(chunk as Buffer);
  }
  splitter.finish();
}
