import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/tmp.js';
import { loadConfig } from '../config/index.js';
import { openEngine, type Engine } from '../engine/index.js';
import { mlConfig } from './config.js';
import { nameParts, readPopularList } from './domains.js';
import { registerNames } from './words/names.js';

describe('nameParts', () => {
  it.each([
    ['www.bbc.co.uk', 'bbc.co.uk', 'www', 4],
    ['a.b.example.com.au', 'example.com.au', 'a.b', 5],
    ['WWW.Example.COM.', 'example.com', 'www', 3],
    ['example.com', 'example.com', '', 2],
    ['x7f3.t.tunnel.example.net', 'example.net', 'x7f3.t.tunnel', 5],
  ])('%s: registered domain %s, subdomain "%s", %i labels (Public Suffix List)', (name, domain, subdomain, labels) => {
    expect(nameParts(name)).toEqual({ name, domain, subdomain, labels });
  });

  it.each([
    ['1.0.168.192.in-addr.arpa', 6],
    [`${'1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2'}.ip6.arpa`, 34],
    ['co.uk', 2],
    ['192.0.2.1', 4],
    ['', 0],
  ])('%s has no registered domain nor subdomain, %i labels', (name, labels) => {
    expect(nameParts(name)).toEqual({ name, domain: null, subdomain: '', labels });
  });
});

describe('readPopularList', () => {
  const list = (text: string) => {
    const path = join(tempDir(), 'tranco.csv');
    writeFileSync(path, text);
    return path;
  };

  it('reads the first N registered domains of a Tranco CSV, header skipped, subdomains folded', async () => {
    const path = list('rank,domain\r\n1,google.com\r\n2,www.bbc.co.uk\r\n3,mail.google.com\r\n4,amazon.co.uk\r\n5,github.com\r\n');
    expect([...(await readPopularList(path, 3))]).toEqual(['google.com', 'bbc.co.uk', 'amazon.co.uk']);
    expect([...(await readPopularList(path, 100))]).toEqual(['google.com', 'bbc.co.uk', 'amazon.co.uk', 'github.com']);
  });

  it('refuses a file without domains and a missing file, naming it', async () => {
    const path = list('rank,domain\n1,localhost\n');
    await expect(readPopularList(path, 10)).rejects.toThrow(`${path}: no domain found: expected Tranco CSV lines "rank,domain"`);
    await expect(readPopularList(`${path}.none`, 10)).rejects.toThrow(`${path}.none: cannot read the popular-domain list: ENOENT`);
  });
});

describe('domain classes (ml_domain_class)', () => {
  /** 20 clients: all ask the intranet, 12 the BBC, 3 a CDN, 2 a rare site. */
  async function classes(config: Parameters<typeof mlConfig.parse>[0]): Promise<Record<string, number>> {
    const e: Engine = await openEngine(loadConfig({ env: {}, overrides: { 'lake.path': join(tempDir(), 'lake') } }));
    try {
      const asks = Array.from({ length: 20 }, (_, i) => `10.0.0.${i + 1}`).flatMap((client, i) => [
        [client, 'intranet.example.org'],
        ...(i < 12 ? [[client, 'www.bbc.co.uk']] : []),
        ...(i < 3 ? [[client, `cdn${i}.example.com`]] : []),
        ...(i < 2 ? [[client, 'rare.example.net']] : []),
      ]);
      await e.registerTable('asks', [{ name: 'client', type: 'text' }, { name: 'name', type: 'text' }], asks);
      await registerNames(e, 'SELECT DISTINCT name FROM asks', 'SELECT client, name FROM asks', mlConfig.parse(config));
      const rows = await e.query<{ domain: string; class: number }>('SELECT domain, class FROM ml_domain_class ORDER BY domain');
      return Object.fromEntries(rows.map((r) => [r.domain, r.class]));
    } finally {
      await e.close();
    }
  }

  it('without a list: popular = asked by the client share and at least the minimum of clients; own domains are 2', async () => {
    expect(await classes({ userDomains: ['example.org'] })).toEqual({ 'bbc.co.uk': 1, 'example.com': 1, 'example.org': 2 });
    expect(await classes({ popularClientShare: 0.5, popularMinClients: 1 })).toEqual({ 'bbc.co.uk': 1, 'example.org': 1 });
    expect(await classes({ popularMinClients: 2 })).toEqual({ 'bbc.co.uk': 1, 'example.com': 1, 'example.net': 1, 'example.org': 1 });
  });

  it('with a list: its first popularTop domains, whoever asked', async () => {
    const path = join(tempDir(), 'tranco.csv');
    writeFileSync(path, '1,example.net\n2,google.com\n3,bbc.co.uk\n');
    expect(await classes({ popularDomains: path, popularTop: 2, userDomains: ['example.org'] })).toEqual({ 'example.net': 1, 'google.com': 1, 'example.org': 2 });
  });
});
