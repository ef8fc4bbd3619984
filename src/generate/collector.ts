import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError } from '../shared/errors.js';
import { LOOPBACK } from './paced-sender.js';

/**
 * Debian's nfcapd as the collector of the generated NetFlow: the path a user's router takes.
 * nfcapd 1.7.1 has no "ready" signal and cannot report a port it picked itself, so we pick a
 * free port, start it bound to loopback and wait for its "Startup" line; the socket is bound
 * by then and the kernel queues whatever arrives. On SIGTERM it flushes and renames
 * nfcapd.current.<pid> to nfcapd.YYYYMMDDhhmm (wall-clock time of the file's interval).
 */

export const COLLECTOR_IDENT = 'spothreat-gen';
/** nfcapd asks the kernel for this receive buffer (-B); the kernel caps it at net.core.rmem_max. */
const RECEIVE_BUFFER = 4 << 20;
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 15_000;

export interface CollectorOptions {
  readonly nfcapd: string;
  /** UDP port on 127.0.0.1; 0 picks a free one. */
  readonly port: number;
  readonly outDir: string;
}

/** What nfcapd said about its session when it stopped ("Ident: … Flows: …, Sequence Errors: …"). */
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

export class NfcapdCollector {
  #log = '';

  private constructor(
    readonly port: number,
    readonly outDir: string,
    readonly child: ChildProcess,
    private readonly exited: Promise<number | null>,
  ) {}

  /** Starts nfcapd and resolves once it listens; a port taken in the meantime is retried with another. */
  static async start(options: CollectorOptions): Promise<NfcapdCollector> {
    for (let attempt = 1; ; attempt++) {
      const port = options.port || (await freeUdpPort());
      try {
        return await NfcapdCollector.#launch(options, port);
      } catch (e) {
        if (options.port || attempt >= 3 || !/Address already in use/.test((e as Error).message)) throw e;
      }
    }
  }

  static async #launch(options: CollectorOptions, port: number): Promise<NfcapdCollector> {
    const args = ['-b', LOOPBACK, '-p', String(port), '-w', options.outDir, '-I', COLLECTOR_IDENT, '-B', String(RECEIVE_BUFFER)];
    const child = spawn(options.nfcapd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC' } });
    const exited = new Promise<number | null>((resolve) => {
      child.on('exit', (code) => resolve(code));
      child.on('error', () => resolve(null)); // not started at all: there will be no exit event
    });
    const collector = new NfcapdCollector(port, options.outDir, child, exited);
    const onData = (b: Buffer) => (collector.#log += b.toString());
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    let failure: Error | null = null;
    child.on('error', (e: NodeJS.ErrnoException) => {
      failure = e.code === 'ENOENT' ? new ConfigError(`generate.collector.nfcapd: ${options.nfcapd} not found (Debian: apt-get install nfdump)`) : e;
    });
    const deadline = Date.now() + START_TIMEOUT_MS;
    try {
      while (!/Startup nfcapd/.test(collector.#log)) {
        if (failure) throw failure;
        if (child.exitCode !== null) throw new Error(`nfcapd exited at start-up (code ${child.exitCode}): ${collector.#log.trim()}`);
        if (Date.now() > deadline) throw new Error(`nfcapd did not start within ${START_TIMEOUT_MS / 1000} s: ${collector.#log.trim()}`);
        await sleep(10);
      }
    } catch (e) {
      child.kill('SIGKILL');
      await exited;
      throw e;
    }
    return collector;
  }

  /** Stops nfcapd cleanly so that it closes and renames its file, and lists the files. */
  async stop(): Promise<StoppedCollector> {
    this.child.kill('SIGTERM');
    // An unreferenced timer: it must not keep the process alive once nfcapd has exited.
    const code = await Promise.race([this.exited, sleep(STOP_TIMEOUT_MS, 'timeout' as const, { ref: false })]);
    if (code === 'timeout') {
      this.child.kill('SIGKILL');
      await this.exited;
      throw new Error(`nfcapd did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM`);
    }
    const files = (await readdir(this.outDir)).filter((f) => /^nfcapd\.\d{12}(\d{2})?$/.test(f)).sort();
    return { files: files.map((f) => join(this.outDir, f)), report: parseReport(this.#log) };
  }
}

/** Reads "Ident: 'x' Flows: 1, Packets: 2, Bytes: 3, Sequence Errors: 0, Bad Packets: 0", printed on exit. */
export function parseReport(log: string): CollectorReport | null {
  const m = /Flows: (\d+), Packets: (\d+), Bytes: \d+, Sequence Errors: (\d+), Bad Packets: (\d+)/.exec(log);
  return m ? { flows: Number(m[1]), packets: Number(m[2]), sequenceErrors: Number(m[3]), badPackets: Number(m[4]) } : null;
}

/** A UDP port nobody uses on loopback right now. */
async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, LOOPBACK, resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}
