import { describe, expect, it } from 'vitest';
import { NetworkSet } from '../shared/ip.js';
import { HOUR } from './calendar.js';
import { generateConfig } from './config.js';
import type { FlowRecord } from './flow-record.js';
import { labelMatcher, LABEL_NAMES, type Label, type LabelName } from './labels.js';
import { generateRecords } from './records.js';
import { labelsFor } from './timeline.js';

const DATE = '2026-11-24';
const DAY_START = Date.parse(`${DATE}T00:00:00Z`);
const config = generateConfig.parse({ workstations: 20, scale: 0.2, date: DATE });
const records = [...generateRecords(config)];
const labels = labelsFor(config, [DATE]);

function injected(name: LabelName): { label: Label; all: FlowRecord[]; forward: FlowRecord[] } {
  const label = labels.find((l) => l.name === name)!;
  const all = records.filter((r) => r.label === label.id);
  const src = new NetworkSet(label.src);
  return { label, all, forward: all.filter((r) => src.has(r.sip)) };
}

const distinct = <T,>(xs: T[]) => new Set(xs).size;
const hourOf = (t: number) => (t - DAY_START) / HOUR;

describe('injected attacks and benign-rare jobs', () => {
  it('have one labels.csv row each per day, with the right category', () => {
    expect(labels.map((l) => l.name).sort()).toEqual([...LABEL_NAMES].sort());
    expect(labels.filter((l) => l.category === 'benign-rare').map((l) => l.name).sort()).toEqual(['backup-job', 'vulnerability-scan']);
    expect(labels.map((l) => l.id)).toContain('beaconing-20261124');
    expect(new Set(records.filter((r) => r.label).map((r) => r.label))).toEqual(new Set(labels.map((l) => l.id)));
  });

  it.each(LABEL_NAMES.map((n) => [n]))('%s: every labelled record matches its row (entities, ports, window)', (name) => {
    const { label, all } = injected(name);
    const matches = labelMatcher(label);
    expect(all.length).toBeGreaterThan(0);
    expect(all.filter((r) => !matches(r))).toEqual([]);
  });

  it.each([['beaconing'], ['horizontal-scan'], ['vertical-scan'], ['exfiltration'], ['long-connection'], ['backup-job']] as const)(
    '%s: no background record matches the row',
    (name) => {
      const { label } = injected(name);
      const matches = labelMatcher(label);
      expect(records.filter((r) => r.label !== label.id && matches(r))).toEqual([]);
    },
  );

  it('beaconing: one check-in to one external address on 443 about every 60 s, all day, nearly constant size', () => {
    const { label, forward } = injected('beaconing');
    expect(label.end - label.start).toBeGreaterThan(23.9 * HOUR);
    expect(distinct(forward.map((r) => r.dip))).toBe(1);
    expect(forward.every((r) => r.dport === 443 && r.das === 64500)).toBe(true);
    const starts = forward.map((r) => r.tstart).sort((a, b) => a - b);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    expect(forward.length).toBeGreaterThan(1400);
    expect(forward.length).toBeLessThan(1480);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(51_000);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(69_000);
    // Apart from the few check-ins that fetch a task, sizes vary by a few bytes.
    const sizes = forward.map((r) => r.ibyt).sort((a, b) => a - b);
    const at = (q: number) => sizes[Math.floor(q * sizes.length)]!;
    expect(at(0.95) - at(0.05)).toBeLessThan(40);
  });

  it('horizontal scan: SYNs from one source port to all 254 addresses of a /24 on 445 within a minute', () => {
    const { label, forward, all } = injected('horizontal-scan');
    expect(label.dst).toHaveLength(1);
    expect(label.dst[0]).toMatch(/^10\.10\.\d+\.0\/24$/);
    expect(distinct(forward.map((r) => r.dip))).toBe(254);
    expect(distinct(forward.map((r) => r.sport))).toBe(1);
    expect(forward.every((r) => r.dport === 445 && r.flag.includes('S'))).toBe(true);
    expect(label.end - label.start).toBeLessThan(60_000);
    // Only workstations that are there and on answer (SYN-ACK); the rest stay silent.
    const answers = all.filter((r) => r.sport === 445);
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.length).toBeLessThan(254);
    expect(answers.every((r) => r.flag === '...A..S.')).toBe(true);
  });

  it('vertical scan: ports 1-1024 of the public web server at night; the ACL drops all but 80 and 443', () => {
    const { label, forward, all } = injected('vertical-scan');
    expect(forward.map((r) => r.dport).sort((a, b) => a - b)).toEqual(Array.from({ length: 1024 }, (_, i) => i + 1));
    expect(distinct(forward.map((r) => r.dip))).toBe(1);
    expect(forward.filter((r) => r.fwd === 129).length).toBe(1022);
    expect(all.filter((r) => r.sip === forward[0]!.dip).map((r) => r.sport).sort((a, b) => a - b)).toEqual([80, 443]);
    expect(hourOf(label.start)).toBeGreaterThanOrEqual(3);
    expect(hourOf(label.end)).toBeLessThan(5.1);
  });

  it('exfiltration: gigabytes uploaded to one external host over 443 between 02:00 and 04:00', () => {
    const { label, forward, all } = injected('exfiltration');
    const up = forward.reduce((n, r) => n + r.ibyt, 0);
    const down = all.filter((r) => !forward.includes(r)).reduce((n, r) => n + r.ibyt, 0);
    expect(up).toBeGreaterThan(2e9);
    expect(up / down).toBeGreaterThan(40); // what comes back is little more than ACKs
    expect(distinct(forward.map((r) => r.dip))).toBe(1);
    expect(hourOf(label.start)).toBeGreaterThanOrEqual(2);
    expect(hourOf(label.end)).toBeLessThan(4);
  });

  it('lateral movement: one workstation reaches several internal hosts over SMB, WinRM, RDP and SSH', () => {
    const { label, forward } = injected('lateral-movement');
    expect(new Set(forward.map((r) => r.dport))).toEqual(new Set([22, 445, 3389, 5985, 5986]));
    expect(distinct(forward.map((r) => r.dip))).toBe(label.dst.length);
    expect(label.dst.length).toBeGreaterThanOrEqual(4);
    expect(forward.every((r) => r.das === 0 && r.sas === 0)).toBe(true);
  });

  it('long connection: one TCP connection to 4444 held for hours, cut by the 30-minute active timeout', () => {
    const { label, forward } = injected('long-connection');
    expect(label.end - label.start).toBeGreaterThanOrEqual(5 * HOUR);
    expect(forward.length).toBe(Math.ceil((label.end - label.start + 1) / (30 * 60_000)));
    expect(distinct(forward.map((r) => `${r.sport}>${r.dip}:${r.dport}`))).toBe(1);
    expect(forward[0]!.flag).toBe('...AP.S.');
    expect(forward[forward.length - 1]!.flag).toBe('...AP..F');
  });

  it('backup job: the backup server pulls tens of gigabytes from every agent on 10000 from about 01:00', () => {
    const { label, forward, all } = injected('backup-job');
    expect(distinct(forward.map((r) => r.dip))).toBe(label.dst.length);
    expect(forward.every((r) => r.dport === 10000 && r.stos === 32)).toBe(true);
    expect(all.filter((r) => r.sport === 10000).reduce((n, r) => n + r.ibyt, 0)).toBeGreaterThan(50e9);
    expect(hourOf(label.start)).toBeGreaterThanOrEqual(1);
    expect(hourOf(label.start)).toBeLessThan(1.34);
  });

  it('vulnerability scan: the scanner pings and probes many hosts on many ports within minutes', () => {
    const { label, forward } = injected('vulnerability-scan');
    expect(distinct(forward.map((r) => r.dip))).toBeGreaterThanOrEqual(20);
    expect(distinct(forward.filter((r) => r.proto === 'TCP').map((r) => r.dport))).toBe(label.dports.length);
    expect(forward.filter((r) => r.proto === 'ICMP').length).toBe(distinct(forward.map((r) => r.dip)));
    expect(label.end - label.start).toBeLessThan(10 * 60_000);
    expect(hourOf(label.start)).toBeGreaterThanOrEqual(21);
  });
});
