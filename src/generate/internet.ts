import { canonicalIp, numberToIpv4, ipv4ToNumber, parseCidr } from '../shared/ip.js';
import { expandIpv6 } from './address-bytes.js';
import type { Prng } from './prng.js';

/**
 * The internet as the enterprise sees it: providers (an AS with its prefixes) and the services
 * hosted there (a name, a few addresses, a weight for how often users go there). Benign
 * services sit in their real providers' address space so that AS and geo enrichment look
 * right. Attacker infrastructure uses the documentation prefixes (RFC 5737) and ASNs
 * (RFC 5398), so the synthetic attacks never point at anybody's real address.
 */

export interface Provider {
  readonly asn: number;
  readonly name: string;
  readonly v4: readonly string[];
  readonly v6: readonly string[];
}

export type ServiceKind = 'web' | 'update' | 'resolver' | 'ntp' | 'mx' | 'client' | 'attacker';

export interface Service {
  readonly name: string;
  readonly kind: ServiceKind;
  readonly provider: Provider;
  /** Relative popularity among services of the same kind. */
  readonly weight: number;
  readonly v4: readonly string[];
  readonly v6: readonly string[];
}

const P = (asn: number, name: string, v4: string[], v6: string[] = []): Provider => ({ asn, name, v4, v6 });

export const PROVIDERS = {
  google: P(15169, 'GOOGLE', ['142.250.0.0/15', '172.217.0.0/16'], ['2a00:1450::/32']),
  microsoft: P(8075, 'MICROSOFT-CORP-MSN-AS-BLOCK', ['20.190.128.0/18', '52.96.0.0/12', '13.107.0.0/16'], ['2603:1000::/25']),
  amazon: P(16509, 'AMAZON-02', ['52.84.0.0/15', '54.230.0.0/16', '3.5.0.0/16'], ['2600:9000::/28']),
  cloudflare: P(13335, 'CLOUDFLARENET', ['104.16.0.0/13', '172.64.0.0/13', '1.1.1.0/24', '1.0.0.0/24'], ['2606:4700::/32']),
  akamai: P(20940, 'AKAMAI-ASN1', ['23.192.0.0/11', '2.16.0.0/13'], ['2a02:26f0::/29']),
  fastly: P(54113, 'FASTLY', ['151.101.0.0/16', '199.232.0.0/16'], ['2a04:4e42::/32']),
  meta: P(32934, 'FACEBOOK', ['157.240.0.0/16', '31.13.64.0/18'], ['2a03:2880::/32']),
  apple: P(714, 'APPLE-ENGINEERING', ['17.0.0.0/8'], ['2620:149::/32']),
  salesforce: P(14340, 'SALESFORCE', ['136.146.0.0/15']),
  zoom: P(30103, 'ZOOM-VIDEO-COMM-AS', ['170.114.0.0/16']),
  github: P(36459, 'GITHUB', ['140.82.112.0/20']),
  dropbox: P(19679, 'DROPBOX', ['162.125.0.0/16']),
  wikimedia: P(14907, 'WIKIMEDIA', ['185.15.58.0/23'], ['2a02:ec80::/29']),
  canonical: P(41231, 'CANONICAL-AS', ['185.125.188.0/22', '91.189.88.0/21']),
  quad9: P(19281, 'QUAD9-AS-1', ['9.9.9.0/24', '149.112.112.0/24'], ['2620:fe::/48']),
  hetzner: P(24940, 'HETZNER-AS', ['5.9.0.0/16', '88.198.0.0/16']),
  ovh: P(16276, 'OVH', ['51.68.0.0/16', '137.74.0.0/16']),
  digitalocean: P(14061, 'DIGITALOCEAN-ASN', ['104.131.0.0/16', '159.65.0.0/16']),
  proofpoint: P(26211, 'PROOFPOINT-ASN-US-EAST', ['148.163.128.0/19']),
  mimecast: P(30031, 'MIMECAST-US', ['205.139.110.0/24']),
  comcast: P(7922, 'COMCAST-7922', ['73.0.0.0/8']),
  telekom: P(3320, 'DTAG', ['79.192.0.0/10']),
  orange: P(3215, 'FRANCE-TELECOM', ['90.0.0.0/9']),
  bt: P(2856, 'BT-UK-AS', ['86.128.0.0/10']),
  c2Host: P(64500, 'DOCUMENTATION-ASN-C2', ['203.0.113.0/24']),
  dropHost: P(64501, 'DOCUMENTATION-ASN-STORAGE', ['198.51.100.0/24']),
  scanHost: P(64502, 'DOCUMENTATION-ASN-SCANNER', ['192.0.2.0/24']),
} as const;

