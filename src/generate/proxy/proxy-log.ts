import type { GenerateConfig } from '../config.js';
import type { Network } from '../network.js';
import { buildScenario } from '../scenario.js';
import { generationDays, streamSessions, type SessionBatch } from '../timeline.js';
import { bluecoatHeader, bluecoatLine } from './bluecoat-format.js';
import { connectionRequests } from './connection.js';
import { HourlyLogFiles } from './log-files.js';
import type { ProxyRequest } from './request.js';
import { proxyRequestRow, type ProxyRequestRow } from './rows.js';
import { ProxyTopology, SENSORS, type ProxySensor } from './sensors.js';
import { SiteCatalog } from './sites.js';
import { squidLine } from './squid-format.js';

/** A request and the proxy that logged it. */
export interface LoggedRequest {
  readonly sensor: ProxySensor;
  readonly request: ProxyRequest;
}

/**
 * The proxies' logs of a stream of session batches: renders the sessions that cross a proxy and
 * releases their requests in the order they completed. A batch's sessions start in its window
 * and later batches' after it, so once a batch is in, every request that completed before the
 * window's end is final; those of connections still open wait. Only what is still open is held.
 */
export class ProxyLog {
  readonly #topology: ProxyTopology;
  readonly #catalog: SiteCatalog;
  #pending: LoggedRequest[] = [];
  /** Most requests held at once: the log's memory bound, for tests. */
  maxPending = 0;

  constructor(network: Network) {
    this.#topology = new ProxyTopology(network);
    this.#catalog = new SiteCatalog(network.internet);
  }

  add(batch: SessionBatch): LoggedRequest[] {
    for (const s of batch.sessions) {
      const client = this.#topology.clientOf(s);
      if (client) for (const request of connectionRequests(s, client, this.#catalog)) this.#pending.push({ sensor: client.sensor, request });
    }
    this.maxPending = Math.max(this.maxPending, this.#pending.length);
    return this.#release(batch.window.end);
  }

  /** Whatever is left once the last batch is in. */
  finish(): LoggedRequest[] {
    return this.#release(Infinity);
  }

  #release(before: number): LoggedRequest[] {
    this.#pending.sort((a, b) => a.request.end - b.request.end);
    let n = 0;
    while (n < this.#pending.length && this.#pending[n]!.request.end < before) n++;
    const out = this.#pending.slice(0, n);
    this.#pending = this.#pending.slice(n);
    return out;
  }
}

export interface ProxyLogSummary {
  /** Every file written, sorted by name (the sensor, then the hour). */
  readonly files: readonly string[];
  readonly lines: number;
  readonly bytes: number;
  /** Most requests held in memory at once, waiting for their turn. */
  readonly peakRequests: number;
}

/** Writes each proxy's log of the batches it is given into hourly files, as they come. */
export class ProxyLogWriter {
  readonly #log: ProxyLog;
  readonly #files = new Map<ProxySensor, HourlyLogFiles>();

  constructor(network: Network, options: { readonly dir: string }) {
    this.#log = new ProxyLog(network);
    for (const sensor of SENSORS) {
      const header = sensor.format === 'bluecoat' ? (start: number) => bluecoatHeader(start, sensor) : () => '';
      this.#files.set(sensor, new HourlyLogFiles(options.dir, sensor.name, header));
    }
  }

  add(batch: SessionBatch): void {
    this.#write(this.#log.add(batch));
  }

  /** Writes what is left and closes the last files. */
  close(): ProxyLogSummary {
    this.#write(this.#log.finish());
    const all = [...this.#files.values()];
    const files = all.flatMap((f) => f.close()).sort();
    return { files, lines: sum(all.map((f) => f.lines)), bytes: sum(all.map((f) => f.bytes)), peakRequests: this.#log.maxPending };
  }

  #write(requests: readonly LoggedRequest[]): void {
    for (const { sensor, request } of requests) {
      const line = sensor.format === 'bluecoat' ? bluecoatLine(request, sensor) : squidLine(request);
      this.#files.get(sensor)!.write(request.end, line);
    }
  }
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** Every logged request of the given dates, in log order (by completion). */
export function* generateProxyRequests(config: GenerateConfig, days: readonly string[] = generationDays(config)): Generator<LoggedRequest> {
  const scenario = buildScenario(config.seed, config.workstations);
  const log = new ProxyLog(scenario.network);
  for (const batch of streamSessions(scenario, days, config.scale)) yield* log.add(batch);
  yield* log.finish();
}

/**
 * For every line the generator writes to the proxy logs of the given dates, the row the lake's
 * proxy table should hold, with the name of the log's proxy: the reference a decoder's output is
 * compared with, field for field. Streams, and is deterministic as the logs are.
 */
export function* generateProxyRows(config: GenerateConfig, days: readonly string[] = generationDays(config)): Generator<{ readonly sensor: string; readonly row: ProxyRequestRow }> {
  for (const { sensor, request } of generateProxyRequests(config, days)) yield { sensor: sensor.name, row: proxyRequestRow(request, sensor.format) };
}

/**
 * Only the proxy logs of the given dates, without the flows and the DNS capture (which need
 * nfcapd): for benchmarks and tests of the proxy decoders. The sessions are the same.
 */
export function writeProxyLogs(config: GenerateConfig, dir: string, days: readonly string[] = generationDays(config)): ProxyLogSummary {
  const scenario = buildScenario(config.seed, config.workstations);
  const writer = new ProxyLogWriter(scenario.network, { dir });
  for (const batch of streamSessions(scenario, days, config.scale)) writer.add(batch);
  return writer.close();
}
