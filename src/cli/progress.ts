import { basename } from 'node:path';
import type { FileOutcome, IngestReporter } from '../ingest/index.js';
import type { SourceFile } from '../ingest/index.js';
import { formatCount } from './output.js';

/**
 * Ingest progress on stderr: a redrawn bar with files, rows and rows/s on a terminal; one line
 * per finished file otherwise (logs, CI).
 */
export class ProgressBar implements IngestReporter {
  readonly #tty = Boolean(process.stderr.isTTY);
  #files = 0;
  #done = 0;
  #rows = 0;
  #quarantined = 0;
  #started = performance.now();
  #timer: NodeJS.Timeout | null = null;
  #active = new Set<string>();

  constructor(private readonly quiet = false) {}

  planned(files: number): void {
    this.#files += files;
    if (this.#tty && !this.quiet && !this.#timer) this.#timer = setInterval(() => this.#draw(), 200);
  }

  fileStarted(file: SourceFile): void {
    this.#active.add(basename(file.path));
  }

  rows(count: number): void {
    this.#rows += count;
  }

  fileDone(outcome: FileOutcome): void {
    this.#done++;
    this.#quarantined += outcome.quarantined;
    this.#active.delete(basename(outcome.path));
    if (this.quiet || outcome.status === 'unchanged') return;
    const detail = outcome.status === 'ingested' || outcome.status === 'partial' ? `${formatCount(outcome.rows)} rows, ${formatCount(outcome.quarantined)} quarantined` : '';
    const text = [`${outcome.status.padEnd(12)} ${outcome.path}`, detail, outcome.message].filter(Boolean).join(' — ');
    this.#clear();
    process.stderr.write(text + '\n');
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#clear();
  }

  #clear(): void {
    if (this.#tty) process.stderr.write('\r\x1b[2K');
  }

  #draw(): void {
    const seconds = (performance.now() - this.#started) / 1000;
    const width = 24;
    const filled = this.#files ? Math.round((this.#done / this.#files) * width) : 0;
    const bar = '='.repeat(filled) + (filled < width ? '>' : '') + ' '.repeat(Math.max(0, width - filled - 1));
    const rate = seconds > 0 ? this.#rows / seconds : 0;
    const current = [...this.#active].slice(0, 2).join(', ');
    const line = `[${bar}] ${this.#done}/${this.#files} files  ${formatCount(this.#rows)} rows  ${formatCount(Math.round(rate))} rows/s  ${formatCount(this.#quarantined)} quarantined  ${current}`;
    process.stderr.write('\r\x1b[2K' + line.slice(0, (process.stderr.columns || 120) - 1));
  }
}
