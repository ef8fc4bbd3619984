import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasTool } from '../../../test/helpers/shared-data.js';
import { generateConfig } from '../config.js';
import { flagString, type FlowRecord } from '../flow-record.js';
import { generateRecords } from '../records.js';
import { buildScenario } from '../scenario.js';
import { streamSessions } from '../timeline.js';
import { DnsCaptureWriter, generateDnsMessages, type DnsCaptureSummary } from './capture.js';
import { tsharkMessages, type TsharkMessage } from './testing.js';

const DATE = '2026-11-24';
const config = generateConfig.parse({ workstations: 20, scale: 0.2, date: DATE });
const tools = hasTool('tshark') && hasTool('mergecap');

function writeCapture(dir: string, gzip: boolean): DnsCaptureSummary {
  const scenario = buildScenario(config.seed, config.workstations);
  const writer = new DnsCaptureWriter(scenario.network, { dir, gzip });
  for (const batch of streamSessions(scenario, [DATE], config.scale)) writer.add(batch);
  return writer.close();
}

function tshark(args: string[]): string {
  const run = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
}

describe.skipIf(!tools)('the DNS capture, decoded by tshark (skipped without tshark and mergecap: Debian package tshark)', () => {
  const root = mkdtempSync(join(tmpdir(), 'spothreat-dns-'));
  const plain = join(root, 'plain');
  const merged = join(root, 'all.pcap');
  let summary: DnsCaptureSummary;
  let decoded: TsharkMessage[];

  beforeAll(() => {
    spawnSync('mkdir', [plain, join(root, 'gz')]);
    summary = writeCapture(plain, false);
    // One tshark run over the day: the hourly files hold consecutive stretches of time.
    expect(spawnSync('mergecap', ['-a', '-w', merged, ...summary.files]).status).toBe(0);
    decoded = tsharkMessages(merged);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('rotates every hour: dns-YYYYMMDD-HH.pcap, each holding the packets of its hour', () => {
    expect(summary.files.map((f) => basename(f))).toEqual(Array.from({ length: 24 }, (_, h) => `dns-20261124-${String(h).padStart(2, '0')}.pcap`));
    const hours = tshark(['-r', summary.files[13]!, '-T', 'fields', '-e', 'frame.time_epoch']).trim().split('\n').map((t) => new Date(Number(t) * 1000).getUTCHours());
    expect(new Set(hours)).toEqual(new Set([13]));
    expect(summary.packets).toBeGreaterThan(10_000);
  });

  it('has no malformed packet and nothing tshark warns about', () => {
    expect(tshark(['-r', merged, '-Y', '_ws.malformed || _ws.expert.severity >= warning']).trim()).toBe('');
  });

  it('holds every message as generateDnsMessages says, field for field (ids, names, types, rcodes, answers, TTLs, ports, addresses, times)', () => {
    const expected = [...generateDnsMessages(config)];
    expect(decoded.length).toBe(expected.length);
    expect(summary.messages).toBe(expected.length);
    const mismatches = decoded.flatMap((got, i) => {
      const want = expected[i]!;
      const differ = (Object.keys(want) as (keyof typeof want)[]).filter((k) => JSON.stringify(got[k]) !== JSON.stringify(want[k]));
      return differ.length ? [{ i, differ, got, want }] : [];
    });
    expect(mismatches.slice(0, 3)).toEqual([]);
  });

  it('meets a decoder with what real captures hold: VLAN tags, IPv6, TCP, EDNS, truncation, AA, NXDOMAIN, CNAME chains, 0x20', () => {
    const some = (test: (m: TsharkMessage) => boolean) => decoded.filter(test).length;
    expect(some((m) => m.vlan !== null && m.ip_src.includes(':'))).toBeGreaterThan(0);
    expect(some((m) => m.vlan === null && m.ip_src.startsWith('10.20.0.'))).toBeGreaterThan(0); // the resolvers' uplink, untagged
    expect(some((m) => m.transport === 'tcp' && m.dns_qr)).toBeGreaterThan(0);
    expect(some((m) => m.dns_qr && (m.dns_flags & 0x0200) !== 0 && m.dns_answers.length === 0)).toBeGreaterThan(0); // TC, then TCP
    expect(some((m) => m.dns_qr && (m.dns_flags & 0x0400) !== 0)).toBeGreaterThan(0);
    expect(some((m) => m.dns_qry_rcode === 3)).toBeGreaterThan(0);
    expect(some((m) => /[A-Z]/.test(m.dns_qry_name) && m.ip_dst.startsWith('9.9.9'))).toBeGreaterThan(0);
    // TCP as decoders meet it: a message over several segments, two in one segment, a length prefix alone.
    const segments = tshark(['-r', merged, '-Y', 'tcp.len > 0', '-T', 'fields', '-e', 'tcp.len', '-e', 'dns.id', '-E', 'occurrence=a', '-E', 'aggregator=,'])
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(segments.some(([len, ids]) => len === '2' && !ids)).toBe(true);
    expect(segments.some(([len, ids]) => Number(len) > 1000 && !ids)).toBe(true);
    expect(segments.some(([, ids]) => (ids ?? '').includes(','))).toBe(true);
    const edns = tshark(['-r', merged, '-Y', 'dns.resp.type == 41', '-T', 'fields', '-e', 'dns.rr.udp_payload_size', '-E', 'occurrence=f']);
    expect(new Set(edns.trim().split('\n'))).toEqual(new Set(['1232', '4096']));
  });

  it('agrees with the NetFlow records of the same sessions: packets, bytes, first and last millisecond, TCP flags', () => {
    const fields = ['frame.time_epoch', 'ip.src', 'ipv6.src', 'ip.dst', 'ipv6.dst', 'udp.srcport', 'tcp.srcport', 'udp.dstport', 'tcp.dstport', 'ip.len', 'ipv6.plen', 'tcp.flags'];
    const packets = new Map<string, { ms: number; bytes: number; flags: number }[]>();
    let total = 0;
    for (const line of tshark(['-r', merged, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])]).trim().split('\n')) {
      const [time, src4, src6, dst4, dst6, usport, tsport, udport, tdport, len4, plen6, flags] = line.split('\t');
      const tcp = tsport !== '';
      const key = `${src4 || src6}|${tcp ? tsport : usport}|${dst4 || dst6}|${tcp ? tdport : udport}|${tcp ? 'TCP' : 'UDP'}`;
      const list = packets.get(key) ?? [];
      list.push({ ms: Math.floor(Number(time) * 1000 + 1e-6), bytes: len4 ? Number(len4) : Number(plen6) + 40, flags: tcp ? Number(flags) : 0 });
      packets.set(key, list);
      total++;
    }
    // Port 53 flows, but for the scanners' probes, which carry no DNS.
    const flows = [...generateRecords(config)].filter((r) => (r.sport === 53 || r.dport === 53) && !/scan/.test(r.label ?? ''));
    const wrong: { flow: FlowRecord; got: object }[] = [];
    let counted = 0;
    for (const flow of flows) {
      const mine = (packets.get(`${flow.sip}|${flow.sport}|${flow.dip}|${flow.dport}|${flow.proto}`) ?? []).filter((p) => p.ms >= flow.tstart && p.ms <= flow.tend);
      const got = {
        ipkt: mine.length,
        ibyt: mine.reduce((n, p) => n + p.bytes, 0),
        tstart: Math.min(...mine.map((p) => p.ms)),
        tend: Math.max(...mine.map((p) => p.ms)),
        flag: flagString(mine.reduce((f, p) => f | p.flags, 0)),
      };
      counted += mine.length;
      if (got.ipkt !== flow.ipkt || got.ibyt !== flow.ibyt || got.tstart !== flow.tstart || got.tend !== flow.tend || (flow.proto === 'TCP' && got.flag !== flow.flag)) wrong.push({ flow, got });
    }
    expect(wrong.slice(0, 3)).toEqual([]);
    expect(counted).toBe(total);
    expect(flows.length).toBeGreaterThan(5_000);
  });

  it('writes the same bytes every time, and gzip files that hold exactly them', () => {
    const gz = writeCapture(join(root, 'gz'), true);
    expect(gz.files.map((f) => basename(f))).toEqual(summary.files.map((f) => `${basename(f)}.gz`));
    gz.files.forEach((f, i) => expect(gunzipSync(readFileSync(f)).equals(readFileSync(summary.files[i]!))).toBe(true));
    expect(gz.bytes).toBeLessThan(summary.bytes * 0.8); // the tunnels' random data does not compress
    const count = (f: string) => tshark(['-r', f, '-T', 'fields', '-e', 'frame.number']).trim().split('\n').length;
    expect(count(gz.files[10]!)).toBe(count(summary.files[10]!)); // tshark reads the gzip members as one stream
  });

  it('holds the frames of a window (or of one tunnel socket session) in memory, not of the day', () => {
    expect(summary.peakFrames).toBeLessThan(summary.packets / 5);
  });
});
