import { z } from 'zod';
import { isTimeZone } from '../shared/time.js';

/** DNS, multicast DNS and LLMNR: the ports a capture's DNS messages use. */
export const DNS_PORTS = [53, 5353, 5355] as const;

const timeZone = z.string().refine(isTimeZone, 'an IANA time zone such as UTC or Europe/Paris');

export const ingestConfig = z
  .strictObject({
    workers: z.number().int().min(0).default(0).meta({ description: 'Files decoded at once; 0 uses one per core.' }),
    chunkRows: z
      .number()
      .int()
      .min(1000)
      .default(250_000)
      .meta({ description: "Lines of a tool's output (nfdump) loaded into the lake per step. Bounds memory: a larger file is loaded in chunks of this size." }),
    writerChunkRows: z
      .number()
      .int()
      .min(1000)
      .default(100_000)
      .meta({
        description:
          "Rows a decode worker writes as Parquet per step: two steps are written at once while a third fills. They must fit the worker's DuckDB memory (engine.duckdb.memoryLimit, 512MB by default in workers): wider steps spill to disk and slow ingest down.",
      }),
    maxLineBytes: z
      .number()
      .int()
      .min(1024)
      .default(1 << 20)
      .meta({ description: 'Longest text line a decoder accepts; longer lines are quarantined as line-too-long.' }),
    sensor: z.string().default('').meta({ description: 'Sensor name recorded on rows of sources that carry none (Zeek, Argus, CSV). Overridden by --sensor.' }),
    watch: z
      .strictObject({
        intervalSeconds: z.number().min(0.1).default(5).meta({ description: 'How often --watch rescans its folders.' }),
        settleSeconds: z.number().min(0).default(2).meta({ description: 'A file must be unchanged this long before --watch ingests it.' }),
      })
      .default({ intervalSeconds: 5, settleSeconds: 2 }),
    decoders: z
      .strictObject({
        nfdump: z
          .strictObject({
            binary: z.string().default('nfdump').meta({ description: 'nfdump executable used to read nfcapd files.' }),
          })
          .default({ binary: 'nfdump' }),
        flowExport: z
          .strictObject({
            nfcapd: z.string().default('nfcapd').meta({ description: 'nfcapd executable that collects replayed NetFlow v5/v9 and IPFIX exports (Debian package nfdump).' }),
            sfcapd: z.string().default('sfcapd').meta({ description: 'sfcapd executable that collects replayed sFlow v5 exports (Debian package nfdump-sflow).' }),
            packetsPerSecond: z
              .number()
              .int()
              .min(100)
              .default(20_000)
              .meta({ description: 'Pace at which export datagrams of captures and .dat files are replayed to the collectors on loopback, so that loopback drops nothing.' }),
            receiveStepMs: z
              .number()
              .int()
              .min(1)
              .max(60_000)
              .default(1)
              .meta({
                description:
                  'treceived of replayed exports is the capture time of their datagram, to within this many milliseconds. Each step costs about a millisecond of replay: raise it for captures of very many datagrams.',
              }),
          })
          .default({ nfcapd: 'nfcapd', sfcapd: 'sfcapd', packetsPerSecond: 20_000, receiveStepMs: 1 }),
        nfpcapd: z
          .strictObject({
            binary: z.string().default('nfpcapd').meta({ description: 'nfpcapd executable that turns ordinary packet captures into flows (Debian package nfdump).' }),
          })
          .default({ binary: 'nfpcapd' }),
        nfdumpCsv: z
          .strictObject({
            timeZone: timeZone.default('UTC').meta({ description: 'Time zone of the times in nfdump CSV files: nfdump prints local time unless TZ=UTC was set.' }),
          })
          .default({ timeZone: 'UTC' }),
        argus: z
          .strictObject({
            timeZone: timeZone.default('UTC').meta({ description: 'Time zone of Argus StartTime values: ra prints the local time of the machine that ran it.' }),
          })
          .default({ timeZone: 'UTC' }),
        dns: z
          .strictObject({
            ports: z
              .array(z.number().int().min(1).max(65535))
              .min(1)
              .default([...DNS_PORTS])
              .meta({ description: 'UDP and TCP ports whose packets are read as DNS in captures: 53, mDNS 5353 and LLMNR 5355 by default.' }),
            tshark: z.string().default('tshark').meta({ description: 'tshark executable of the tshark decoder (--decoder tshark), the reference the native decoder is checked against.' }),
          })
          .default({ ports: [...DNS_PORTS], tshark: 'tshark' }),
        proxy: z
          .strictObject({
            timeZone: timeZone
              .default('UTC')
              .meta({ description: 'Time zone of proxy log times that carry no offset (Blue Coat, W3C): UTC by the W3C convention; set it for proxies that log local time.' }),
          })
          .default({ timeZone: 'UTC' }),
      })
      .default({
        nfdump: { binary: 'nfdump' },
        flowExport: { nfcapd: 'nfcapd', sfcapd: 'sfcapd', packetsPerSecond: 20_000, receiveStepMs: 1 },
        nfpcapd: { binary: 'nfpcapd' },
        nfdumpCsv: { timeZone: 'UTC' },
        argus: { timeZone: 'UTC' },
        dns: { ports: [...DNS_PORTS], tshark: 'tshark' },
        proxy: { timeZone: 'UTC' },
      }),
  })
  .meta({ description: 'Reading telemetry files into the lake.' });

export type IngestConfig = z.infer<typeof ingestConfig>;
