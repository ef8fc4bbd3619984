import { describe, expect, it } from 'vitest';
import { tcpSession } from '../build-session.js';
import { buildNetwork } from '../network.js';
import { Prng } from '../prng.js';
import type { HttpExchange } from '../session.js';
import { connectionRequests, split } from './connection.js';
import { ProxyTopology } from './sensors.js';
import { SiteCatalog } from './sites.js';

const network = buildNetwork(40, Prng.fromSeed(3).fork('network'));
const topology = new ProxyTopology(network);
const catalog = new SiteCatalog(network.internet);
const office = network.workstations[0]!;
const branch = network.workstations[network.workstations.length - 1]!;
const nytimes = network.internet.web.find((s) => s.name === 'www.nytimes.com')!;
const http: HttpExchange = { scheme: 'https', method: 'GET', host: nytimes.name, path: '/', status: 200, userAgent: 'test' };
const session = (src: string, fields: Partial<Parameters<typeof tcpSession>[0]> = {}) =>
  tcpSession({ start: Date.UTC(2026, 10, 24, 10), src, sport: 50_000, dst: nytimes.v4[0]!, dport: 443, rtt: 30, duration: 4_000, upload: 6_000, download: 900_000, app: { http }, ...fields });

describe('split', () => {
  it('gives every part its minimum while the total allows, the rest by weight, and adds up exactly', () => {
    expect(split(1000, [100, 100, 100], [1, 1, 2])).toEqual([275, 275, 450]);
    expect(split(150, [100, 100], [1, 1])).toEqual([100, 50]);
    expect(split(1001, [0, 0], [1, 0])).toEqual([1001, 0]);
  });
});

describe('connectionRequests', () => {
  it('fills a page connection with the page and its assets, splitting its payload and its time exactly', () => {
    const s = session(office.ipv4);
    const requests = connectionRequests(s, topology.clientOf(s)!, catalog);
    expect(requests.length).toBeGreaterThan(1);
    expect(requests[0]).toMatchObject({ method: 'GET', path: '/', contentType: 'text/html; charset=utf-8', scheme: 'https', category: 'News', username: 'anna.berg' });
    expect(requests.slice(1).every((q) => q.referer === 'https://www.nytimes.com/')).toBe(true);
    expect(requests.reduce((a, q) => a + q.csBytes, 0)).toBe(6_000);
    expect(requests.reduce((a, q) => a + q.scBytes, 0)).toBe(900_000);
    expect(requests.at(-1)!.end).toBe(s.start + s.duration);
    for (let i = 1; i < requests.length; i++) expect(requests[i]!.end - requests[i]!.duration).toBe(requests[i - 1]!.end);
    expect(requests[0]!.end - requests[0]!.duration).toBe(s.start + 2 * s.rtt);
    // The same connection gives the same requests: the detail comes from a stream keyed by it.
    expect(connectionRequests(s, topology.clientOf(s)!, catalog)).toEqual(requests);
  });

  it('logs HTTPS at the branch as one CONNECT tunnel with the whole payload', () => {
    const s = session(branch.ipv4);
    expect(connectionRequests(s, topology.clientOf(s)!, catalog)).toEqual([
      expect.objectContaining({ method: 'CONNECT', scheme: 'tcp', path: '/', port: 443, outcome: 'tunnel', csBytes: 6_000, scBytes: 900_000, userAgent: null, duration: s.duration }),
    ]);
  });

  it("logs an attack's session as exactly the request it names, with the type it was served as", () => {
    const lie: HttpExchange = { ...http, scheme: 'http', path: '/a/b.exe?x=1', userAgent: 'Microsoft BITS/7.8', contentType: 'image/jpeg' };
    const s = session(office.ipv4, { dport: 80, label: 'mime-mismatch-20261124', app: { http: lie } });
    expect(connectionRequests(s, topology.clientOf(s)!, catalog)).toEqual([
      expect.objectContaining({ path: '/a/b.exe', query: '?x=1', contentType: 'image/jpeg', userAgent: 'Microsoft BITS/7.8', csBytes: 6_000, scBytes: 900_000, end: s.start + s.duration, label: 'mime-mismatch-20261124' }),
    ]);
  });

  it('leaves out what no proxy sees: QUIC, internal servers, other ports', () => {
    const intranet = network.servers.intranet[0]!;
    expect(topology.clientOf(session(office.ipv4, { dst: intranet.ipv4 }))).toBeNull();
    expect(topology.clientOf(session(office.ipv4, { dport: 8443 }))).toBeNull();
    expect(topology.clientOf({ ...session(office.ipv4), proto: 17 })).toBeNull();
  });
});
