import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/helpers/tmp.js';
import { enrichConfig, type AbuseIpDbConfig } from '../config.js';
import { Enricher } from '../enricher.js';
import { AbuseIpDb } from './abuseipdb.js';
import { VerdictCache } from './disk-cache.js';

/** A stand-in for api.abuseipdb.com: answers /api/v2/check from a table, records every request. */
interface Fake {
  url: string;
  requests: { ip: string; key: string | undefined; maxAge: string | null; at: number }[];
}

let server: Server | null = null;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function fakeAbuseIpDb(answer: (ip: string, n: number) => { status: number; body?: unknown; delayMs?: number }): Promise<Fake> {
  const fake: Fake = { url: '', requests: [] };
  server = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const ip = url.searchParams.get('ipAddress') ?? '';
    fake.requests.push({ ip, key: req.headers.key as string | undefined, maxAge: url.searchParams.get('maxAgeInDays'), at: Date.now() });
    const a = answer(ip, fake.requests.length);
    setTimeout(() => {
      res.writeHead(a.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(a.body ?? { errors: [{ detail: 'error' }] }));
    }, a.delayMs ?? 0);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  fake.url = `http://127.0.0.1:${(server!.address() as AddressInfo).port}/api/v2/check`;
  return fake;
}

const SCORES: Record<string, { abuseConfidenceScore: number; totalReports: number; isWhitelisted?: boolean }> = {
  '198.51.100.1': { abuseConfidenceScore: 100, totalReports: 321 },
  '198.51.100.2': { abuseConfidenceScore: 40, totalReports: 12 },
  '198.51.100.3': { abuseConfidenceScore: 3, totalReports: 1 },
  '198.51.100.4': { abuseConfidenceScore: 0, totalReports: 0 },
  '198.51.100.5': { abuseConfidenceScore: 90, totalReports: 50, isWhitelisted: true },
};

const config = (url: string, over: Partial<AbuseIpDbConfig> = {}): AbuseIpDbConfig => ({ ...enrichConfig.parse({}).reputation.abuseipdb, enabled: true, url, requestsPerMinute: 6000, ...over });

