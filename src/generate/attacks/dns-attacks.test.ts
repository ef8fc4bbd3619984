import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../calendar.js';
import { generateConfig } from '../config.js';
import { sessionExchanges } from '../dns/dns-session.js';
import { registeredDomain } from '../dns/names.js';
import { labelMatcher } from '../labels.js';
import { generateRecords } from '../records.js';
import type { DnsExchange, Session } from '../session.js';
import { generateSessions, labelsFor } from '../timeline.js';
import { DGA_DOMAINS, dgaDomains } from './dga.js';
import { DNS_BEACON_JITTER, DNS_BEACON_NAME, DNS_BEACON_PERIOD, DNS_BEACON_TTL } from './dns-beaconing.js';
import { DNSCAT_DOMAIN, IODINE_DOMAIN } from './dns-tunnelling.js';

const DATE = '2026-11-24';
const DAY_START = Date.parse(`${DATE}T00:00:00Z`);
const config = generateConfig.parse({ workstations: 20, scale: 0.2, date: DATE });
const labels = labelsFor(config, [DATE]);
const sessions: Session[] = [];
for (const batch of generateSessions(config, [DATE])) for (const s of batch.sessions) if (s.app?.dns) sessions.push(s);

/** A label's sessions and what they asked, in time order. */
function attack(name: string): { sessions: Session[]; exchanges: (DnsExchange & { at: number })[] } {
  const id = labels.find((l) => l.name === name)!.id;
  const mine = sessions.filter((s) => s.label === id);
  const exchanges = mine.flatMap((s) => sessionExchanges(s).map((e) => ({ ...e, at: e.sent ?? s.start })));
  return { sessions: mine, exchanges: exchanges.sort((a, b) => a.at - b.at) };
}

/** Shannon entropy of a text, bits per character. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / text.length) * Math.log2(n / text.length);
  return h;
}

const subdomain = (name: string, domain: string) => name.slice(0, name.length - domain.length - 1).replaceAll('.', '');

describe('DNS attacks', () => {
  it('each has its labels.csv row, UDP to port 53, and every labelled NetFlow record matches it', () => {
    const records = [...generateRecords(config)];
    for (const name of ['dns-tunnelling', 'dga', 'dns-beaconing']) {
      const label = labels.find((l) => l.name === name)!;
      expect(label).toMatchObject({ category: 'attack', dports: [53], proto: ['UDP'] });
      const mine = records.filter((r) => r.label === label.id);
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.filter((r) => !labelMatcher(label)(r))).toEqual([]);
    }
  });

  it('dns-tunnelling, iodine: thousands of NULL queries over more than an hour, base32 labels under one short domain, data in the answers', () => {
    const iodine = attack('dns-tunnelling').exchanges.filter((e) => e.query.endsWith(`.${IODINE_DOMAIN}`));
    expect(iodine.length).toBeGreaterThan(1500);
    expect(iodine[iodine.length - 1]!.at - iodine[0]!.at).toBeGreaterThan(HOUR);
    expect(iodine.every((e) => e.qtype === 'NULL' && e.records?.[0]?.type === 'NULL')).toBe(true);
    const data = iodine.filter((e) => e.query.length > 150);
    expect(data.length).toBeGreaterThan(200);
    for (const e of data) {
      const sub = subdomain(e.query, IODINE_DOMAIN);
      expect(sub).toMatch(/^[0-9a-f][a-z0-5]+$/);
      expect(entropy(sub)).toBeGreaterThan(4.5);
    }
    const rdata = iodine.map((e) => Number((e.records![0]!.data as string).split(' ')[1]));
    expect(Math.max(...rdata)).toBeGreaterThan(800);
    // One socket, a few long flows: its transaction ids count up.
    expect(new Set(attack('dns-tunnelling').sessions.filter((s) => s.dst === '203.0.113.53').map((s) => s.sport)).size).toBe(1);
  });

  it('dns-tunnelling, dnscat2: hex labels, TXT, CNAME and MX, answers carrying hex data, every query forwarded by the resolver', () => {
    const dnscat = attack('dns-tunnelling').exchanges.filter((e) => e.query.endsWith(`.${DNSCAT_DOMAIN}`));
    expect(dnscat.length).toBeGreaterThan(500);
    expect(new Set(dnscat.map((e) => e.qtype))).toEqual(new Set(['TXT', 'CNAME', 'MX']));
    for (const e of dnscat) {
      expect(subdomain(e.query, DNSCAT_DOMAIN)).toMatch(/^[0-9a-f]{18,}$/);
      expect(e.answers[0]).toMatch(/^(10 )?[0-9a-f.]+(edge-stats\.example)?$/);
    }
    const forwarded = sessions.filter((s) => s.label === null && s.app!.dns!.query.toLowerCase().endsWith(DNSCAT_DOMAIN));
    expect(forwarded.length).toBe(dnscat.length);
    expect(forwarded.every((s) => s.src.startsWith('10.20.0.') || s.src.startsWith('fd5e:1a7e:c0de:20::'))).toBe(true);
  });

  it('dga: hundreds of random-looking names from one host within minutes, nearly all NXDOMAIN, a few resolving', () => {
    const { exchanges, sessions: mine } = attack('dga');
    expect(exchanges.map((e) => e.query)).toEqual(dgaDomains(DATE));
    expect(new Set(mine.map((s) => s.src)).size).toBe(1);
    expect(exchanges[exchanges.length - 1]!.at - exchanges[0]!.at).toBeLessThan(6 * MINUTE);
    const nx = exchanges.filter((e) => e.rcode === 'NXDOMAIN').length;
    expect(nx / DGA_DOMAINS).toBeGreaterThan(0.95);
    expect(nx).toBeLessThan(DGA_DOMAINS);
    const labels = exchanges.map((e) => e.query.split('.')[0]!);
    expect(Math.min(...labels.map((l) => l.length))).toBeGreaterThanOrEqual(10);
    expect(labels.reduce((n, l) => n + entropy(l), 0) / labels.length).toBeGreaterThan(3);
    expect(new Set(exchanges.map((e) => registeredDomain(e.query))).size).toBe(DGA_DOMAINS);
    // Same date, same domains, whatever the seed: the algorithm knows only the date.
    expect(dgaDomains(DATE)).toEqual(dgaDomains(DATE));
    expect(dgaDomains('2026-11-25')).not.toEqual(dgaDomains(DATE));
  });

  it('dns-beaconing: one TXT name with a short TTL, asked all day every period ± jitter', () => {
    const { exchanges } = attack('dns-beaconing');
    expect(new Set(exchanges.map((e) => `${e.query} ${e.qtype}`))).toEqual(new Set([`${DNS_BEACON_NAME} TXT`]));
    expect(exchanges.every((e) => e.ttl === DNS_BEACON_TTL)).toBe(true);
    expect(exchanges[0]!.at - DAY_START).toBeLessThan(DNS_BEACON_PERIOD);
    expect(DAY_START + 24 * HOUR - exchanges[exchanges.length - 1]!.at).toBeLessThan(DNS_BEACON_PERIOD * (1 + DNS_BEACON_JITTER));
    const gaps = exchanges.slice(1).map((e, i) => e.at - exchanges[i]!.at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(DNS_BEACON_PERIOD * (1 - DNS_BEACON_JITTER) - 1);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(DNS_BEACON_PERIOD * (1 + DNS_BEACON_JITTER) + 1);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(Math.abs(mean - DNS_BEACON_PERIOD)).toBeLessThan(DNS_BEACON_PERIOD * 0.02);
  });
});
