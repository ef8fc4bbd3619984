import { describe, expect, it } from 'vitest';
import { generateConfig } from '../config.js';
import { generateProxyRequests } from '../proxy/proxy-log.js';
import type { ProxyRequest } from '../proxy/request.js';
import { pathExtension } from '../proxy/request.js';
import { labelsFor } from '../timeline.js';
import { HTTP_BEACON_AGENT, HTTP_BEACON_GET, HTTP_BEACON_PERIOD, HTTP_C2_HOST } from './http-beaconing.js';
import { MIME_SITE_HOST } from './mime-mismatch.js';
import { PHISHING_HOST, phishingToken } from './phishing.js';
import { UPLOAD_HOST } from './upload-exfiltration.js';

const DATE = '2026-11-24';
const config = generateConfig.parse({ workstations: 20, scale: 0.2, date: DATE });
const requests = [...generateProxyRequests(config)].map((l) => l.request);
const labels = labelsFor(config, [DATE]);
const of = (name: string): ProxyRequest[] => requests.filter((q) => q.label === `${name}-20261124`);

/** Shannon entropy of a string, bits per character. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / text.length) * Math.log2(n / text.length);
  return h;
}

describe('web attacks in the proxy logs', () => {
  it('have their host in their label, and no background request goes to their hosts', () => {
    for (const [name, host] of [['http-beaconing', HTTP_C2_HOST], ['mime-mismatch', MIME_SITE_HOST], ['upload-exfiltration', UPLOAD_HOST], ['phishing', PHISHING_HOST]] as const) {
      expect(labels.find((l) => l.name === name)!.hosts).toEqual([host]);
      expect(of(name).length).toBeGreaterThan(0);
      expect(requests.filter((q) => q.host === host && q.label === null)).toEqual([]);
    }
  });

  it('http-beaconing: the same GET every 3 minutes ± 20 % all day, nearly the same size, with a user agent nobody else sends', () => {
    const gets = of('http-beaconing').filter((q) => q.method === 'GET');
    expect(gets.every((q) => q.path === HTTP_BEACON_GET && q.scheme === 'http' && q.userAgent === HTTP_BEACON_AGENT)).toBe(true);
    const gaps = gets.slice(1).map((q, i) => q.end - gets[i]!.end);
    expect(gets.length).toBeGreaterThan(420);
    expect(gets.length).toBeLessThan(560);
    expect(Math.min(...gaps)).toBeGreaterThan(HTTP_BEACON_PERIOD * 0.8 - 500);
    expect(Math.max(...gaps)).toBeLessThan(HTTP_BEACON_PERIOD * 1.2 + 3_000);
    const sizes = gets.map((q) => q.scBytes).sort((a, b) => a - b);
    expect(sizes[Math.floor(sizes.length * 0.9)]! - sizes[0]!).toBeLessThan(30);
    expect(new Set(requests.filter((q) => q.userAgent === HTTP_BEACON_AGENT).map((q) => q.client)).size).toBe(1);
    expect(of('http-beaconing').filter((q) => q.method === 'POST').every((q) => q.query?.startsWith('?__cfduid='))).toBe(true);
  });

  it('mime-mismatch: executables served as a picture and a "picture" served as an executable, from the page that linked them', () => {
    const rows = of('mime-mismatch');
    expect(rows.map((q) => [pathExtension(q.path), q.contentType, q.userAgent?.split('/')[0]])).toEqual([
      [null, 'text/html; charset=UTF-8', 'Mozilla'],
      ['js', 'application/javascript', 'Mozilla'],
      ['exe', 'image/jpeg', 'Mozilla'],
      ['png', 'application/x-msdownload', 'Microsoft BITS'],
    ]);
    expect(rows[2]!.referer).toBe(`http://${MIME_SITE_HOST}/`);
    expect(rows[2]!.scBytes).toBeGreaterThan(600_000);
  });

  it('upload-exfiltration: 16 to 24 POSTs of tens of megabytes to one host, a few hundred bytes back', () => {
    const rows = of('upload-exfiltration');
    expect(rows.length).toBeGreaterThanOrEqual(16);
    expect(rows.length).toBeLessThanOrEqual(24);
    expect(rows.every((q) => q.method === 'POST' && q.host === UPLOAD_HOST && q.status === 201 && q.csBytes > 15e6 && q.scBytes < 1000)).toBe(true);
    expect(rows.reduce((a, q) => a + q.csBytes, 0)).toBeGreaterThan(16 * 30e6);
    expect(new Set(rows.map((q) => q.client)).size).toBe(1);
  });

  it('phishing: a high-entropy path, the password POSTed, then the proxy refuses the site once rated', () => {
    const rows = of('phishing');
    const token = phishingToken(DATE);
    expect(entropy(token)).toBeGreaterThan(4.8);
    const background = requests.filter((q) => q.label === null && q.method !== 'CONNECT');
    expect(Math.max(...background.flatMap((q) => q.path.split('/')).map(entropy))).toBeLessThan(entropy(token));
    expect(rows.every((q) => q.path.startsWith(`/${token}/`))).toBe(true);
    expect(rows.map((q) => [q.method, q.status, q.category, q.outcome])).toEqual([
      ['GET', 200, 'Uncategorized', 'miss'],
      ['GET', 200, 'Uncategorized', 'miss'],
      ['GET', 200, 'Uncategorized', 'miss'],
      ['GET', 200, 'Uncategorized', 'miss'],
      ['POST', 302, 'Uncategorized', 'miss'],
      ['GET', 403, 'Phishing', 'denied'],
    ]);
    expect(new Set(rows.map((q) => q.client)).size).toBe(2);
    expect(rows.at(-1)!.server).toBeNull();
  });
});
