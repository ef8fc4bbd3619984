import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HOUR } from '../calendar.js';
import { generateConfig } from '../config.js';
import { generateProxyRequests, writeProxyLogs } from './proxy-log.js';

const DATE = '2026-11-24';
const DAY_START = Date.parse(`${DATE}T00:00:00Z`);
const config = generateConfig.parse({ workstations: 40, scale: 0.5, date: DATE });
const logged = [...generateProxyRequests(config)];
const background = logged.filter((l) => l.request.label === null).map((l) => l.request);
const dir = mkdtempSync(join(tmpdir(), 'proxy-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the proxy logs of a generated day', () => {
  it('are written hourly per proxy, in completion order, one line per request, from bounded memory', () => {
    const summary = writeProxyLogs(config, dir);
    expect(summary.lines).toBe(logged.length);
    expect(readdirSync(dir).sort()).toEqual(summary.files.map((f) => f.slice(dir.length + 1)));
    expect(summary.files.filter((f) => f.includes('/bluecoat-hq-20261124-')).length).toBe(24);
    const lines = summary.files.flatMap((f) => readFileSync(f, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')));
    expect(lines.length).toBe(logged.length);
    for (const sensor of ['bluecoat-hq', 'squid-branch']) {
      const ends = logged.filter((l) => l.sensor.name === sensor).map((l) => l.request.end);
      expect(ends.every((t, i) => i === 0 || t >= ends[i - 1]!)).toBe(true);
    }
    expect(summary.peakRequests).toBeLessThan(logged.length / 20);
  });

  it('are the same for the same seed', () => {
    const again = [...generateProxyRequests(config)];
    expect(again.length).toBe(logged.length);
    expect(again.slice(0, 500)).toEqual(logged.slice(0, 500));
  });

  it('have a realistic background: agents, referers, statuses, types, tunnels, IPv6, updates, a daily rhythm', () => {
    const agents = new Set(background.map((q) => q.userAgent));
    expect(agents.size).toBeGreaterThanOrEqual(15);
    for (const a of ['Microsoft-Delivery-Optimization/10.0', 'Microsoft BITS/7.8', 'Debian APT-HTTP/1.3 (2.6.1)', 'GoogleUpdater 126.0.6478.127']) expect(agents).toContain(a);
    const assets = background.filter((q) => q.method === 'GET' && /\.(js|css|png|jpg|webp|svg|woff2)$/.test(q.path));
    expect(assets.filter((q) => q.referer !== null).length / assets.length).toBeGreaterThan(0.9);
    const statuses = new Set(background.map((q) => q.status));
    for (const s of [200, 204, 206, 301, 302, 304, 401, 404]) expect(statuses).toContain(s);
    const types = new Set(background.map((q) => q.contentType));
    for (const t of ['text/html; charset=utf-8', 'application/javascript', 'text/css', 'image/png', 'font/woff2', 'application/json', 'application/vnd.ms-cab-compressed']) expect(types).toContain(t);
    expect(background.filter((q) => q.outcome === 'tunnel').length).toBeGreaterThan(100);
    expect(background.filter((q) => q.outcome === 'hit' && q.server === null).length).toBeGreaterThan(10);
    expect(background.some((q) => q.client.includes(':'))).toBe(true);
    const perHour = (h: number) => background.filter((q) => q.end >= DAY_START + h * HOUR && q.end < DAY_START + (h + 1) * HOUR).length;
    expect(perHour(10)).toBeGreaterThan(10 * perHour(3));
    // Head office: most https opened and logged request by request; branch: every https a tunnel.
    const https = logged.filter((l) => l.request.scheme !== 'http' && l.request.label === null);
    expect(https.filter((l) => l.sensor.name === 'squid-branch').every((l) => l.request.method === 'CONNECT')).toBe(true);
    const office = https.filter((l) => l.sensor.name === 'bluecoat-hq');
    expect(office.filter((l) => l.request.method === 'CONNECT').length / office.length).toBeLessThan(0.2);
  });
});
