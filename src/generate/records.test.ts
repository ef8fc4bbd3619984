import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { webBrowsing } from './activities/web-browsing.js';
import { generateConfig, type GenerateConfig } from './config.js';
import type { FlowRecord } from './flow-record.js';
import { LABEL_NAMES } from './labels.js';
import { generateRecords } from './records.js';
import { buildScenario } from './scenario.js';
import { streamSessions, generationDays } from './timeline.js';

const TUESDAY = '2026-11-24';
const SUNDAY = '2026-11-22';
const small = (overrides: Partial<GenerateConfig> = {}) => generateConfig.parse({ workstations: 20, scale: 0.2, date: TUESDAY, ...overrides });
/** Big enough that workstations, not the fixed set of servers, make most of the traffic. */
const office = (date: string) => [...generateRecords(generateConfig.parse({ workstations: 60, scale: 0.5, date }))];

function digest(config: GenerateConfig): { count: number; hash: string } {
  const hash = createHash('sha256');
  let count = 0;
  for (const r of generateRecords(config)) {
    hash.update(JSON.stringify(r));
    count++;
  }
  return { count, hash: hash.digest('hex') };
}

describe('generateRecords', () => {
  it('is deterministic: the same seed and config give the same records, another seed others', () => {
    const a = digest(small());
    expect(a.count).toBeGreaterThan(10_000);
    expect(digest(small())).toEqual(a);
    expect(digest(small({ seed: 7 })).hash).not.toBe(a.hash);
  });

  it("keeps each activity's sessions independent of the others", () => {
    const config = small();
    const full = buildScenario(config.seed, config.workstations);
    const webOnly = { ...full, activities: [webBrowsing] };
    const key = (s: object) => JSON.stringify(s);
    const all = new Set<string>();
    for (const batch of streamSessions(full, [TUESDAY], config.scale)) for (const s of batch.sessions) all.add(key(s));
    let web = 0;
    for (const batch of streamSessions(webOnly, [TUESDAY], config.scale)) {
      for (const s of batch.sessions) {
        expect(all.has(key(s))).toBe(true);
        web++;
      }
    }
    expect(web).toBeGreaterThan(1000);
  });

  it('emits records in export order, each after its flow ended, in whole milliseconds', () => {
    let previous = 0;
    let checked = 0;
    const wrong: FlowRecord[] = [];
    for (const r of generateRecords(small())) {
      const ok =
        r.exported >= previous &&
        r.exported > r.tend &&
        r.tend >= r.tstart &&
        Number.isInteger(r.tstart) &&
        Number.isInteger(r.tend) &&
        Number.isInteger(r.ibyt) &&
        r.ibyt >= r.ipkt * 28;
      if (!ok) wrong.push(r);
      previous = r.exported;
      checked++;
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(10_000);
  });

  it('has the mix of an enterprise: TCP, UDP, ICMP and ICMPv6, IPv6 flows, internal and internet traffic', () => {
    const records = office(TUESDAY);
    const share = (test: (r: FlowRecord) => boolean) => records.filter(test).length / records.length;
    expect(new Set(records.map((r) => r.proto))).toEqual(new Set(['TCP', 'UDP', 'ICMP', 'ICMP6']));
    expect(share((r) => r.sip.includes(':'))).toBeGreaterThan(0.05);
    expect(share((r) => r.sip.startsWith('fd5e:') && !r.dip.startsWith('fd5e:'))).toBeGreaterThan(0.01); // ULA to global IPv6
    // DNS (lookups, forwards, TCP retries, the DNS attacks) is a good share of the flows too.
    expect(share((r) => r.proto === 'TCP' && r.dport === 443)).toBeGreaterThan(0.17);
    expect(share((r) => r.proto === 'UDP' && r.dport === 53)).toBeGreaterThan(0.05);
    expect(share((r) => r.das !== 0)).toBeGreaterThan(0.1);
    for (const port of [25, 88, 123, 389, 445, 993, 5432, 8530, 9100]) expect(records.some((r) => r.dport === port)).toBe(true);
  });

  it('follows office hours and the week: quiet nights, busy mornings, empty Sundays', () => {
    const background = (date: string) => office(date).filter((r) => r.label === null);
    const tuesday = background(TUESDAY);
    const atHour = (h: number) => tuesday.filter((r) => new Date(r.tstart).getUTCHours() === h && r.tstart < Date.parse(`${TUESDAY}T23:59:59Z`)).length;
    expect(atHour(10)).toBeGreaterThan(6 * atHour(3));
    expect(atHour(15)).toBeGreaterThan(4 * atHour(22));
    const sunday = background(SUNDAY);
    expect(tuesday.length).toBeGreaterThan(3 * sunday.length);
  });

  it('streams several days in one export order, across midnight', () => {
    const config = small({ days: 2 });
    const days = generationDays(config);
    expect(days).toEqual([TUESDAY, '2026-11-25']);
    let previous = 0;
    const perDay = new Map<string, number>();
    const labels = new Set<string>();
    for (const r of generateRecords(config, days)) {
      expect(r.exported >= previous).toBe(true);
      previous = r.exported;
      const day = new Date(r.tstart).toISOString().slice(0, 10);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
      if (r.label) labels.add(r.label);
    }
    expect([...perDay.keys()]).toEqual(days);
    expect(Math.min(...perDay.values())).toBeGreaterThan(10_000);
    expect([...labels].filter((l) => l.endsWith('20261125'))).toHaveLength(LABEL_NAMES.length);
  });

  it('generates the configured days, from yesterday when no date is set', () => {
    expect(generationDays({ date: '2026-02-27', days: 3 })).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
    expect(generationDays({ date: '', days: 1 }, Date.UTC(2026, 0, 1, 5))).toEqual(['2025-12-31']);
  });
});
