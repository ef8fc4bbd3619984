import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withEngine } from '../../../test/helpers/engine.js';
import { enrichConfig } from './config.js';
import { Enricher } from './enricher.js';
import { buildHostsTable, enrichAddresses, enrichDomains, enrichUrls, registerIanaTables } from './tables.js';
import { writeMmdb } from './testing/mmdb-writer.js';

async function fixtureEnricher(dir: string) {
  const context = join(dir, 'context.csv');
  writeFileSync(context, ['10.0.0.0/8,Corporate', '10.20.0.0/16,Finance servers', 'fd00:1::/32,Lab v6', '10.30.0.0/33,bad'].join('\n'));
  const city = join(dir, 'city.mmdb');
  writeFileSync(city, writeMmdb({ '81.2.69.0/24': { country: { iso_code: 'GB' }, city: { names: { en: 'London' } }, location: { latitude: 51.5, longitude: -0.09 }, autonomous_system_number: 20712, autonomous_system_organization: 'Andrews & Arnold Ltd' } }));
  const ti = join(dir, 'intel.txt');
  writeFileSync(ti, ['81.2.69.7', '*.evil.example', 'http://evil.example/drop.exe'].join('\n'));
  const config = enrichConfig.parse({
    networkContext: context,
    geo: { city: [city], country: [join(dir, 'absent.mmdb')], asn: [] },
    reputation: { lists: [{ path: ti, source: 'intel' }] },
  });
  const warnings: string[] = [];
  return { enricher: await Enricher.open(config, { lakePath: join(dir, 'lake'), warn: (m) => warnings.push(m) }), warnings, context };
}

