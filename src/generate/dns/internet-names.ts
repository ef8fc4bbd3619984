import { NetworkSet } from '../../shared/ip.js';
import { addressIn, PROVIDERS, type Internet, type Provider, type Service } from '../internet.js';
import { Prng, WeightedPicker } from '../prng.js';
import type { DnsRecord, DnsType } from '../session.js';
import type { Answer } from './corp-zone.js';
import { publicSuffix, registeredDomain } from './names.js';
import { POPULAR_DOMAINS, SUBDOMAINS, type PopularDomain, type ProviderKey } from './popular-domains.js';
import { txtRecords } from './txt-records.js';

/** Domains the CDNs answer from, so that the targets of CNAME chains resolve in their networks. */
const CDN_DOMAINS: readonly (readonly [string, ProviderKey])[] = [
  ['edgekey.net', 'akamai'],
  ['akamaiedge.net', 'akamai'],
  ['fastly.net', 'fastly'],
  ['cloudfront.net', 'amazon'],
  ['azurefd.net', 'microsoft'],
  ['t-msedge.net', 'microsoft'],
];
/** Addresses per answer and TTL of the address records, by network. */
const ADDRESSES: Partial<Record<ProviderKey, readonly [count: number, ttl: number]>> = {
  akamai: [2, 20],
  fastly: [4, 30],
  amazon: [4, 60],
  cloudflare: [2, 300],
  google: [1, 300],
  microsoft: [2, 240],
  meta: [1, 60],
};
const SERIAL = 2026112001;

interface Profile {
  /** Targets of the CNAME chain, in order; the last holds the addresses. */
  readonly chain: readonly string[];
  readonly chainTtls: readonly number[];
  readonly final: string;
  readonly provider: Provider;
  readonly v4: readonly string[];
  readonly v6: readonly string[];
  readonly ttl: number;
}

export interface InternetAnswerOptions {
  /** An address the answer must hold first: the one the client then connects to. */
  readonly prefer?: string;
  /** From a resolver's cache: every record set's TTL has run down by a random part. */
  readonly cached: boolean;
}

/**
 * The internet's DNS as the enterprise's resolvers see it: the popular domains and the
 * services of the synthetic internet resolve (every host name under a known registered domain
 * exists), many through a CNAME chain into their CDN; everything else is NXDOMAIN. Answers are
 * the same for a name every time, but for TTLs run down in caches and the order of addresses.
 */
export class InternetDns {
  readonly #services = new Map<string, Service>();
  readonly #domains = new Map<string, ProviderKey>();
  readonly #profiles = new Map<string, Profile>();
  readonly #providerOf: readonly (readonly [ProviderKey, NetworkSet])[];
  readonly #popular: WeightedPicker<PopularDomain>;
  readonly #subdomains = new WeightedPicker(SUBDOMAINS.map((s, i) => [s, 1 / (i + 2)] as const));

