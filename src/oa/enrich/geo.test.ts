import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/tmp.js';
import { enrichConfig } from './config.js';
import { resolveDataFile } from './files.js';
import { GeoLookup } from './geo.js';
import { writeMmdb } from './testing/mmdb-writer.js';

const geoConfig = (over: Partial<ReturnType<typeof enrichConfig.parse>['geo']>) => ({ ...enrichConfig.parse({}).geo, country: [], asn: [], ...over });

function fixtures(dir: string) {
  const city = join(dir, 'GeoLite2-City.mmdb');
  writeFileSync(
    city,
    writeMmdb({
      '81.2.69.0/24': { country: { iso_code: 'GB' }, city: { names: { en: 'London' } }, location: { latitude: 51.5142, longitude: -0.0931 } },
      '2001:db8:100::/40': { country: { iso_code: 'JP' }, city: { names: { en: 'Tokyo' } }, location: { latitude: 35.68, longitude: 139.69 } },
    }),
  );
  const country = join(dir, 'country.mmdb');
  writeFileSync(country, writeMmdb({ '81.0.0.0/8': { country_code: 'FR' }, '89.160.0.0/16': { country_code: 'SE' } }, 'geo-whois-asn-country'));
  const asn = join(dir, 'GeoLite2-ASN.mmdb');
  writeFileSync(asn, writeMmdb({ '81.2.69.0/24': { autonomous_system_number: 20712, autonomous_system_organization: 'Andrews & Arnold Ltd' } }, 'GeoLite2-ASN'));
  const asnCsv = join(dir, 'asn-ipv6.csv');
  writeFileSync(asnCsv, ['2001:db8::,2001:db8:ffff:ffff:ffff:ffff:ffff:ffff,64496,"Example, Inc."', 'garbage line', '89.160.20.0,89.160.20.255,29518,Bredband2 AB'].join('\n'));
  return { city, country, asn, asnCsv };
}

describe('geolocation and AS', () => {
  it('merges city, country and AS databases, MaxMind and ip-location-db layouts, the first that knows a field winning', async () => {
    const f = fixtures(tempDir());
    const warnings: string[] = [];
    const geo = await GeoLookup.open(geoConfig({ city: [f.city], country: [f.country], asn: [f.asn, f.asnCsv] }), (m) => warnings.push(m));
    expect(warnings).toEqual([`${f.asnCsv}:2: expected "first,last,asn,organisation", found 1 field(s); line skipped`]);
    expect(geo.lookup('81.2.69.160')).toEqual({ country: 'GB', city: 'London', lat: 51.5142, lon: -0.0931, asn: 20712, as_org: 'Andrews & Arnold Ltd' });
    expect(geo.lookup('::ffff:81.2.69.1')).toEqual(geo.lookup('81.2.69.160'));
    expect(geo.lookup('81.3.0.1')).toEqual({ country: 'FR', city: null, lat: null, lon: null, asn: null, as_org: null });
    expect(geo.lookup('89.160.20.112')).toEqual({ country: 'SE', city: null, lat: null, lon: null, asn: 29518, as_org: 'Bredband2 AB' });
    expect(geo.lookup('2001:db8:100::1')).toEqual({ country: 'JP', city: 'Tokyo', lat: 35.68, lon: 139.69, asn: 64496, as_org: 'Example, Inc.' });
    expect(geo.lookup('10.0.0.1')).toEqual({ country: null, city: null, lat: null, lon: null, asn: null, as_org: null });
  });

  it('a missing and a corrupt database are named, and the others still answer', async () => {
    const dir = tempDir();
    const f = fixtures(dir);
    const corrupt = join(dir, 'corrupt.mmdb');
    writeFileSync(corrupt, Buffer.from('this is not a MaxMind database'.repeat(10)));
    const missing = join(dir, 'GeoLite2-Country.mmdb');
    const warnings: string[] = [];
    const geo = await GeoLookup.open(geoConfig({ city: [corrupt], country: [missing, f.country], asn: ['npm:@example/not-installed/asn.mmdb'] }), (m) => warnings.push(m));
    expect(warnings).toEqual([
      expect.stringMatching(new RegExp(`^${corrupt}: not a valid MMDB database: .+; geolocation goes on without it$`)),
      `${missing}: cannot open the MMDB database: ENOENT; geolocation goes on without it`,
      'npm:@example/not-installed/asn.mmdb: not installed: run "npm install @example/not-installed" or configure a file path instead; geolocation goes on without it',
    ]);
    expect(geo.lookup('89.160.20.112').country).toBe('SE');
  });

  it('a database whose tree is damaged is dropped at its first failing lookup, with one message', async () => {
    const dir = tempDir();
    const f = fixtures(dir);
    const bytes = writeMmdb({ '81.2.69.0/24': { country: { iso_code: 'GB' } } });
    bytes.fill(0xee, 0, 6 * 40); // records pointing far beyond the data section
    const damaged = join(dir, 'damaged.mmdb');
    writeFileSync(damaged, bytes);
    const warnings: string[] = [];
    const geo = await GeoLookup.open(geoConfig({ city: [damaged], country: [f.country] }), (m) => warnings.push(m));
    expect(geo.lookup('81.2.69.1').country).toBe('FR');
    expect(geo.lookup('81.2.69.2').country).toBe('FR');
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^${damaged}: corrupt MMDB database, no longer used: `))]);
  });

  it('disabled: nothing is opened, every field is null', async () => {
    const geo = await GeoLookup.open({ ...enrichConfig.parse({}).geo, enabled: false }, () => {});
    expect(geo.lookup('8.8.8.8').country).toBeNull();
  });

  const shipped = (() => {
    try {
      return existsSync(resolveDataFile(enrichConfig.parse({}).geo.country[0]!));
    } catch {
      return false;
    }
  })();
  describe.skipIf(!shipped)('the default databases shipped as npm packages', () => {
    it('know Google and Cloudflare public resolvers, IPv4 and IPv6', async () => {
      const warnings: string[] = [];
      const geo = await GeoLookup.open(enrichConfig.parse({}).geo, (m) => warnings.push(m));
      expect(warnings).toEqual([]);
      expect(geo.lookup('8.8.8.8')).toMatchObject({ country: 'US', asn: 15169, as_org: 'Google LLC' });
      expect(geo.lookup('2001:4860:4860::8888')).toMatchObject({ country: 'US', asn: 15169 });
      expect(geo.lookup('1.1.1.1')).toMatchObject({ asn: 13335, as_org: 'Cloudflare, Inc.' });
    });
  });
});