type ProviderKey = keyof typeof PROVIDERS;

/** [name, provider, weight, addresses]; every provider with IPv6 prefixes serves IPv6 too. */
const WEB: readonly (readonly [string, ProviderKey, number])[] = [
  ['www.google.com', 'google', 10], ['fonts.gstatic.com', 'google', 6], ['www.youtube.com', 'google', 4], ['mail.google.com', 'google', 2],
  ['outlook.office365.com', 'microsoft', 8], ['teams.microsoft.com', 'microsoft', 8], ['login.microsoftonline.com', 'microsoft', 6],
  ['www.bing.com', 'microsoft', 2], ['www.linkedin.com', 'microsoft', 3], ['sharepoint.com', 'microsoft', 4],
  ['www.amazon.com', 'amazon', 2], ['s3.amazonaws.com', 'amazon', 3], ['d3k9mgbn6ab1.cloudfront.net', 'amazon', 4], ['app.slack.com', 'amazon', 3],
  ['cdnjs.cloudflare.com', 'cloudflare', 5], ['www.cloudflare.com', 'cloudflare', 1], ['static.akamaized.net', 'akamai', 6],
  ['www.apple.com', 'apple', 2], ['www.facebook.com', 'meta', 2], ['github.com', 'github', 2], ['www.dropbox.com', 'dropbox', 2],
  ['example.my.salesforce.com', 'salesforce', 4], ['zoom.us', 'zoom', 3], ['en.wikipedia.org', 'wikimedia', 2],
  ['www.bbc.co.uk', 'fastly', 2], ['www.nytimes.com', 'fastly', 2],
];

const UPDATE: readonly (readonly [string, ProviderKey, number])[] = [
  ['download.windowsupdate.com', 'akamai', 5], ['officecdn.microsoft.com', 'microsoft', 3], ['update.googleapis.com', 'google', 3],
  ['swcdn.apple.com', 'apple', 1], ['deb.debian.org', 'fastly', 2], ['security.ubuntu.com', 'canonical', 2], ['definitions.avvendor.net', 'akamai', 3],
];

const WORDS = ['blue', 'river', 'stone', 'pixel', 'maple', 'north', 'cloud', 'forge', 'lumen', 'orbit', 'cedar', 'delta', 'ember', 'harbor', 'iris', 'juniper'];
const TLDS = ['com', 'net', 'org', 'io', 'de', 'fr', 'co.uk'];
const LONG_TAIL_HOSTS: readonly ProviderKey[] = ['hetzner', 'ovh', 'digitalocean', 'cloudflare', 'amazon', 'fastly'];

export interface Internet {
  readonly providers: readonly Provider[];
  readonly web: readonly Service[];
  readonly updates: readonly Service[];
  readonly resolvers: Service;
  readonly ntp: Service;
  readonly mx: readonly Service[];
  /** Residential addresses that visit the public web site, spread over several consumer ISPs. */
  readonly clients: Service;
  readonly attackers: {
    readonly c2: Service;
    readonly relay: Service;
    readonly dropzone: Service;
    readonly scanner: Service;
    /** The name server of a DNS tunnel, which its client also queries directly. */
    readonly tunnel: Service;
  };
}

