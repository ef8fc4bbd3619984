import { z } from 'zod';

export const generateConfig = z
  .strictObject({
    date: z
      .string()
      .regex(/^(\d{4}-\d{2}-\d{2})?$/, 'a date YYYY-MM-DD, or empty for yesterday (UTC)')
      .default('')
      .meta({ description: 'First day to generate (UTC), YYYY-MM-DD. Empty: yesterday.' }),
    days: z.number().int().min(1).max(31).default(1).meta({ description: 'Number of consecutive days.' }),
    workstations: z.number().int().min(10).max(50_000).default(150).meta({ description: 'Workstations in the synthetic enterprise.' }),
    scale: z
      .number()
      .positive()
      .max(10_000)
      .default(1)
      .meta({ description: 'Multiplies the background activity per host; attacks keep their size. 1 gives about 2,000 flow records per workstation on a weekday, servers included.' }),
    seed: z.number().int().min(0).default(42).meta({ description: 'Random seed: the same seed and settings give the same day, flow for flow.' }),
    dns: z
      .boolean()
      .default(true)
      .meta({ description: 'Also write the DNS packets of the same sessions as hourly capture files, dns/dns-YYYYMMDD-HH.pcap beside nfcapd/.' }),
    dnsGzip: z.boolean().default(false).meta({ description: 'Compress the DNS capture files (.pcap.gz), as a tap rotating with gzip does.' }),
    proxy: z
      .boolean()
      .default(true)
      .meta({
        description:
          'Also write the web proxy logs of the same sessions, hourly files beside nfcapd/: proxy/bluecoat-hq-YYYYMMDD-HH.log (Blue Coat ELFF, head office) and proxy/squid-branch-YYYYMMDD-HH.log (Squid native, branch office).',
      }),
    collector: z
      .strictObject({
        nfcapd: z.string().default('nfcapd').meta({ description: 'nfcapd executable that collects the generated NetFlow.' }),
        nfdump: z.string().default('nfdump').meta({ description: 'nfdump executable that checks what nfcapd stored.' }),
        port: z.number().int().min(0).max(65535).default(0).meta({ description: 'UDP port on 127.0.0.1 for nfcapd; 0 picks a free one.' }),
        packetsPerSecond: z
          .number()
          .int()
          .min(100)
          .default(20_000)
          .meta({ description: 'Pace of the NetFlow sender, so that loopback UDP drops nothing.' }),
      })
      .default({ nfcapd: 'nfcapd', nfdump: 'nfdump', port: 0, packetsPerSecond: 20_000 }),
    exporter: z
      .strictObject({
        activeTimeoutSeconds: z
          .number()
          .int()
          .min(60)
          .max(3600)
          .default(1800)
          .meta({ description: 'The simulated router exports a flow still active after this long and starts a new record.' }),
        inactiveTimeoutSeconds: z.number().int().min(1).max(600).default(15).meta({ description: 'The simulated router exports a flow idle this long.' }),
      })
      .default({ activeTimeoutSeconds: 1800, inactiveTimeoutSeconds: 15 }),
  })
  .meta({ description: 'The synthetic network generator (spothreat generate, spothreat demo).' });

export type GenerateConfig = z.infer<typeof generateConfig>;
