import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PCAP_HEADER_LENGTH, pcapHeader, RECORD_HEADER_LENGTH, writeRecordHeader } from '../pcap.js';

const HOUR_US = 3600e6;
/** Frames are gathered in chunks of this size and written at once (compressed as one gzip member each). */
const CHUNK = 1 << 20;

/**
 * Capture files as a tap that rotates every hour writes them: `dns-YYYYMMDD-HH.pcap` (UTC hour of
 * the packets it holds), or `.pcap.gz`. Writes are synchronous and in chunks of 1 MiB, so memory
 * stays constant however long the capture; a gzip file is a series of members, one per chunk,
 * which gzip, zlib and tshark read as one stream.
 */
export class HourlyPcapFiles {
  readonly #dir: string;
  readonly #gzip: boolean;
  readonly #chunk = Buffer.alloc(CHUNK);
  readonly #files: string[] = [];
  #used = 0;
  #fd: number | null = null;
  #hour = -1;
  #last = -Infinity;
  packets = 0;
  bytes = 0;

  constructor(dir: string, gzip: boolean) {
    this.#dir = dir;
    this.#gzip = gzip;
  }

  /** Appends a frame captured at `timeUs` (epoch µs); frames must come in time order. */
  write(timeUs: number, frame: Buffer): void {
    if (timeUs < this.#last) throw new Error(`capture frames out of order: ${timeUs} after ${this.#last}`);
    this.#last = timeUs;
    const hour = Math.floor(timeUs / HOUR_US);
    if (hour !== this.#hour) this.#open(hour);
    const size = RECORD_HEADER_LENGTH + frame.length;
    if (this.#used + size > CHUNK) this.#flush();
    writeRecordHeader(this.#chunk, this.#used, timeUs, frame.length);
    frame.copy(this.#chunk, this.#used + RECORD_HEADER_LENGTH);
    this.#used += size;
    this.packets++;
  }

  /** Closes the current file; returns every file written, in time order. */
  close(): string[] {
    this.#closeFile();
    return [...this.#files];
  }

  #open(hour: number): void {
    this.#closeFile();
    const stamp = new Date(hour * 3600e3).toISOString(); // YYYY-MM-DDTHH:…
    const name = `dns-${stamp.slice(0, 4)}${stamp.slice(5, 7)}${stamp.slice(8, 10)}-${stamp.slice(11, 13)}.pcap${this.#gzip ? '.gz' : ''}`;
    const path = join(this.#dir, name);
    this.#fd = openSync(path, 'wx');
    this.#files.push(path);
    this.#hour = hour;
    pcapHeader().copy(this.#chunk, 0);
    this.#used = PCAP_HEADER_LENGTH;
  }

  #flush(): void {
    if (this.#fd === null || this.#used === 0) return;
    const data = this.#gzip ? gzipSync(this.#chunk.subarray(0, this.#used)) : this.#chunk.subarray(0, this.#used);
    for (let at = 0; at < data.length; ) at += writeSync(this.#fd, data, at);
    this.bytes += data.length;
    this.#used = 0;
  }

  #closeFile(): void {
    if (this.#fd === null) return;
    this.#flush();
    closeSync(this.#fd);
    this.#fd = null;
  }
}
