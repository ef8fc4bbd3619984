import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const HOUR_MS = 3600e3;
/** Lines are gathered up to this many bytes and written at once. */
const CHUNK = 1 << 20;

/**
 * Text logs rotated every hour, as a proxy uploads them: `<name>-YYYYMMDD-HH.log` (the UTC hour of
 * the lines it holds), each opening with the format's header. Writes are synchronous and in
 * chunks of about 1 MiB, so memory stays constant however long the day.
 */
export class HourlyLogFiles {
  readonly #dir: string;
  readonly #name: string;
  readonly #header: (hourStart: number) => string;
  readonly #files: string[] = [];
  #parts: string[] = [];
  #size = 0;
  #fd: number | null = null;
  #hour = -1;
  #last = -Infinity;
  lines = 0;
  bytes = 0;

  constructor(dir: string, name: string, header: (firstLine: number) => string) {
    this.#dir = dir;
    this.#name = name;
    this.#header = header;
  }

  /** Appends a line (without its newline) logged at `time` (epoch ms); lines must come in time order. */
  write(time: number, line: string): void {
    if (time < this.#last) throw new Error(`${this.#name}: log lines out of order: ${time} after ${this.#last}`);
    this.#last = time;
    const hour = Math.floor(time / HOUR_MS);
    if (hour !== this.#hour) this.#open(hour, time);
    this.#parts.push(line, '\n');
    this.#size += line.length + 1;
    this.lines++;
    if (this.#size >= CHUNK) this.#flush();
  }

  /** Closes the current file; returns every file written, in time order. */
  close(): string[] {
    this.#closeFile();
    return [...this.#files];
  }

  #open(hour: number, time: number): void {
    this.#closeFile();
    const stamp = new Date(hour * HOUR_MS).toISOString();
    const path = join(this.#dir, `${this.#name}-${stamp.slice(0, 4)}${stamp.slice(5, 7)}${stamp.slice(8, 10)}-${stamp.slice(11, 13)}.log`);
    this.#fd = openSync(path, 'wx');
    this.#files.push(path);
    this.#hour = hour;
    const header = this.#header(time);
    if (header) {
      this.#parts.push(header);
      this.#size += header.length;
    }
  }

  #flush(): void {
    if (this.#fd === null || this.#parts.length === 0) return;
    const data = Buffer.from(this.#parts.join(''), 'utf8');
    for (let at = 0; at < data.length; ) at += writeSync(this.#fd, data, at);
    this.bytes += data.length;
    this.#parts = [];
    this.#size = 0;
  }

  #closeFile(): void {
    if (this.#fd === null) return;
    this.#flush();
    closeSync(this.#fd);
    this.#fd = null;
  }
}