  constructor(internet: Internet) {
    for (const d of POPULAR_DOMAINS) this.#domains.set(d.name, d.provider);
    for (const [name, key] of CDN_DOMAINS) this.#domains.set(name, key);
    const keys = new Map<Provider, ProviderKey>(Object.entries(PROVIDERS).map(([k, p]) => [p as Provider, k as ProviderKey]));
    for (const s of [...internet.web, ...internet.updates, ...internet.mx, internet.ntp, internet.resolvers]) {
      this.#services.set(s.name, s);
      const reg = registeredDomain(s.name);
      if (!this.#domains.has(reg)) this.#domains.set(reg, keys.get(s.provider)!);
    }
    this.#providerOf = Object.entries(PROVIDERS).map(([k, p]) => [k as ProviderKey, new NetworkSet([...p.v4])] as const);
    this.#popular = new WeightedPicker(POPULAR_DOMAINS.map((d) => [d, 1 / (d.rank + 3) ** 0.9] as const));
  }

  /** A registered domain, by popularity. */
  pickDomain(r: Prng): string {
    return this.#popular.pick(r).name;
  }

  /** A host name under a popular domain (or the domain itself), as users and programs ask for them. */
  pickName(r: Prng): string {
    const domain = this.pickDomain(r);
    return r.chance(0.12) ? domain : `${this.#subdomains.pick(r)}.${domain}`;
  }

  /** True when the name exists. */
  resolves(name: string): boolean {
    const lower = name.toLowerCase();
    return this.#services.has(lower) || this.#domains.has(registeredDomain(lower));
  }

  answer(query: string, qtype: DnsType, r: Prng, options: InternetAnswerOptions): Answer {
    const lower = query.toLowerCase();
    const reg = registeredDomain(lower);
    if (qtype === 'PTR' && lower.endsWith('.in-addr.arpa')) return this.#ptr(query, lower, r, options.cached);
    if (!this.#services.has(lower) && !this.#domains.has(reg)) return { rcode: 'NXDOMAIN', records: [], authority: [suffixSoa(publicSuffix(lower))] };
    const age = (ttl: number) => (options.cached ? r.int(1, ttl) : ttl);
    const apex = lower === reg;
    const key = this.#domains.get(reg)!;
    const nodata = (records: DnsRecord[] = [], zone = reg): Answer => ({ rcode: 'NOERROR', records, authority: [zoneSoa(zone, this.#domains.get(zone) ?? key)] });
    switch (qtype) {
      case 'A':
      case 'AAAA':
      case 'CNAME': {
        const p = this.#profile(lower);
        const records: DnsRecord[] = [];
        let owner = query;
        p.chain.forEach((target, i) => {
          records.push({ name: owner, type: 'CNAME', ttl: age(p.chainTtls[i]!), data: target });
          owner = target;
        });
        if (qtype === 'CNAME') return records.length ? { rcode: 'NOERROR', records: records.slice(0, 1) } : nodata();
        const addresses = rotate(qtype === 'A' ? p.v4 : p.v6, options.prefer);
        if (!addresses.length) return nodata(records, registeredDomain(p.final));
        const ttl = age(p.ttl);
        for (const a of addresses) records.push({ name: owner, type: qtype, ttl, data: a });
        return { rcode: 'NOERROR', records };
      }
      case 'MX':
        return apex ? { rcode: 'NOERROR', records: mxRecords(query, reg, key, age(3600)) } : nodata();
      case 'TXT': {
        if (apex) return { rcode: 'NOERROR', records: txtRecords(query, reg, key, this.#rank(reg), age(3600)) };
        if (lower === `_dmarc.${reg}`) return { rcode: 'NOERROR', records: [{ name: query, type: 'TXT', ttl: age(3600), data: [`v=DMARC1; p=reject; rua=mailto:dmarc@${reg}`] }] };
        return nodata();
      }
      case 'NS':
        return apex ? { rcode: 'NOERROR', records: nsNames(reg, key).map((ns) => ({ name: query, type: 'NS' as const, ttl: age(86400), data: ns })) } : nodata();
      case 'SOA':
        return apex ? { rcode: 'NOERROR', records: [{ ...zoneSoa(reg, key), name: query }] } : nodata();
      default:
        return nodata();
    }
  }

  #rank(domain: string): number {
    return POPULAR_DOMAINS.find((d) => d.name === domain)?.rank ?? 1000;
  }

  /** Reverse lookups of internet addresses: the big clouds name their addresses, most others do not. */
  #ptr(query: string, lower: string, r: Prng, cached: boolean): Answer {
    const octets = lower.split('.').slice(0, 4).reverse();
    const address = octets.join('.');
    const key = this.#providerOf.find(([, set]) => set.has(address))?.[0];
    const dashed = octets.join('-');
    const name =
      key === 'amazon'
        ? `ec2-${dashed}.compute-1.amazonaws.com`
        : key === 'google'
          ? `fra${octets[3]!.padStart(2, '0')}s${octets[2]}-in-f${octets[3]}.1e100.net`
          : key === 'hetzner'
            ? `static.${[...octets].reverse().join('.')}.clients.your-server.de`
            : null;
    if (name === null) {
      return { rcode: 'NXDOMAIN', records: [], authority: [{ name: `${octets[0]}.in-addr.arpa`, type: 'SOA', ttl: 3600, data: `pri.authdns.ripe.net dns.ripe.net ${SERIAL} 3600 600 864000 3600` }] };
    }
    return { rcode: 'NOERROR', records: [{ name: query, type: 'PTR', ttl: cached ? r.int(1, 3600) : 3600, data: name }] };
  }

  #profile(name: string): Profile {
    let p = this.#profiles.get(name);
    if (p) return p;
    const h = new Prng(`dns-name/${name}`);
    const service = this.#services.get(name);
    const key = this.#domains.get(registeredDomain(name))!;
    const chain = cdnChain(name, key, h);
    const final = chain[chain.length - 1] ?? name;
    const finalKey = this.#domains.get(registeredDomain(final)) ?? key;
    const provider = service?.provider ?? PROVIDERS[finalKey];
    const [count, ttl] = ADDRESSES[finalKey] ?? [1, h.chance(0.5) ? 300 : 3600];
    const draw = (prefixes: readonly string[]) => (prefixes.length ? Array.from({ length: count }, () => addressIn(h, h.pick(prefixes))) : []);
    p = {
      chain,
      chainTtls: chain.map((_, i) => (i === 0 ? h.pick([300, 3600]) : h.pick([20, 60]))),
      final,
      provider,
      v4: service ? service.v4 : draw(provider.v4),
      v6: service ? service.v6 : draw(provider.v6),
      ttl,
    };
    this.#profiles.set(name, p);
    return p;
  }
}

/** How the CDNs take over a customer's name: three in four names go through their provider's chain. */
function cdnChain(name: string, key: ProviderKey, h: Prng): string[] {
  const reg = registeredDomain(name);
  if (CDN_DOMAINS.some(([d]) => d === reg) || !h.chance(0.75)) return [];
  const label = reg.split('.')[0]!;
  const n = h.int(1000, 9999);
  switch (key) {
    case 'akamai':
    case 'apple':
      return reg === 'akamaized.net' || reg === 'akamai.net' ? [] : [`${name}.edgekey.net`, `e${n}.${h.pick(['a', 'b', 'dscx', 'dsca'])}.akamaiedge.net`];
    case 'fastly':
      return [`${h.chance(0.5) ? 'dualstack.' : ''}${label}.map.fastly.net`];
    case 'amazon':
      return reg === 'amazonaws.com' || reg === 'amazon.com' ? [] : [`d${n.toString(36)}${h.int(0, 36 ** 8).toString(36)}.cloudfront.net`];
    case 'microsoft':
      return [`${label}-${n.toString(16)}.azurefd.net`, `part-00${h.int(10, 49)}.t-0009.t-msedge.net`];
    case 'meta':
      return name === 'star-mini.c10r.facebook.com' ? [] : ['star-mini.c10r.facebook.com'];
    default:
      return [];
  }
}

/** The address the client will use first, then the others. */
function rotate(addresses: readonly string[], prefer: string | undefined): string[] {
  if (prefer === undefined || !addresses.length || prefer.includes(':') !== addresses[0]!.includes(':')) return [...addresses];
  const i = addresses.indexOf(prefer);
  return i < 0 ? [prefer, ...addresses.slice(1)] : [...addresses.slice(i), ...addresses.slice(0, i)];
}

const soas = new Map<string, DnsRecord>();

/** The SOA of a registered domain, in the style of the provider that hosts its zone (the same every time). */
function zoneSoa(zone: string, key: ProviderKey): DnsRecord {
  let soa = soas.get(zone);
  if (!soa) soas.set(zone, (soa = makeZoneSoa(zone, key)));
  return soa;
}

function makeZoneSoa(zone: string, key: ProviderKey): DnsRecord {
  const h = new Prng(`dns-soa/${zone}`);
  const [mname, rname, rest] =
    key === 'cloudflare'
      ? [`${h.pick(['ada', 'bob', 'cruz', 'dina', 'elma'])}.ns.cloudflare.com`, 'dns.cloudflare.com', `${2350000000 + h.int(0, 9999999)} 10000 2400 604800 1800`]
      : key === 'amazon'
        ? [`ns-${h.int(1, 2047)}.awsdns-${String(h.int(0, 63)).padStart(2, '0')}.com`, 'awsdns-hostmaster.amazon.com', '1 7200 900 1209600 86400']
        : key === 'akamai'
          ? [`a1-${h.int(1, 250)}.akam.net`, 'hostmaster.akamai.com', `${SERIAL} 10800 3600 604800 300`]
          : [`ns1.${zone}`, `hostmaster.${zone}`, `${SERIAL} 7200 3600 1209600 300`];
  const minimum = Number(rest.split(' ')[4]);
  return { name: zone, type: 'SOA', ttl: Math.min(3600, minimum), data: `${mname} ${rname} ${rest}` };
}

/** The SOA of a top-level (or public second-level) zone, as NXDOMAIN answers carry it. */
const suffixSoas = new Map<string, DnsRecord>();

export function suffixSoa(suffix: string): DnsRecord {
  let soa = suffixSoas.get(suffix);
  if (!soa) suffixSoas.set(suffix, (soa = makeSuffixSoa(suffix)));
  return soa;
}

function makeSuffixSoa(suffix: string): DnsRecord {
  const verisign = suffix === 'com' || suffix === 'net';
  const data = verisign ? `a.gtld-servers.net nstld.verisign-grs.com 1764000000 1800 900 604800 900` : `a.nic.${suffix} hostmaster.nic.${suffix} ${SERIAL} 1800 900 604800 3600`;
  return { name: suffix, type: 'SOA', ttl: verisign ? 900 : 3600, data };
}

function nsNames(domain: string, key: ProviderKey): string[] {
  const soa = zoneSoa(domain, key).data as string;
  const primary = soa.split(' ')[0]!;
  return key === 'cloudflare' || key === 'amazon' || key === 'akamai' ? [primary, primary.replace(/\d+/, (d) => String(Number(d) + 7))] : [`ns1.${domain}`, `ns2.${domain}`];
}

/** Mail goes to Google or Microsoft for most domains, to a filtering service or the domain's own hosts for the rest. */
function mxRecords(owner: string, domain: string, key: ProviderKey, ttl: number): DnsRecord[] {
  const h = new Prng(`dns-mx/${domain}`);
  const pick = key === 'google' ? 0 : key === 'microsoft' ? 0.5 : h.float();
  const data =
    pick < 0.35
      ? ['1 aspmx.l.google.com', '5 alt1.aspmx.l.google.com', '5 alt2.aspmx.l.google.com', '10 alt3.aspmx.l.google.com']
      : pick < 0.7
        ? [`0 ${domain.replaceAll('.', '-')}.mail.protection.outlook.com`]
        : pick < 0.85
          ? [`10 mxa-00${h.int(100000, 199999)}.gslb.pphosted.com`, `10 mxb-00${h.int(100000, 199999)}.gslb.pphosted.com`]
          : pick < 0.9
            ? ['10 eu-smtp-inbound-1.mimecast.com', '10 eu-smtp-inbound-2.mimecast.com']
            : [`10 mx1.${domain}`, `20 mx2.${domain}`];
  return data.map((d) => ({ name: owner, type: 'MX', ttl, data: d }));
}