describe('enrichment tables', () => {
  it('buildHostsTable: one row per distinct address, internal from the internal networks, most specific context', () =>
    withEngine(async (e, dir) => {
      const { enricher, warnings, context } = await fixtureEnricher(dir);
      expect(warnings).toEqual([`${context}:4: "10.30.0.0/33": prefix must be 0-32`]);
      await e.run(`CREATE TEMP TABLE ev AS SELECT * FROM (VALUES ('10.20.1.1'), ('10.20.1.1'), ('10.9.9.9'), ('81.2.69.7'), ('fd00:1::5'), ('::ffff:10.20.3.4'), (NULL)) AS t(sip)`);
      expect(await buildHostsTable(e, 'SELECT sip FROM ev', 'oa_hosts', enricher)).toBe(5);
      expect(await e.query('SELECT ip, internal, context FROM oa_hosts ORDER BY ip')).toEqual([
        { ip: '10.20.1.1', internal: true, context: 'Finance servers' },
        { ip: '10.9.9.9', internal: true, context: 'Corporate' },
        { ip: '81.2.69.7', internal: false, context: null },
        { ip: '::ffff:10.20.3.4', internal: true, context: 'Finance servers' },
        { ip: 'fd00:1::5', internal: true, context: 'Lab v6' },
      ]);
      expect((await e.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'oa_hosts' ORDER BY ordinal_position`)).map((r) => `${r.column_name} ${r.data_type}`)).toEqual([
        'ip VARCHAR',
        'internal BOOLEAN',
        'context VARCHAR',
      ]);
    }));

  it('enrichAddresses: context, geo, AS and reputation; a missing database is reported and the rest still works', () =>
    withEngine(async (e, dir) => {
      const { enricher, warnings } = await fixtureEnricher(dir);
      await e.run(`CREATE TEMP TABLE ev AS SELECT * FROM (VALUES ('81.2.69.7'), ('81.2.69.8'), ('10.20.0.1')) AS t(ip)`);
      expect(await enrichAddresses(e, 'SELECT ip FROM ev', 'oa_addr', enricher)).toBe(3);
      expect(warnings.at(-1)).toBe(`${join(dir, 'absent.mmdb')}: cannot open the MMDB database: ENOENT; geolocation goes on without it`);
      const london = { internal: false, context: null, country: 'GB', city: 'London', lat: 51.5, lon: -0.09, asn: 20712, as_org: 'Andrews & Arnold Ltd' };
      expect(await e.query('SELECT * FROM oa_addr ORDER BY ip')).toEqual([
        { ip: '10.20.0.1', internal: true, context: 'Finance servers', country: null, city: null, lat: null, lon: null, asn: null, as_org: null, rep: null, rep_level: null, rep_source: null },
        { ip: '81.2.69.7', ...london, rep: 'intel:listed:3', rep_level: 3, rep_source: 'intel' },
        { ip: '81.2.69.8', ...london, rep: null, rep_level: null, rep_source: null },
      ]);
    }));

  it('enrichDomains and enrichUrls: Public Suffix List split and wildcard reputation', () =>
    withEngine(async (e, dir) => {
      const { enricher } = await fixtureEnricher(dir);
      await e.run(`CREATE TEMP TABLE q AS SELECT * FROM (VALUES ('a.b.evil.example'), ('evil.example'), ('www.bbc.co.uk'), ('4.3.2.1.in-addr.arpa'), ('co.uk')) AS t(n)`);
      expect(await enrichDomains(e, 'SELECT n FROM q', 'oa_names', enricher)).toBe(5);
      expect(await e.query('SELECT * FROM oa_names ORDER BY name')).toEqual([
        { name: '4.3.2.1.in-addr.arpa', registered: null, subdomain: '', tld: null, rep: null, rep_level: null, rep_source: null },
        { name: 'a.b.evil.example', registered: 'evil.example', subdomain: 'a.b', tld: 'example', rep: 'intel:listed:3', rep_level: 3, rep_source: 'intel' },
        { name: 'co.uk', registered: null, subdomain: '', tld: null, rep: null, rep_level: null, rep_source: null },
        { name: 'evil.example', registered: 'evil.example', subdomain: '', tld: 'example', rep: 'intel:listed:3', rep_level: 3, rep_source: 'intel' },
        { name: 'www.bbc.co.uk', registered: 'bbc.co.uk', subdomain: 'www', tld: 'co.uk', rep: null, rep_level: null, rep_source: null },
      ]);
      await e.run(`CREATE TEMP TABLE u AS SELECT * FROM (VALUES ('http://EVIL.example:80/drop.exe'), ('http://evil.example/other')) AS t(uri)`);
      await enrichUrls(e, 'SELECT uri FROM u', 'oa_uris', enricher);
      expect(await e.query('SELECT * FROM oa_uris ORDER BY uri')).toEqual([
        { uri: 'http://EVIL.example:80/drop.exe', rep: 'intel:listed:3', rep_level: 3, rep_source: 'intel' },
        { uri: 'http://evil.example/other', rep: null, rep_level: null, rep_source: null },
      ]);
    }));

  it('enrichUrls without a source that judges URLs: the distinct URIs with empty verdicts, typed as the columns', () =>
    withEngine(async (e, dir) => {
      const enricher = await Enricher.open(enrichConfig.parse({}), { lakePath: join(dir, 'lake') });
      await e.run(`CREATE TEMP TABLE u AS SELECT * FROM (VALUES ('http://a.example/x'), ('http://a.example/x'), ('http://b.example/'), (NULL)) AS t(uri)`);
      expect(await enrichUrls(e, 'SELECT uri FROM u', 'oa_uris', enricher)).toBe(2);
      expect(await e.query('SELECT * FROM oa_uris ORDER BY uri')).toEqual([
        { uri: 'http://a.example/x', rep: null, rep_level: null, rep_source: null },
        { uri: 'http://b.example/', rep: null, rep_level: null, rep_source: null },
      ]);
      expect((await e.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'oa_uris' ORDER BY ordinal_position`)).map((r) => `${r.column_name} ${r.data_type}`)).toEqual([
        'uri VARCHAR',
        'rep VARCHAR',
        'rep_level INTEGER',
        'rep_source VARCHAR',
      ]);
      await enricher.close();
    }));

  it('an empty source gives an empty table with the columns', () =>
    withEngine(async (e, dir) => {
      const { enricher } = await fixtureEnricher(dir);
      expect(await buildHostsTable(e, `SELECT CAST(NULL AS VARCHAR) AS ip WHERE false`, 'oa_hosts', enricher)).toBe(0);
      expect(await e.query('SELECT count(*) AS n FROM oa_hosts')).toEqual([{ n: 0 }]);
    }));

  it('registerIanaTables: DNS class, type, rcode, HTTP status and services, joinable by code', () =>
    withEngine(async (e) => {
      await registerIanaTables(e, { dnsClass: 'c', dnsType: 't', dnsRcode: 'r', httpStatus: 'h', service: 's' });
      expect(
        await e.query(
          `SELECT (SELECT name FROM c WHERE code = 1) AS c1, (SELECT name FROM c WHERE code = 3) AS c3, (SELECT name FROM t WHERE code = 16) AS t16, ` +
            `(SELECT name FROM t WHERE code = 28) AS t28, (SELECT name FROM t WHERE code = 10) AS t10, (SELECT name FROM r WHERE code = 3) AS r3, ` +
            `(SELECT name FROM r WHERE code = 23) AS r23, (SELECT name FROM h WHERE code = 404) AS h404, (SELECT name FROM h WHERE code = 418) AS h418, ` +
            `(SELECT name FROM s WHERE port = 3389 AND proto = 'TCP') AS rdp, (SELECT name FROM s WHERE port = 53 AND proto = 'UDP') AS dns`,
        ),
      ).toEqual([{ c1: 'IN', c3: 'CH', t16: 'TXT', t28: 'AAAA', t10: 'NULL', r3: 'NXDOMAIN', r23: 'BADCOOKIE', h404: 'Not Found', h418: "I'm a Teapot", rdp: 'ms-wbt-server', dns: 'domain' }]);
    }));
});