export function buildInternet(prng: Prng): Internet {
  const make = (name: string, kind: ServiceKind, key: ProviderKey, weight: number, count = 4): Service => {
    const provider = PROVIDERS[key];
    const r = prng.fork(`service/${name}`);
    const v4 = Array.from({ length: count }, () => addressIn(r, r.pick(provider.v4)));
    const v6 = provider.v6.length ? Array.from({ length: count }, () => addressIn(r, r.pick(provider.v6))) : [];
    return { name, kind, provider, weight, v4, v6 };
  };
  const tail = prng.fork('long-tail');
  const longTail = Array.from({ length: 160 }, (_, i) => {
    const name = `www.${tail.pick(WORDS)}${tail.pick(WORDS)}${i}.${tail.pick(TLDS)}`;
    return make(name, 'web', tail.pick(LONG_TAIL_HOSTS), 0.25, 1);
  });
  return {
    providers: Object.values(PROVIDERS),
    web: [...WEB.map(([n, p, w]) => make(n, 'web', p, w)), ...longTail],
    updates: UPDATE.map(([n, p, w]) => make(n, 'update', p, w)),
    resolvers: fixed('dns.quad9.net', 'resolver', PROVIDERS.quad9, ['9.9.9.9', '149.112.112.112'], ['2620:fe::fe', '2620:fe::9']),
    ntp: make('pool.ntp.org', 'ntp', 'hetzner', 1, 4),
    mx: [
      make('aspmx.l.google.com', 'mx', 'google', 4, 2),
      make('mail.protection.outlook.com', 'mx', 'microsoft', 5, 3),
      make('mx.pphosted.com', 'mx', 'proofpoint', 2, 2),
      make('eu-smtp-inbound.mimecast.com', 'mx', 'mimecast', 1, 2),
    ],
    clients: { name: 'residential', kind: 'client', provider: PROVIDERS.comcast, weight: 1, v4: clientAddresses(prng.fork('clients')), v6: [] },
    attackers: {
      c2: fixed('cdn-telemetry-sync.net', 'attacker', PROVIDERS.c2Host, ['203.0.113.45'], []),
      relay: fixed('relay.cdn-telemetry-sync.net', 'attacker', PROVIDERS.c2Host, ['203.0.113.178'], []),
      dropzone: fixed('files-archive-backup.org', 'attacker', PROVIDERS.dropHost, ['198.51.100.23'], []),
      scanner: fixed('scanner.invalid', 'attacker', PROVIDERS.scanHost, ['192.0.2.66'], []),
      tunnel: fixed('ns1.relay-k7.example', 'attacker', PROVIDERS.c2Host, ['203.0.113.53'], []),
    },
  };
}

function fixed(name: string, kind: ServiceKind, provider: Provider, v4: string[], v6: string[]): Service {
  return { name, kind, provider, weight: 1, v4, v6 };
}

/** A few thousand visitors of the public web site, spread over consumer ISPs. */
function clientAddresses(prng: Prng): string[] {
  const isps = [PROVIDERS.comcast, PROVIDERS.telekom, PROVIDERS.orange, PROVIDERS.bt];
  return Array.from({ length: 3000 }, () => addressIn(prng, prng.pick(prng.pick(isps).v4)));
}

/** A random host address inside a prefix (never the network or the all-ones address). */
export function addressIn(prng: Prng, cidr: string): string {
  const c = parseCidr(cidr);
  if (c.family === 4) {
    const size = 2 ** (32 - c.prefix);
    return numberToIpv4(ipv4ToNumber(c.address) + (size > 2 ? prng.int(1, size - 2) : 0));
  }
  // IPv6: keep the prefix's first 64 bits' worth of groups, randomise the interface identifier.
  const keep = Math.ceil(c.prefix / 16);
  const groups = expandIpv6(c.address).slice(0, keep);
  while (groups.length < 8) groups.push(groups.length < 4 ? prng.int(0, 0xff) : prng.int(1, 0xffff));
  return canonicalIp(groups.map((g) => g.toString(16)).join(':'))!;
}