describe('AbuseIPDB provider', () => {
  it('maps confidence to levels, sends the key and maxAgeInDays, never sends internal addresses, caches answers on disk', async () => {
    const fake = await fakeAbuseIpDb((ip) => ({ status: 200, body: { data: { ipAddress: ip, ...SCORES[ip] } } }));
    const lake = join(tempDir(), 'lake');
    const open = () =>
      Enricher.open(enrichConfig.parse({ reputation: { abuseipdb: config(fake.url) } }), { lakePath: lake, env: { ABUSEIPDB_API_KEY: 'k-123' } });
    const enricher = await open();
    const rep = await enricher.reputation();
    const ips = [...Object.keys(SCORES), '10.1.2.3', '192.168.0.9'];
    const internal = new Set(['10.1.2.3', '192.168.0.9']);
    const judged = Object.fromEntries(await rep.judge('ip', ips, (ip) => internal.has(ip)));
    expect(judged).toEqual({
      '198.51.100.1': { rep: 'abuseipdb:confidence 100% reports 321:3', level: 3, source: 'abuseipdb' },
      '198.51.100.2': { rep: 'abuseipdb:confidence 40% reports 12:2', level: 2, source: 'abuseipdb' },
      '198.51.100.3': { rep: 'abuseipdb:confidence 3% reports 1:1', level: 1, source: 'abuseipdb' },
      '198.51.100.4': { rep: 'abuseipdb:confidence 0% reports 0:0', level: 0, source: 'abuseipdb' },
      '198.51.100.5': { rep: 'abuseipdb:confidence 90% reports 50:0', level: 0, source: 'abuseipdb' },
    });
    expect(fake.requests.map((r) => r.ip).sort()).toEqual(Object.keys(SCORES));
    expect(new Set(fake.requests.map((r) => `${r.key} ${r.maxAge}`))).toEqual(new Set(['k-123 90']));
    await enricher.close();
    const cacheFile = join(lake, '_cache', 'reputation', 'abuseipdb.jsonl');
    expect(readFileSync(cacheFile, 'utf8').trim().split('\n')).toHaveLength(5);

    // A second run answers from the cache without a request.
    const again = await open();
    expect(Object.fromEntries(await (await again.reputation()).judge('ip', ['198.51.100.1']))).toEqual({ '198.51.100.1': judged['198.51.100.1'] });
    expect(fake.requests).toHaveLength(5);
    await again.close();
  });

  it('timeouts and HTTP errors leave the address unverified (-1) with a message; a 429 stops asking', async () => {
    const fake = await fakeAbuseIpDb((ip) =>
      ip === '198.51.100.1' ? { status: 200, body: { data: SCORES[ip] }, delayMs: 400 } : ip === '198.51.100.2' ? { status: 500 } : { status: 429 },
    );
    const warnings: string[] = [];
    const cache = await VerdictCache.open(join(tempDir(), 'c.jsonl'), 3_600_000);
    const provider = new AbuseIpDb(config(fake.url, { timeoutMs: 150 }), 'k', cache, (m) => warnings.push(m));
    const got = Object.fromEntries(await provider.lookup('ip', ['198.51.100.1', '198.51.100.2', '198.51.100.3', '198.51.100.4', '198.51.100.5']));
    expect(got['198.51.100.1']).toEqual({ level: -1, source: 'abuseipdb', label: 'unverified error' });
    expect(got['198.51.100.2']).toEqual({ level: -1, source: 'abuseipdb', label: 'unverified error' });
    expect(got['198.51.100.3']).toEqual({ level: -1, source: 'abuseipdb', label: 'unverified rate limited' });
    expect(warnings).toContain('abuseipdb: 198.51.100.1: timed out after 150 ms; left unverified');
    expect(warnings).toContain('abuseipdb: 198.51.100.2: HTTP 500; left unverified');
    expect(warnings).toContain('abuseipdb: the service answered 429 (rate limit or daily quota reached); the remaining addresses stay unverified (-1)');
    expect(Object.values(got).every((v) => v.level === -1)).toBe(true);
  });

  it('spaces requests by the rate limit and stops at maxLookupsPerRun', async () => {
    const fake = await fakeAbuseIpDb((ip) => ({ status: 200, body: { data: SCORES[ip] } }));
    const warnings: string[] = [];
    const cache = await VerdictCache.open(join(tempDir(), 'c.jsonl'), 3_600_000);
    const provider = new AbuseIpDb(config(fake.url, { requestsPerMinute: 600, maxLookupsPerRun: 4 }), 'k', cache, (m) => warnings.push(m));
    const got = await provider.lookup('ip', Object.keys(SCORES));
    expect(fake.requests).toHaveLength(4);
    const gaps = fake.requests.slice(1).map((r, i) => r.at - fake.requests[i]!.at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(90); // 600 a minute: one every 100 ms
    expect(got.get('198.51.100.5')).toEqual({ level: -1, source: 'abuseipdb', label: 'unverified limit' });
    expect(warnings).toEqual(['abuseipdb: 4 lookups made, the per-run limit (maxLookupsPerRun); the remaining addresses stay unverified (-1)']);
  });

  it('enabled without a key: a clear message, and no provider', async () => {
    const warnings: string[] = [];
    const e = await Enricher.open(enrichConfig.parse({ reputation: { abuseipdb: { enabled: true } } }), { lakePath: tempDir(), env: {}, warn: (m) => warnings.push(m) });
    expect((await e.reputation()).providers).toEqual([]);
    expect(warnings).toEqual(['abuseipdb: no API key in $ABUSEIPDB_API_KEY; the service is not asked']);
  });
});
