import { z } from 'zod';

/** A data file: a path, or `npm:<package>/<file>` for a file a package ships (the default databases). */
const dataFile = z.string().min(1);

export const TI_LIST_FORMATS = ['auto', 'plain', 'csv', 'feodo', 'urlhaus', 'threatfox', 'sslbl'] as const;

const tiList = z.strictObject({
  path: dataFile.meta({ description: 'The list file.' }),
  format: z
    .enum(TI_LIST_FORMATS)
    .default('auto')
    .meta({
      description:
        'plain: one IP, CIDR, domain ("*.example.com" covers the apex too) or URL a line; csv: "indicator[,label[,level]]"; feodo, urlhaus, threatfox, sslbl: the abuse.ch exports; auto: recognised from the header comment, else plain.',
    }),
  source: z.string().regex(/^[A-Za-z0-9_.-]*$/, 'letters, digits, "_", "." or "-"').default('').meta({ description: 'Source name written into the verdicts; default: the file name without extension.' }),
  level: z.number().int().min(1).max(3).default(3).meta({ description: 'Level of a listed indicator when the line does not give one: 1 low, 2 medium, 3 high.' }),
});

const abuseIpDb = z.strictObject({
  enabled: z.boolean().default(false).meta({ description: 'Ask AbuseIPDB about external addresses (internal ones are never sent). Off by default: it sends addresses to a third party.' }),
  url: z.url().default('https://api.abuseipdb.com/api/v2/check').meta({ description: 'The APIv2 check endpoint.' }),
  apiKeyEnv: z.string().default('ABUSEIPDB_API_KEY').meta({ description: 'Environment variable holding the API key (kept out of config files).' }),
  maxAgeInDays: z.number().int().min(1).max(365).default(90).meta({ description: 'Reports older than this are ignored (the API\'s maxAgeInDays).' }),
  timeoutMs: z.number().int().min(100).default(5000).meta({ description: 'Timeout of one request.' }),
  requestsPerMinute: z.number().min(0.1).default(120).meta({ description: 'Rate limit: requests are spaced to stay under it.' }),
  maxLookupsPerRun: z.number().int().min(0).default(250).meta({ description: 'Most uncached addresses asked per run, which bounds its time (250 at 120 a minute: about 2 minutes; the free plan allows 1000 checks a day); the rest stay unverified (-1).' }),
  cacheHours: z.number().min(0).default(24).meta({ description: 'How long an answer is reused from the cache.' }),
  mediumAt: z.number().int().min(1).max(100).default(25).meta({ description: 'abuseConfidenceScore from which a verdict is medium (2); below it, any report is low (1).' }),
  highAt: z.number().int().min(1).max(100).default(75).meta({ description: 'abuseConfidenceScore from which a verdict is high (3).' }),
});

const geo = z.strictObject({
  enabled: z.boolean().default(true).meta({ description: 'Look up country, city, location and AS of addresses.' }),
  country: z
    .array(dataFile)
    .default(['npm:@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb'])
    .meta({ description: 'MMDB files giving the country (GeoLite2-Country, GeoIP2-Country, ip-location-db); the first that knows an address wins.' }),
  city: z
    .array(dataFile)
    .default([])
    .meta({ description: 'MMDB files giving city and coordinates (GeoLite2-City, GeoIP2-City, ip-location-db dbip-city); their country wins over `country`.' }),
  asn: z
    .array(dataFile)
    .default(['npm:@ip-location-db/asn/asn-ipv4.csv', 'npm:@ip-location-db/asn/asn-ipv6.csv'])
    .meta({ description: 'AS databases: MMDB (GeoLite2-ASN) or ip-location-db range CSV ("first,last,asn,organisation").' }),
});

const reputation = z.strictObject({
  lists: z.array(tiList).default([]).meta({ description: 'Local threat-intel lists (IPs, CIDRs, domains, URLs), e.g. abuse.ch feeds downloaded by cron.' }),
  abuseipdb: abuseIpDb.default(abuseIpDb.parse({})).meta({ description: 'AbuseIPDB reputation of IP addresses (online, off by default).' }),
  cacheDir: z.string().default('').meta({ description: 'Where online answers are cached; default <lake>/_cache/reputation.' }),
});

export const enrichConfig = z
  .strictObject({
    networkContext: z
      .string()
      .default('')
      .meta({ description: 'File of "address, CIDR or range a-b" → label lines (CSV or whitespace-separated), IPv4 and IPv6; the most specific entry wins. Empty: no labels.' }),
    geo: geo.default(geo.parse({})).meta({ description: 'Geolocation and autonomous systems.' }),
    reputation: reputation.default(reputation.parse({})).meta({ description: 'Reputation of addresses, domains and URLs, on Spot\'s scale: -1 unverified, 0 none, 1 low, 2 medium, 3 high.' }),
  })
  .meta({ description: 'Enrichment: network context, geolocation and AS, reputation, IANA names, registered domains.' });

export type EnrichConfig = z.infer<typeof enrichConfig>;
export type TiListConfig = z.infer<typeof tiList>;
export type AbuseIpDbConfig = z.infer<typeof abuseIpDb>;
