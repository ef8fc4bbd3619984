import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { nfdumpStat } from '../shared/nfdump.js';
import { ConfigError, UsageError } from '../shared/errors.js';
import { parseUtcDate } from '../shared/time.js';
import { DAY } from './calendar.js';
import { FlowCollector, sendPaced, waitUntilRead, type CollectorReport, type SendResult } from '../ingest/flow/collector/index.js';
import type { GenerateConfig } from './config.js';
import { DnsCaptureWriter, type DnsCaptureSummary } from './dns/capture.js';
import { writeLabels } from './labels.js';
import { netflowV9Packets } from './netflow-v9.js';
import { ProxyLogWriter, type ProxyLogSummary } from './proxy/index.js';
import { exportRecords } from './records.js';
import { buildScenario } from './scenario.js';
import { generationDays, labelsFor, streamSessions, type SessionBatch } from './timeline.js';

/** The simulated router booted this long before the first generated day (sysUptime must stay under 2^32 ms). */
const UPTIME_AT_START = 3 * DAY;
/** NetFlow v9 source id (observation domain) of the simulated router. */
export const SOURCE_ID = 1;
/** Ident nfcapd writes into the generated files: the sensor of their rows once ingested. */
export const COLLECTOR_IDENT = 'spothreat-gen';

export interface GenerateOptions {
  /** Receives nfcapd/, dns/, proxy/ and labels.csv. */
  readonly outDir: string;
  /** Dates to generate (YYYY-MM-DD); by default those of the config (generate.date, generate.days). */
  readonly days?: readonly string[];
}

export interface GenerateResult {
  readonly days: readonly string[];
  readonly nfcapdFiles: readonly string[];
  /** Hourly DNS capture files, in time order (none when generate.dns is off). */
  readonly dnsFiles: readonly string[];
  /** DNS messages and packets in them. */
  readonly dnsMessages: number;
  readonly dnsPackets: number;
  /** Hourly proxy log files, sorted by name (none when generate.proxy is off). */
  readonly proxyFiles: readonly string[];
  /** Lines in them (requests; headers not counted). */
  readonly proxyLines: number;
  readonly labelsPath: string;
  readonly recordsSent: number;
  readonly packetsSent: number;
  readonly collector: {
    /** Flows in nfcapd's files, summed from their stat records (nfdump -I). */
    readonly flows: number;
    readonly sequenceFailures: number;
    /** Datagrams the kernel dropped on nfcapd's socket (Linux), or null where it cannot be read. */
    readonly kernelDrops: number | null;
    /** nfcapd's own summary on exit. */
    readonly report: CollectorReport | null;
  };
}

/**
 * Generates the configured days: labels.csv from the plan, then every record encoded as
 * NetFlow v9 and sent, paced, to a real nfcapd on loopback, which writes <outDir>/nfcapd/; on
 * the same pass over the sessions, their DNS packets go to hourly captures in <outDir>/dns/ and
 * their web requests to hourly proxy logs in <outDir>/proxy/.
 * Throws when nfcapd stored fewer flows than were sent, or saw sequence failures.
 */
