import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/helpers/tmp.js';
import { enrichConfig, type TiListConfig } from '../config.js';
import { Reputation } from './reputation.js';
import { ThreatIntelList } from './ti-list.js';

const listConfig = (path: string, over: Partial<TiListConfig> = {}): TiListConfig => ({ ...enrichConfig.parse({ reputation: { lists: [{ path }] } }).reputation.lists[0]!, ...over });

async function load(name: string, lines: string[], over: Partial<TiListConfig> = {}) {
  const path = join(tempDir(), name);
  writeFileSync(path, lines.join('\n'));
  const warnings: string[] = [];
  const list = await ThreatIntelList.load(listConfig(path, over), path, (m) => warnings.push(m));
  return { path, list, warnings };
}

const lookup = async (list: ThreatIntelList, kind: 'ip' | 'domain' | 'url', values: string[]) => Object.fromEntries(await list.lookup(kind, values));

describe('local threat-intel lists', () => {
  it('plain: IPs, CIDRs, ranges, wildcard domains (apex included), exact domains, URLs, hosts-file lines', async () => {
    const { list, warnings, path } = await load('local-blocklist.txt', [
      '# our own list',
      '198.51.100.7',
      '203.0.113.0/24',
      '2001:db8:bad::/48',
      '192.0.2.10-192.0.2.20',
      '*.evil.example',
      'exact.example',
      '0.0.0.0 ads.tracker.example',
      'http://Malware.Example:80/payload.exe#frag',
      '300.1.2.3',
      'not a domain!',
      'bad_name!',
      'inline.example # with a comment',
    ]);
    expect(list.name).toBe('local-blocklist');
    expect(warnings).toEqual([
      `${path}:10: "300.1.2.3" is not an IP address, CIDR or range; line skipped`,
      `${path}:11: expected one indicator a line, found "not a domain!"; line skipped`,
      `${path}:12: "bad_name!" is not an IP address, CIDR, domain or URL; line skipped`,
    ]);
    const hit = { level: 3, source: 'local-blocklist', label: 'listed' };
    expect(await lookup(list, 'ip', ['198.51.100.7', '203.0.113.99', '2001:db8:bad:1::1', '192.0.2.15', '192.0.2.21', '::ffff:198.51.100.7'])).toEqual({
      '198.51.100.7': hit,
      '203.0.113.99': hit,
      '2001:db8:bad:1::1': hit,
      '192.0.2.15': hit,
      '::ffff:198.51.100.7': hit,
    });
    expect(await lookup(list, 'domain', ['evil.example', 'a.b.evil.example.', 'notevil.example', 'exact.example', 'sub.exact.example', 'ADS.tracker.example', 'inline.example'])).toEqual({
      'inline.example': hit,
      'evil.example': hit,
      'a.b.evil.example.': hit,
      'exact.example': hit,
      'ADS.tracker.example': hit,
    });
    expect(await lookup(list, 'url', ['http://malware.example/payload.exe', 'http://malware.example/other'])).toEqual({ 'http://malware.example/payload.exe': hit });
  });

  it('csv: indicator, label and level; a bad level is reported and skipped', async () => {
    const { list, warnings, path } = await load('intel.csv', ['# our analysts\' list', 'indicator,label,level', '198.51.100.7,Cobalt Strike: beacon,2', '*.c2.example,DGA family,1', 'x.example,oops,7', 'plain.example']);
    expect(warnings).toEqual([`${path}:5: "7" is not a level (-1 … 3); line skipped`]);
    expect(await lookup(list, 'ip', ['198.51.100.7'])).toEqual({ '198.51.100.7': { level: 2, source: 'intel', label: 'Cobalt Strike beacon' } });
    expect(await lookup(list, 'domain', ['c2.example', 'plain.example', 'x.example'])).toEqual({
      'c2.example': { level: 1, source: 'intel', label: 'DGA family' },
      'plain.example': { level: 3, source: 'intel', label: 'listed' },
    });
  });

  it('abuse.ch Feodo Tracker CSV, recognised from its header; offline C2s are medium', async () => {
    const { list, warnings } = await load('ipblocklist.csv', [
      '################################################################',
      '# abuse.ch Feodo Tracker Botnet C2 IP Blocklist (CSV)          #',
      '################################################################',
      '# "first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware"',
      '"2023-05-04 10:11:12","198.51.100.20","443","online","2023-06-01","QakBot"',
      '"2023-05-05 10:11:12","198.51.100.21","8080","offline","2023-05-20","Emotet"',
      '"2023-05-06 10:11:12","198.51.100.22"',
      '# end',
    ]);
    expect(warnings).toEqual([expect.stringMatching(/ipblocklist\.csv:7: expected 6 Feodo Tracker CSV fields, found 2; line skipped$/)]);
    expect(await lookup(list, 'ip', ['198.51.100.20', '198.51.100.21', '198.51.100.22'])).toEqual({
      '198.51.100.20': { level: 3, source: 'ipblocklist', label: 'QakBot' },
      '198.51.100.21': { level: 2, source: 'ipblocklist', label: 'Emotet' },
    });
  });

  it('abuse.ch URLhaus CSV: URLs with their threat; online high, offline medium', async () => {
    const { list, warnings } = await load('urlhaus.csv', [
      '################################################################',
      '# abuse.ch URLhaus Database Dump (CSV - recent URLs)           #',
      '# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter',
      '"100001","2023-06-01 10:00:00","http://198.51.100.30:40817/Mozi.m","online","2023-06-01 10:00:00","malware_download","elf,Mozi","https://urlhaus.abuse.ch/url/100001/","reporter1"',
      '"100002","2023-06-01 10:05:00","https://files.bad.example/a.zip","offline","","malware_download","zip","https://urlhaus.abuse.ch/url/100002/","reporter2"',
    ]);
    expect(warnings).toEqual([]);
    expect(await lookup(list, 'url', ['http://198.51.100.30:40817/Mozi.m', 'https://FILES.bad.example:443/a.zip'])).toEqual({
      'http://198.51.100.30:40817/Mozi.m': { level: 3, source: 'urlhaus', label: 'malware_download' },
      'https://FILES.bad.example:443/a.zip': { level: 2, source: 'urlhaus', label: 'malware_download' },
    });
  });

  it('abuse.ch ThreatFox CSV: ip:port, domain and URL IOCs by confidence; hashes ignored', async () => {
    const { list, warnings } = await load('threatfox.csv', [
      '# ThreatFox IOCs: CSV export',
      '# "first_seen_utc","ioc_id","ioc_value","ioc_type","threat_type","fk_malware","malware_alias","malware_printable","last_seen_utc","confidence_level","reference","tags","anonymous","reporter"',
      '"2023-06-01 10:00:00", "900001", "198.51.100.40:5555", "ip:port", "botnet_cc", "elf.mirai", "Katana", "Mirai", "", "100", "", "Mirai", "0", "abuse_ch"',
      '"2023-06-01 10:00:00", "900002", "panel.bad.example", "domain", "botnet_cc", "win.agent_tesla", "", "Agent Tesla", "", "50", "", "", "0", "someone"',
      '"2023-06-01 10:00:00", "900003", "http://dl.bad.example/x", "url", "payload_delivery", "win.asyncrat", "", "AsyncRAT", "", "25", "", "", "0", "someone"',
      '"2023-06-01 10:00:00", "900004", "0123456789abcdef0123456789abcdef", "md5_hash", "payload", "win.x", "", "X", "", "100", "", "", "0", "someone"',
      '"2023-06-01 10:00:00", "900005", "[2001:db8::66]:443", "ip:port", "botnet_cc", "win.y", "", "Y", "", "80", "", "", "0", "someone"',
    ]);
    expect(warnings).toEqual([]);
    expect(await lookup(list, 'ip', ['198.51.100.40', '2001:db8::66'])).toEqual({
      '198.51.100.40': { level: 3, source: 'threatfox', label: 'Mirai' },
      '2001:db8::66': { level: 3, source: 'threatfox', label: 'Y' },
    });
    expect(await lookup(list, 'domain', ['panel.bad.example'])).toEqual({ 'panel.bad.example': { level: 2, source: 'threatfox', label: 'Agent Tesla' } });
    expect(await lookup(list, 'url', ['http://dl.bad.example/x'])).toEqual({ 'http://dl.bad.example/x': { level: 1, source: 'threatfox', label: 'AsyncRAT' } });
  });

  it('abuse.ch SSLBL botnet C2 IP list and Feodo plain text, with an explicit format and source', async () => {
    const sslbl = await load('sslipblacklist.csv', ['# abuse.ch SSLBL Botnet C2 IP Blacklist (CSV)', '# Firstseen,DstIP,DstPort', '2023-06-01 10:00:00,198.51.100.50,443']);
    expect(await lookup(sslbl.list, 'ip', ['198.51.100.50'])).toEqual({ '198.51.100.50': { level: 3, source: 'sslipblacklist', label: 'botnet-c2' } });
    const feodo = await load('ipblocklist.txt', ['198.51.100.60', '198.51.100.61'], { format: 'feodo', source: 'feodo', level: 2 });
    expect(await lookup(feodo.list, 'ip', ['198.51.100.61'])).toEqual({ '198.51.100.61': { level: 2, source: 'feodo', label: 'botnet-c2' } });
  });

  it('a list with no usable entry says so', async () => {
    const { warnings, path } = await load('empty.txt', ['# nothing']);
    expect(warnings).toEqual([`${path}: the threat-intel list has no usable entry`]);
  });
});

describe('Reputation', () => {
  it("merges providers into Spot's \"source:label:level\" form, strongest first, with the top level and its sources", async () => {
    const a = await load('alpha.txt', ['198.51.100.7', '*.evil.example']);
    const b = await load('beta.csv', ['198.51.100.7,scanner,1', 'evil.example,phishing,3']);
    const rep = new Reputation([a.list, b.list]);
    expect(Object.fromEntries(await rep.judge('ip', ['198.51.100.7', '192.0.2.1']))).toEqual({
      '198.51.100.7': { rep: 'alpha:listed:3::beta:scanner:1', level: 3, source: 'alpha' },
    });
    expect(Object.fromEntries(await rep.judge('domain', ['evil.example']))).toEqual({
      'evil.example': { rep: 'alpha:listed:3::beta:phishing:3', level: 3, source: 'alpha,beta' },
    });
  });
});
