import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError } from '../../../shared/errors.js';
import { LOOPBACK } from './paced-sender.js';

/**
 * Debian's nfcapd (NetFlow v5/v9, IPFIX) or sfcapd (sFlow) as a private collector on loopback:
 * the path a user's router takes. Version 1.7.1 has no "ready" signal and cannot report a port it
 * picked itself, so we pick a free port, start it bound to loopback and wait for its "Startup"
 * line; the socket is bound by then and the kernel queues whatever arrives. On SIGTERM it flushes
 * and renames nfcapd.current.<pid> to nfcapd.YYYYMMDDhhmm (wall-clock time of the file's interval).
 */

export type CollectorKind = 'nfcapd' | 'sfcapd';

/** The collector asks the kernel for this receive buffer (-B); the kernel caps it at net.core.rmem_max. */
const RECEIVE_BUFFER = 4 << 20;
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 15_000;
/** The collector's log is kept up to this size, plus its last lines (the exit report). */
const LOG_HEAD_CHARS = 64 * 1024;
const LOG_TAIL_CHARS = 8 * 1024;
/** Debian packages of the collectors, for the message when one is missing. */
const PACKAGE: Record<CollectorKind, string> = { nfcapd: 'nfdump', sfcapd: 'nfdump-sflow' };

export interface CollectorOptions {
  /** Executable of nfcapd or sfcapd. */
  readonly binary: string;
  /** Which of the two it is; nfcapd by default. */
  readonly kind?: CollectorKind;
  /** UDP port on 127.0.0.1; 0 picks a free one. */
  readonly port: number;
  readonly outDir: string;
  /** Ident written into the files (nfdump's "Ident"); none when absent. */
  readonly ident?: string;
  /** Config key of the binary, named in the message when it is not installed. */
  readonly configKey: string;
  /** Repeat every datagram to this loopback port once received (nfcapd -R), so a sender knows it arrived. */
  readonly repeatPort?: number;
}

/** What the collector said about its session when it stopped ("Ident: … Flows: …, Sequence Errors: …"). */
export interface CollectorReport {
  readonly flows: number;
  readonly packets: number;
  readonly sequenceErrors: number;
  readonly badPackets: number;
}

export interface StoppedCollector {
  /** The nfcapd files written, full paths, in name order. */
  readonly files: string[];
  readonly report: CollectorReport | null;
}

export class FlowCollector {
  #log = '';
  #tail = '';
  #partial = '';
  /** Summed over every report: the collector prints one per file it closes (each -t interval). */
  #report: CollectorReport | null = null;

  private constructor(
    readonly kind: CollectorKind,
    readonly port: number,
    readonly outDir: string,
    readonly child: ChildProcess,
    private readonly exited: Promise<number | null>,
  ) {}

  /** Starts the collector and resolves once it listens; a port taken in the meantime is retried with another. */
  static async start(options: CollectorOptions): Promise<FlowCollector> {
    for (let attempt = 1; ; attempt++) {
      const port = options.port || (await freeUdpPort());
      try {
        return await FlowCollector.#launch(options, port);
      } catch (e) {
        if (options.port || attempt >= 3 || !/Address already in use/.test((e as Error).message)) throw e;
      }
    }
  }

  static async #launch(options: CollectorOptions, port: number): Promise<FlowCollector> {
    const kind = options.kind ?? 'nfcapd';
    const args = ['-b', LOOPBACK, '-p', String(port), '-w', options.outDir, '-B', String(RECEIVE_BUFFER)];
    if (options.ident) args.push('-I', options.ident);
    if (options.repeatPort) args.push('-R', `${LOOPBACK}/${options.repeatPort}`);
    const child = spawn(options.binary, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC' } });
    const exited = new Promise<number | null>((resolve) => {
      child.on('exit', (code) => resolve(code));
      child.on('error', () => resolve(null)); // not started at all: there will be no exit event
    });
    const collector = new FlowCollector(kind, port, options.outDir, child, exited);
    const onData = (b: Buffer) => collector.#append(b.toString());
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    let failure: Error | null = null;
    child.on('error', (e: NodeJS.ErrnoException) => {
      failure = e.code === 'ENOENT' ? new ConfigError(`${options.configKey}: ${options.binary} not found (Debian: apt-get install ${PACKAGE[kind]})`) : e;
    });
    const deadline = Date.now() + START_TIMEOUT_MS;
    try {
      while (!/Startup (nfcapd|sfcapd)/.test(collector.log)) {
        if (failure) throw failure;
        if (child.exitCode !== null) throw new Error(`${kind} exited at start-up (code ${child.exitCode}): ${collector.log.trim()}`);
        if (Date.now() > deadline) throw new Error(`${kind} did not start within ${START_TIMEOUT_MS / 1000} s: ${collector.log.trim()}`);
        await sleep(10);
      }
    } catch (e) {
      child.kill('SIGKILL');
      await exited;
      throw e;
    }
    return collector;
  }

  /** What the collector printed: the start of its log, and its last lines once the head is full. */
  get log(): string {
    return this.#log + this.#tail + this.#partial;
  }

  /** Stops the collector cleanly so that it closes and renames its file, and lists the files. */
  async stop(): Promise<StoppedCollector> {
    this.child.kill('SIGTERM');
    // An unreferenced timer: it must not keep the process alive once the collector has exited.
    const code = await Promise.race([this.exited, sleep(STOP_TIMEOUT_MS, 'timeout' as const, { ref: false })]);
    if (code === 'timeout') {
      this.child.kill('SIGKILL');
      await this.exited;
      throw new Error(`${this.kind} did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM`);
    }
    const files = (await readdir(this.outDir)).filter((f) => /^nfcapd\.\d{12}(\d{2})?$/.test(f)).sort();
    this.#append('\n');
    return { files: files.map((f) => join(this.outDir, f)), report: this.#report };
  }

  /** Kill without waiting for files: for errors, where nothing it wrote is read. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Bounded however long the collector runs and whatever it repeats; reports are summed as they come. */
  #append(text: string): void {
    const lines = (this.#partial + text).split('\n');
    this.#partial = lines.pop() ?? '';
    for (const line of lines) {
      const report = parseReport(line);
      if (report) this.#report = addReports(this.#report, report);
      if (this.#log.length < LOG_HEAD_CHARS) this.#log += line + '\n';
      else this.#tail = (this.#tail + line + '\n').slice(-LOG_TAIL_CHARS);
    }
  }
}

/** Reads "Ident: 'x' Flows: 1, Packets: 2, Bytes: 3, Sequence Errors: 0, Bad Packets: 0", printed on exit. */
export function parseReport(log: string): CollectorReport | null {
  const m = /Flows: (\d+), Packets: (\d+), Bytes: \d+, Sequence Errors: (\d+), Bad Packets: (\d+)/.exec(log);
  return m ? { flows: Number(m[1]), packets: Number(m[2]), sequenceErrors: Number(m[3]), badPackets: Number(m[4]) } : null;
}

function addReports(a: CollectorReport | null, b: CollectorReport): CollectorReport {
  if (!a) return b;
  return { flows: a.flows + b.flows, packets: a.packets + b.packets, sequenceErrors: a.sequenceErrors + b.sequenceErrors, badPackets: a.badPackets + b.badPackets };
}

/** A UDP port nobody uses on loopback right now. */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, LOOPBACK, resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}