export async function generate(config: GenerateConfig, options: GenerateOptions): Promise<GenerateResult> {
  const days = options.days ?? generationDays(config);
  const bootTime = parseUtcDate(days[0]!) - UPTIME_AT_START;
  const last = days[days.length - 1]!;
  if (parseUtcDate(last) + 2 * DAY - bootTime >= 2 ** 32) throw new UsageError(`${days[0]} to ${last}: too long for one exporter's sysUptime (49 days)`);
  const flowDir = join(options.outDir, 'nfcapd');
  await mkdir(flowDir, { recursive: true });
  const leftovers = (await readdir(flowDir)).filter((f) => f.startsWith('nfcapd.'));
  if (leftovers.length) throw new UsageError(`${flowDir} already holds nfcapd files (${leftovers[0]} …): generate into an empty folder`);
  const dnsDir = join(options.outDir, 'dns');
  if (config.dns) {
    await mkdir(dnsDir, { recursive: true });
    const old = (await readdir(dnsDir)).filter((f) => f.startsWith('dns-'));
    if (old.length) throw new UsageError(`${dnsDir} already holds captures (${old[0]} …): generate into an empty folder`);
  }
  const proxyDir = join(options.outDir, 'proxy');
  if (config.proxy) {
    await mkdir(proxyDir, { recursive: true });
    const old = (await readdir(proxyDir)).filter((f) => f.endsWith('.log'));
    if (old.length) throw new UsageError(`${proxyDir} already holds proxy logs (${old[0]} …): generate into an empty folder`);
  }
  const labelsPath = join(options.outDir, 'labels.csv');
  await writeLabels(labelsPath, labelsFor(config, days));

  const collector = await FlowCollector.start({
    binary: config.collector.nfcapd,
    port: config.collector.port,
    outDir: flowDir,
    ident: COLLECTOR_IDENT,
    configKey: 'generate.collector.nfcapd',
  });
  let recordsSent = 0;
  let sent: SendResult;
  let kernelDrops: number | null;
  const scenario = buildScenario(config.seed, config.workstations);
  const capture = config.dns ? new DnsCaptureWriter(scenario.network, { dir: dnsDir, gzip: config.dnsGzip }) : null;
  const proxyLog = config.proxy ? new ProxyLogWriter(scenario.network, { dir: proxyDir }) : null;
  let dns: DnsCaptureSummary = { files: [], packets: 0, messages: 0, bytes: 0, peakFrames: 0 };
  let proxy: ProxyLogSummary = { files: [], lines: 0, bytes: 0, peakRequests: 0 };
  try {
    // One pass over the sessions: the capture and the proxy logs write each batch as the exporter takes it.
    const batches = watch(streamSessions(scenario, days, config.scale), (batch) => {
      capture?.add(batch);
      proxyLog?.add(batch);
    });
    const records = countRecords(exportRecords(config, scenario.network, batches), () => recordsSent++);
    const packets = netflowV9Packets(records, { sourceId: SOURCE_ID, bootTime });
    sent = await sendPaced(packets, collector.port, config.collector.packetsPerSecond);
    if (capture) dns = capture.close();
    if (proxyLog) proxy = proxyLog.close();
    kernelDrops = await waitUntilRead(collector.port);
  } catch (e) {
    await collector.stop().catch(() => undefined);
    for (const writer of [capture, proxyLog]) {
      try {
        writer?.close();
      } catch {
        // The first failure is the one to report.
      }
    }
    throw e;
  }
  const stopped = await collector.stop();

  let flows = 0;
  let sequenceFailures = 0;
  for (const file of stopped.files) {
    const stat = await nfdumpStat(config.collector.nfdump, file).catch((e: NodeJS.ErrnoException) => {
      throw e.code === 'ENOENT' ? new ConfigError(`generate.collector.nfdump: ${config.collector.nfdump} not found (Debian: apt-get install nfdump)`) : e;
    });
    flows += stat.flows ?? 0;
    sequenceFailures += stat.sequenceFailures ?? 0;
  }
  const result: GenerateResult = {
    days,
    nfcapdFiles: stopped.files,
    dnsFiles: dns.files,
    dnsMessages: dns.messages,
    dnsPackets: dns.packets,
    proxyFiles: proxy.files,
    proxyLines: proxy.lines,
    labelsPath,
    recordsSent,
    packetsSent: sent.packets,
    collector: { flows, sequenceFailures, kernelDrops, report: stopped.report },
  };
  if (flows !== recordsSent || sequenceFailures > 0) {
    throw new ConfigError(
      `nfcapd stored ${flows} of ${recordsSent} flows (${sequenceFailures} sequence failures, ${kernelDrops ?? 'unknown'} datagrams dropped by the kernel): ` +
        `lower generate.collector.packetsPerSecond (now ${config.collector.packetsPerSecond})`,
    );
  }
  return result;
}

/** One day: the first of the config's days, or the given one. */
export function generateDay(config: GenerateConfig, options: { readonly outDir: string; readonly day?: string }): Promise<GenerateResult> {
  return generate(config, { outDir: options.outDir, days: [options.day ?? generationDays(config)[0]!] });
}

function* watch(batches: Iterable<SessionBatch>, see: (batch: SessionBatch) => void): Generator<SessionBatch> {
  for (const batch of batches) {
    see(batch);
    yield batch;
  }
}

function* countRecords<T>(items: Iterable<T>, count: () => void): Generator<T> {
  for (const item of items) {
    count();
    yield item;
  }
}
