import { createSocket, type Socket } from 'node:dgram';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FlowCollector, LOOPBACK, PacedSender, sendUdp, type CollectorKind, type CollectorReport } from '../collector/index.js';
import { COLLECTOR_OF, type ExportKind } from './export-message.js';
import { ReceiveClock } from './receive-clock.js';

/** One export datagram to replay, as the exporter sent it. */
export interface ExportDatagram {
  /** The exporter's address (the capture's IP source), canonical text. */
  readonly exporter: string;
  readonly kind: ExportKind;
  readonly payload: Buffer;
  /** When it was captured, epoch microseconds (the receive time it stands for). */
  readonly micros: number;
}

export interface ReplayOptions {
  readonly nfcapd: string;
  readonly sfcapd: string;
  /** The collectors write into <outDir>/nfcapd and <outDir>/sfcapd. */
  readonly outDir: string;
  /** Ident written into the files, when a sensor is configured. */
  readonly ident?: string;
  readonly packetsPerSecond: number;
  /** Datagrams captured within this many milliseconds share one replay step (and receive time). */
  readonly stepMs: number;
}

export interface ReplayResult {
  /** nfcapd files per collector, in name order. */
  readonly files: Readonly<Record<CollectorKind, readonly string[]>>;
  /** Loopback source address of each replayed exporter → the exporter's real address. */
  readonly exporters: ReadonlyMap<string, string>;
  readonly clock: ReceiveClock;
  readonly sent: Readonly<Record<ExportKind, number>>;
  /** Datagrams the collector never echoed: lost on loopback. */
  readonly lost: number;
  /** What each collector reported, the replay's own barrier datagrams taken out. */
  readonly reports: Readonly<Partial<Record<CollectorKind, CollectorReport>>>;
}

/** The barrier datagram: one byte, which the collector repeats, then counts as a bad packet and drops. */
const BARRIER = Buffer.of(0);
/** How long the echo of a step may take before its missing datagrams count as lost. */
const ECHO_TIMEOUT_MS = 5_000;
/** Replayed exporters get 127.77.0.1, 127.77.0.2 …: distinct, so the collector keeps templates per exporter. */
const FIRST_OCTETS = 127 * 256 + 77;

/**
 * Replays export datagrams, in capture order, to private collectors on loopback, as the exporters
 * would have sent them: one sender socket per exporter, bound to its own loopback address (nfcapd
 * keys exporters, sequence numbers and v9/IPFIX templates by source address), paced so that
 * loopback drops nothing. The collectors repeat every datagram to an echo socket (-R), so the
 * replay knows what they have received.
 *
 * The collectors stamp flows with their own wall clock. To give flows the capture time of their
 * datagram instead, datagrams are sent in steps: a step holds the datagrams captured within one
 * stepMs; after a step a barrier datagram goes to each collector, and the next step starts only
 * after its echo came back and the wall clock has moved on by a millisecond. The collector
 * processes datagrams one at a time, in order, so every flow of a step has a receive time inside
 * the step's wall-clock window, which the ReceiveClock maps back to the capture time.
 */
export class ExportReplay {
  readonly #collectors = new Map<CollectorKind, FlowCollector>();
  readonly #starting = new Map<CollectorKind, Promise<FlowCollector>>();
  readonly #senders = new Map<string, { socket: Socket; address: string }>();
  readonly #exporters = new Map<string, string>();
  readonly #clock = new ReceiveClock();
  readonly #sent: Record<ExportKind, number> = { 'netflow-v5': 0, 'netflow-v9': 0, ipfix: 0, sflow: 0 };
  readonly #barriers: Record<CollectorKind, number> = { nfcapd: 0, sfcapd: 0 };
  readonly #pace: PacedSender;
  #echoed = 0;
  #expected = 0;
  #lost = 0;
  #step = Number.NaN;
  #sentInStep = false;
  #echoWaiter: (() => void) | null = null;

