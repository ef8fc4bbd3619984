import { DOMAIN, type Host, type Network } from '../network.js';
import type { DnsRecord, DnsType } from '../session.js';
import { reverseName } from './names.js';
import type { ExchangeSpec } from './records.js';

/** The answer part of an exchange: everything but the question and the transport details. */
export type Answer = Pick<ExchangeSpec, 'rcode' | 'records' | 'authority' | 'additional' | 'authoritative'>;

/** Reverse zones of the internal networks: 10/8, the DMZ's 172.16/16 and the ULA fd5e:1a7e:c0de::/48. */
const REVERSE_ZONES = ['10.in-addr.arpa', '16.172.in-addr.arpa', 'e.d.0.c.e.7.a.1.e.5.d.f.ip6.arpa'];
const SERIAL = 2026110301;
/** Windows DNS gives dynamically registered hosts 20 minutes, static records an hour. */
const TTL = { dynamic: 1200, static: 3600, srv: 600 } as const;

/** Friendly names the help desk hands out, as CNAMEs to the servers' real names. */
const ALIASES: readonly (readonly [string, string])[] = [
  ['portal', 'intranet'],
  ['files', 'file-1'],
  ['erp', 'app'],
  ['db', 'database'],
  ['monitor', 'nms'],
  ['updates', 'wsus'],
  ['autodiscover', 'mail'],
];

/** The Active Directory locator records (SRV) and the service each points at. */
const LOCATORS: readonly (readonly [string, number, 'all' | 'pdc'])[] = [
  ['_ldap._tcp.dc._msdcs', 389, 'all'],
  ['_ldap._tcp.Default-First-Site-Name._sites.dc._msdcs', 389, 'all'],
  ['_kerberos._tcp.dc._msdcs', 88, 'all'],
  ['_kerberos._tcp', 88, 'all'],
  ['_kerberos._udp', 88, 'all'],
  ['_kpasswd._tcp', 464, 'all'],
  ['_gc._tcp', 3268, 'all'],
  ['_ldap._tcp.pdc._msdcs', 389, 'pdc'],
];

/**
 * corp.example and the internal reverse zones, which the internal resolvers serve with
 * authority (AA): every host's A and AAAA, aliases, the domain controllers' SRV locator records
 * (with the targets' addresses as additional records), NS, MX, SPF, and PTR for every address.
 * A name it does not hold is NXDOMAIN, a type it does not hold NODATA, both with the zone's SOA.
 */
export class CorpZone {
  readonly #names = new Map<string, DnsRecord[]>();
  readonly #soa = new Map<string, DnsRecord>();
  /** Names people and machines ask for, by kind. */
  readonly hosts: readonly Host[];
  readonly aliases: readonly string[];
  readonly locators: readonly string[];

  constructor(network: Network) {
    const servers = Object.values(network.servers).flat();
    const dmz = Object.values(network.dmz);
    const dns = network.servers.dns;
    for (const zone of [DOMAIN, ...REVERSE_ZONES]) {
      // Negative answers are cached for the SOA's minimum (RFC 2308); the record carries that as its TTL.
      this.#soa.set(zone, { name: zone, type: 'SOA', ttl: TTL.static, data: `${dns[0]!.fqdn} hostmaster.${DOMAIN} ${SERIAL} 900 600 86400 ${TTL.static}` });
    }
    // Internal servers first: where the DMZ shares a name (mail), the internal view wins.
    for (const h of [...servers, ...network.workstations, ...dmz]) {
      if (this.#names.has(h.fqdn)) continue;
      const ttl = h.role === 'workstation' ? TTL.dynamic : TTL.static;
      this.#add({ name: h.fqdn, type: 'A', ttl, data: h.ipv4 });
      if (h.ipv6) this.#add({ name: h.fqdn, type: 'AAAA', ttl, data: h.ipv6 });
      this.#add({ name: reverseName(h.ipv4), type: 'PTR', ttl, data: h.fqdn });
      if (h.ipv6) this.#add({ name: reverseName(h.ipv6), type: 'PTR', ttl, data: h.fqdn });
    }
    this.aliases = ALIASES.map(([alias, target]) => {
      const name = `${alias}.${DOMAIN}`;
      this.#add({ name, type: 'CNAME', ttl: TTL.static, data: `${target}.${DOMAIN}` });
      return name;
    });
    const dcs = network.servers.dc;
    this.locators = LOCATORS.map(([service, port, which]) => {
      const name = `${service}.${DOMAIN}`;
      for (const dc of which === 'pdc' ? dcs.slice(0, 1) : dcs) this.#add({ name, type: 'SRV', ttl: TTL.srv, data: `0 100 ${port} ${dc.fqdn}` });
      return name;
    });
    for (const d of dns) this.#add({ name: DOMAIN, type: 'NS', ttl: TTL.static, data: d.fqdn });
    this.#add({ name: DOMAIN, type: 'MX', ttl: TTL.static, data: `10 ${network.dmz.mx.fqdn}` });
    this.#add({ name: DOMAIN, type: 'TXT', ttl: TTL.static, data: [`v=spf1 ip4:${network.dmz.mx.ipv4} mx -all`] });
    this.hosts = [...servers, ...dmz];
  }

  /** True for names in corp.example or an internal reverse zone. */
  holds(name: string): boolean {
    return this.#zoneOf(name.toLowerCase()) !== null;
  }

  answer(query: string, qtype: DnsType): Answer {
    const key = query.toLowerCase();
    const zone = this.#zoneOf(key);
    if (zone === null) throw new Error(`${query} is not in the corporate zones`);
    const soa = this.#soa.get(zone)!;
    if (key === zone && qtype === 'SOA') return { rcode: 'NOERROR', authoritative: true, records: [{ ...soa, name: query }] };
    const records: DnsRecord[] = [];
    let owner = query;
    let found = this.#names.get(key);
    const alias = found?.find((r) => r.type === 'CNAME');
    if (alias && qtype !== 'CNAME') {
      records.push({ ...alias, name: owner });
      owner = alias.data as string;
      found = this.#names.get(owner);
    }
    if (!found) return { rcode: 'NXDOMAIN', authoritative: true, records, authority: [soa] };
    const matching = found.filter((r) => r.type === qtype).map((r) => ({ ...r, name: owner }));
    if (!matching.length) return { rcode: 'NOERROR', authoritative: true, records, authority: [soa] };
    records.push(...matching);
    const additional = qtype === 'SRV' ? matching.flatMap((r) => this.#addresses((r.data as string).split(' ')[3]!)) : [];
    return { rcode: 'NOERROR', authoritative: true, records, additional };
  }

  #addresses(name: string): DnsRecord[] {
    return (this.#names.get(name) ?? []).filter((r) => r.type === 'A' || r.type === 'AAAA');
  }

  #add(record: DnsRecord): void {
    const key = record.name.toLowerCase();
    const list = this.#names.get(key);
    if (list) list.push(record);
    else this.#names.set(key, [record]);
  }

  #zoneOf(name: string): string | null {
    for (const zone of [DOMAIN, ...REVERSE_ZONES]) if (name === zone || name.endsWith(`.${zone}`)) return zone;
    return null;
  }
}
