import type { GenerateConfig } from '../config.js';
import type { Network } from '../network.js';
import { buildScenario } from '../scenario.js';
import { generationDays, streamSessions, type SessionBatch } from '../timeline.js';
import { HourlyPcapFiles } from './capture-files.js';
import { DnsRenderer, type CaptureFrame } from './render.js';
import { frameRows, type DnsMessageRow } from './rows.js';

/**
 * The DNS capture of a stream of session batches: renders the sessions that carry `app.dns`
 * and releases their frames in capture order. A batch's sessions start in its window and later
 * batches' sessions after it, so once a batch is in, every frame before the window's end is
 * final; frames of exchanges still running (answers, TCP closes) wait for the next batch. Only
 * a window's worth of frames is ever held.
 */
export class DnsCapture {
  readonly #renderer: DnsRenderer;
  #pending: CaptureFrame[] = [];
  /** Most frames held at once: the capture's memory bound, for tests. */
  maxPending = 0;

  constructor(network: Network) {
    this.#renderer = new DnsRenderer(network);
  }

  /** Frames that precede every session of later batches, in time order (ties in rendering order). */
  add(batch: SessionBatch): CaptureFrame[] {
    for (const s of batch.sessions) if (s.app?.dns) for (const f of this.#renderer.render(s)) this.#pending.push(f);
    this.maxPending = Math.max(this.maxPending, this.#pending.length);
    return this.#release(batch.window.end * 1000);
  }

  /** Whatever is left once the last batch is in. */
  finish(): CaptureFrame[] {
    return this.#release(Infinity);
  }

  #release(before: number): CaptureFrame[] {
    this.#pending.sort((a, b) => a.time - b.time);
    let n = 0;
    while (n < this.#pending.length && this.#pending[n]!.time < before) n++;
    const out = this.#pending.slice(0, n);
    this.#pending = this.#pending.slice(n);
    return out;
  }
}

export interface DnsCaptureSummary {
  readonly files: readonly string[];
  readonly packets: number;
  readonly messages: number;
  /** Bytes written to disk (compressed when gzip). */
  readonly bytes: number;
  /** Most frames held in memory at once, waiting for their turn. */
  readonly peakFrames: number;
}

/** Writes the capture of the batches it is given into hourly pcap files, as they come. */
export class DnsCaptureWriter {
  readonly #capture: DnsCapture;
  readonly #files: HourlyPcapFiles;
  #messages = 0;

  constructor(network: Network, options: { readonly dir: string; readonly gzip: boolean }) {
    this.#capture = new DnsCapture(network);
    this.#files = new HourlyPcapFiles(options.dir, options.gzip);
  }

  add(batch: SessionBatch): void {
    this.#write(this.#capture.add(batch));
  }

  /** Writes what is left and closes the last file. */
  close(): DnsCaptureSummary {
    this.#write(this.#capture.finish());
    const files = this.#files.close();
    return { files, packets: this.#files.packets, messages: this.#messages, bytes: this.#files.bytes, peakFrames: this.#capture.maxPending };
  }

  #write(frames: readonly CaptureFrame[]): void {
    for (const f of frames) {
      this.#files.write(f.time, f.bytes);
      this.#messages += f.messages.length;
    }
  }
}

/** Every frame of the capture of the given dates, in capture order. */
export function* dnsFrames(config: GenerateConfig, days: readonly string[] = generationDays(config)): Generator<CaptureFrame> {
  const scenario = buildScenario(config.seed, config.workstations);
  const capture = new DnsCapture(scenario.network);
  for (const batch of streamSessions(scenario, days, config.scale)) yield* capture.add(batch);
  yield* capture.finish();
}

/**
 * For every DNS message the generator writes to the capture of the given dates, in capture
 * order, the row the lake should hold: the reference a decoder's output is compared with, field
 * for field. Streams, and is deterministic as the capture is.
 */
export function* generateDnsMessages(config: GenerateConfig, days: readonly string[] = generationDays(config)): Generator<DnsMessageRow> {
  for (const frame of dnsFrames(config, days)) yield* frameRows(frame);
}
