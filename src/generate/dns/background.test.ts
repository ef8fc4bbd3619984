import { describe, expect, it } from 'vitest';
import { generateConfig } from '../config.js';
import { buildNetwork } from '../network.js';
import { Prng } from '../prng.js';
import { generateDnsMessages } from './capture.js';
import { registeredDomain, reverseName } from './names.js';
import { POPULAR_DOMAINS } from './popular-domains.js';
import type { DnsMessageRow } from './rows.js';
import { DnsWorld } from './world.js';

const DATE = '2026-11-24';
const config = generateConfig.parse({ workstations: 60, scale: 0.3, date: DATE });
const rows = [...generateDnsMessages(config)];
const responses = rows.filter((r) => r.dns_qr);
const internal = (ip: string) => ip.startsWith('10.') || ip.startsWith('fd5e:');
/** What the workstations asked their resolvers (the attacks' hosts ask other things too, which is fine here). */
const fromWorkstations = responses.filter((r) => r.ip_dst.startsWith('10.10.') || r.ip_dst.startsWith('fd5e:1a7e:c0de:10'));
const count = (list: DnsMessageRow[], test: (r: DnsMessageRow) => boolean) => list.filter(test).length;

describe('background DNS', () => {
  it('looks up a few hundred popular domains, most through their CDN, with A and AAAA', () => {
    expect(POPULAR_DOMAINS.length).toBeGreaterThanOrEqual(300);
    expect(new Set(POPULAR_DOMAINS.map((d) => d.name)).size).toBe(POPULAR_DOMAINS.length);
    const domains = new Set(responses.filter((r) => !internal(r.ip_src)).map((r) => registeredDomain(r.dns_qry_name)));
    expect(domains.size).toBeGreaterThan(150);
    const chains = responses.filter((r) => r.dns_qry_type === 1 && r.dns_answers.length >= 3 && !/^\d/.test(r.dns_answers[0]!) && /^\d/.test(r.dns_answers.at(-1)!));
    expect(chains.length).toBeGreaterThan(100);
    expect(chains.some((r) => r.dns_answers.some((a) => a.endsWith('.akamaiedge.net')))).toBe(true);
    expect(count(responses, (r) => r.dns_qry_type === 28 && r.dns_a !== null && r.dns_a.includes(':'))).toBeGreaterThan(100);
  });

  it('has dual-stack workstations ask A and AAAA together, and NODATA answers for v4-only names', () => {
    const queries = rows.filter((r) => !r.dns_qr && r.ip_src.startsWith('10.10.'));
    const byName = new Map<string, DnsMessageRow[]>();
    for (const q of queries) byName.set(`${q.ip_src}|${q.dns_qry_name}`, [...(byName.get(`${q.ip_src}|${q.dns_qry_name}`) ?? []), q]);
    const pairs = [...byName.values()].filter((qs) => qs.some((q) => q.dns_qry_type === 1) && qs.some((q) => q.dns_qry_type === 28));
    expect(pairs.length).toBeGreaterThan(20);
    expect(count(fromWorkstations, (r) => r.dns_qry_type === 28 && r.dns_qry_rcode === 0 && r.dns_a === null)).toBeGreaterThan(0);
  });

  it('answers corp.example and internal PTR with authority, the rest without', () => {
    const corp = fromWorkstations.filter((r) => /(corp\.example|\.in-addr\.arpa|\.ip6\.arpa)$/.test(r.dns_qry_name) && internal(r.ip_src));
    expect(corp.length).toBeGreaterThan(100);
    expect(corp.every((r) => (r.dns_flags & 0x0400) !== 0)).toBe(true);
    expect(fromWorkstations.filter((r) => !/(corp\.example|arpa)$/.test(r.dns_qry_name)).every((r) => (r.dns_flags & 0x0400) === 0)).toBe(true);
    const srv = fromWorkstations.filter((r) => r.dns_qry_type === 33 && r.dns_qry_name.startsWith('_ldap._tcp.'));
    expect(srv.length).toBeGreaterThan(0);
    expect(srv[0]!.dns_answers.every((a) => /^0 100 389 dc-\d\.corp\.example$/.test(a))).toBe(true);
    const network = buildNetwork(60, Prng.fromSeed(42).fork('network'));
    const world = DnsWorld.of(network);
    const dns1 = network.servers.dns[0]!;
    expect(world.zone.answer(reverseName(dns1.ipv4), 'PTR').records).toEqual([{ name: reverseName(dns1.ipv4), type: 'PTR', ttl: 3600, data: dns1.fqdn }]);
    expect(count(fromWorkstations, (r) => r.dns_qry_type === 12 && r.dns_answers[0]?.endsWith('.corp.example') === true)).toBeGreaterThan(0);
  });

  it('has NXDOMAINs: WPAD, short names and search-suffix expansion in the corporate zone, typos on the internet', () => {
    const nx = fromWorkstations.filter((r) => r.dns_qry_rcode === 3);
    expect(nx.some((r) => r.dns_qry_name === 'wpad.corp.example')).toBe(true);
    const expanded = nx.filter((r) => /\.(com|net|org|io|de|fr|co\.uk|[a-z]{2,3})\.corp\.example$/.test(r.dns_qry_name));
    expect(expanded.length).toBeGreaterThan(5);
    // The expanded name is followed by the name itself (over either address family).
    const asked = new Set(fromWorkstations.map((r) => r.dns_qry_name));
    expect(expanded.filter((r) => asked.has(r.dns_qry_name.slice(0, -'.corp.example'.length))).length).toBe(expanded.length);
    expect(nx.filter((r) => !r.dns_qry_name.endsWith('.corp.example')).length).toBeGreaterThan(3);
    expect(nx.every((r) => r.dns_answers.length === 0 && r.dns_ttl === null)).toBe(true);
  });

  it('has MX and TXT (SPF) lookups, large TXT answers truncated over UDP and asked again over TCP', () => {
    expect(count(responses, (r) => r.dns_qry_type === 15 && /^\d+ \S+$/.test(r.dns_answers[0] ?? ''))).toBeGreaterThan(10);
    expect(count(responses, (r) => r.dns_qry_type === 16 && r.dns_answers.some((a) => a.startsWith('v=spf1 ')))).toBeGreaterThan(10);
    const truncated = responses.filter((r) => (r.dns_flags & 0x0200) !== 0);
    expect(truncated.length).toBeGreaterThan(0);
    for (const t of truncated) {
      const retry = responses.find((r) => r.transport === 'tcp' && r.dns_qry_name === t.dns_qry_name && r.ip_dst === t.ip_dst && r.frame_time > t.frame_time);
      expect(retry?.dns_answers.length).toBeGreaterThan(0);
    }
  });

  it('follows the office day', () => {
    const hour = (h: number) => count(rows, (r) => new Date(r.frame_time / 1000).getUTCHours() === h && r.ip_src.startsWith('10.10.'));
    expect(hour(10)).toBeGreaterThan(4 * hour(3));
  });
});
