import { AsyncLocalStorage } from 'node:async_hooks';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip, gunzipSync, constants as zlib } from 'node:zlib';
import type { Readable } from 'node:stream';

const GZIP_MAGIC = [0x1f, 0x8b];

export function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
}

async function rawHead(path: string, bytes: number): Promise<Buffer> {
  const fd = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fd.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fd.close();
  }
}

/** The first bytes of a file, decompressed when it is gzip, for format detection. */
export async function readHead(path: string, bytes = 16 * 1024): Promise<Buffer> {
  const head = await rawHead(path, bytes);
  if (!isGzip(head)) return head;
  try {
    return gunzipSync(head, { finishFlush: zlib.Z_SYNC_FLUSH }).subarray(0, bytes);
  } catch {
    return Buffer.alloc(0);
  }
}

/**
 * What a decode waits on before reading more of its file: the lake writer's backlog. Decoders
 * never see it; every reader below goes through openBytes, so a decoder faster than the writer
 * is held at its input, and memory stays bounded, without a word in the decoder's code.
 */
const inputPacing = new AsyncLocalStorage<() => Promise<void> | null>();

/** Run a decode whose file reads wait, before each chunk, on what `wait` returns (null: go on). */
export function withInputPacing<T>(wait: () => Promise<void> | null, decode: () => Promise<T>): Promise<T> {
  return inputPacing.run(wait, decode);
}

/** The file's bytes, gunzipped on the fly when it is gzip, in chunks of up to 1 MiB. */
export async function openBytes(path: string): Promise<AsyncIterable<Buffer>> {
  const gzip = isGzip(await rawHead(path, 2));
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  const bytes: Readable = gzip ? raw.pipe(createGunzip()) : raw;
  const wait = inputPacing.getStore();
  return wait ? paced(bytes, wait) : bytes;
}

async function* paced(bytes: Readable, wait: () => Promise<void> | null): AsyncGenerator<Buffer> {
  for await (const chunk of bytes) {
    const backlog = wait();
    if (backlog) await backlog;
    yield chunk as Buffer;
  }
}

export type TextLine = { readonly text: string; readonly line: number; readonly offset: number; readonly tooLong: false } | { readonly line: number; readonly offset: number; readonly tooLong: true; readonly text: string };

/**
 * Lines of a text file (gzip or plain), numbered from 1, with the byte offset of each line in the
 * decompressed stream. A line longer than maxBytes is reported once, with its start, and skipped
 * to the next newline, so that one absurd line never costs memory or the records after it.
 * Bytes that are not UTF-8 become U+FFFD.
 */
export async function* readLines(path: string, maxBytes: number): AsyncGenerator<TextLine> {
  const decoder = new TextDecoder('utf-8');
  let pending: Buffer[] = [];
  let pendingLen = 0;
  let skipping = false;
  let line = 1;
  let offset = 0;
  let lineStart = 0;
  const take = (tail: Buffer): string => {
    const parts = pendingLen ? Buffer.concat([...pending, tail]) : tail;
    pending = [];
    pendingLen = 0;
    let end = parts.length;
    if (end > 0 && parts[end - 1] === 0x0d) end--;
    return decoder.decode(parts.subarray(0, end));
  };
  for await (const chunk of await openBytes(path)) {
    const buf = chunk as Buffer;
    let start = 0;
    while (start < buf.length) {
      const nl = buf.indexOf(0x0a, start);
      if (nl < 0) {
        if (!skipping) {
          pending.push(buf.subarray(start));
          pendingLen += buf.length - start;
          if (pendingLen > maxBytes) {
            const excerpt = decoder.decode(Buffer.concat(pending).subarray(0, 512));
            yield { line, offset: lineStart, tooLong: true, text: excerpt };
            pending = [];
            pendingLen = 0;
            skipping = true;
          }
        }
        offset += buf.length - start;
        break;
      }
      const len = nl - start;
      if (skipping) {
        skipping = false;
      } else if (pendingLen + len > maxBytes) {
        const excerpt = decoder.decode(Buffer.concat([...pending, buf.subarray(start, nl)]).subarray(0, 512));
        pending = [];
        pendingLen = 0;
        yield { line, offset: lineStart, tooLong: true, text: excerpt };
      } else {
        yield { text: take(buf.subarray(start, nl)), line, offset: lineStart, tooLong: false };
      }
      offset += len + 1;
      line++;
      lineStart = offset;
      start = nl + 1;
    }
  }
  if (pendingLen > 0 && !skipping) yield { text: take(Buffer.alloc(0)), line, offset: lineStart, tooLong: false };
}

/** The first non-blank line of a file's head, without a byte-order mark or CR: where headers are. */
export function firstTextLine(head: Buffer): string | undefined {
  return head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split('\n')
    .find((l) => l.trim() !== '')
    ?.replace(/\r$/, '');
}