  private constructor(
    private readonly options: ReplayOptions,
    private readonly echo: Socket,
    private readonly barrier: Socket,
  ) {
    this.#pace = new PacedSender(options.packetsPerSecond);
    echo.on('message', () => {
      this.#echoed++;
      if (this.#echoed >= this.#expected) this.#echoWaiter?.();
    });
  }

  static async open(options: ReplayOptions): Promise<ExportReplay> {
    const echo = await bound(LOOPBACK);
    const barrier = await bound(LOOPBACK);
    return new ExportReplay(options, echo, barrier);
  }

  /** Send one datagram; resolves when the next may be sent. */
  async send(d: ExportDatagram): Promise<void> {
    const step = Math.floor(d.micros / (this.options.stepMs * 1000));
    if (step !== this.#step) {
      await this.#barrier();
      this.#step = step;
      this.#clock.startStep(Date.now(), d.micros);
    }
    const collector = await this.#collector(COLLECTOR_OF[d.kind]);
    const sender = await this.#sender(d.exporter);
    await this.#pace.take();
    this.#expected++;
    await sendUdp(sender.socket, d.payload, collector.port);
    this.#sent[d.kind]++;
    this.#sentInStep = true;
  }

  /** Wait for the last step, stop the collectors and say what they stored. */
  async finish(): Promise<ReplayResult> {
    await this.#barrier();
    const files: Record<CollectorKind, string[]> = { nfcapd: [], sfcapd: [] };
    const reports: Partial<Record<CollectorKind, CollectorReport>> = {};
    try {
      for (const [kind, collector] of this.#collectors) {
        const stopped = await collector.stop();
        files[kind] = stopped.files;
        if (stopped.report) reports[kind] = { ...stopped.report, badPackets: Math.max(0, stopped.report.badPackets - this.#barriers[kind]) };
      }
    } finally {
      await this.#close();
    }
    return { files, exporters: this.#exporters, clock: this.#clock, sent: { ...this.#sent }, lost: this.#lost, reports };
  }

  /** Stop everything without reading what was collected. */
  async abort(): Promise<void> {
    for (const collector of this.#collectors.values()) await collector.kill();
    await this.#close();
  }

  /** Everything sent so far has been processed once this resolves, and the wall clock is past it. */
  async #barrier(): Promise<void> {
    if (!this.#sentInStep) return;
    for (const [kind, collector] of this.#collectors) {
      this.#expected++;
      this.#barriers[kind]++;
      await sendUdp(this.barrier, BARRIER, collector.port);
    }
    if (this.#echoed < this.#expected) {
      const echoed = new Promise<void>((resolve) => (this.#echoWaiter = resolve));
      const outcome = await Promise.race([echoed.then(() => 'echoed' as const), sleep(ECHO_TIMEOUT_MS, 'timeout' as const, { ref: false })]);
      this.#echoWaiter = null;
      if (outcome === 'timeout') {
        this.#lost += this.#expected - this.#echoed;
        this.#echoed = this.#expected;
      }
    }
    const echoedAt = Date.now();
    while (Date.now() <= echoedAt) await sleep(1);
    this.#sentInStep = false;
  }

  async #collector(kind: CollectorKind): Promise<FlowCollector> {
    const running = this.#collectors.get(kind);
    if (running) return running;
    let starting = this.#starting.get(kind);
    if (!starting) {
      starting = this.#startCollector(kind);
      this.#starting.set(kind, starting);
    }
    return starting;
  }

  async #startCollector(kind: CollectorKind): Promise<FlowCollector> {
    const outDir = join(this.options.outDir, kind);
    await mkdir(outDir, { recursive: true });
    const collector = await FlowCollector.start({
      binary: kind === 'nfcapd' ? this.options.nfcapd : this.options.sfcapd,
      kind,
      port: 0,
      outDir,
      configKey: `ingest.decoders.flowExport.${kind}`,
      repeatPort: this.echo.address().port,
      ...(this.options.ident ? { ident: this.options.ident } : {}),
    });
    this.#collectors.set(kind, collector);
    return collector;
  }

  async #sender(exporter: string): Promise<{ socket: Socket; address: string }> {
    let sender = this.#senders.get(exporter);
    if (!sender) {
      const n = FIRST_OCTETS * 65536 + this.#senders.size + 1;
      const address = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
      sender = { socket: await bound(address), address };
      this.#senders.set(exporter, sender);
      this.#exporters.set(address, exporter);
    }
    return sender;
  }

  async #close(): Promise<void> {
    const sockets = [this.echo, this.barrier, ...[...this.#senders.values()].map((s) => s.socket)];
    await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

async function bound(address: string): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, address, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return socket;
}
