import { describe, expect, it } from 'vitest';
import { formatPorts, labelMatcher, labelsCsv, LABELS_HEADER, parseLabelsCsv, parsePorts, proxyLabelMatcher, type Label } from './labels.js';

const label: Label = {
  id: 'vertical-scan-20261124',
  category: 'attack',
  name: 'vertical-scan',
  src: ['192.0.2.66'],
  dst: ['172.16.10.0/24', '10.20.0.10'],
  dports: [22, 1, 2, 3, 4, 80, 443, 444],
  proto: ['TCP', 'ICMP'],
  start: Date.UTC(2026, 10, 24, 3, 0, 0, 250),
  end: Date.UTC(2026, 10, 24, 3, 1, 0, 0),
  description: 'a scan, "quoted", with commas',
  hosts: [],
};

describe('labels.csv', () => {
  it('writes one row per label with ranges, lists and ISO times, and reads it back unchanged', () => {
    const text = labelsCsv([label]);
    expect(text).toBe(
      `${LABELS_HEADER}\n` +
        'vertical-scan-20261124,attack,vertical-scan,192.0.2.66,172.16.10.0/24;10.20.0.10,1-4;22;80;443;444,TCP;ICMP,2026-11-24T03:00:00.250Z,2026-11-24T03:01:00.000Z,"a scan, ""quoted"", with commas",""\n',
    );
    expect(parseLabelsCsv(text)).toEqual([{ ...label, dports: [1, 2, 3, 4, 22, 80, 443, 444] }]);
  });

  it('rejects a file with another header or an unknown attack', () => {
    expect(() => parseLabelsCsv('id,kind\n')).toThrow('header must be');
    expect(() => parseLabelsCsv(`${LABELS_HEADER}\nx,attack,ddos,a,b,,TCP,2026-11-24T00:00:00Z,2026-11-24T00:00:00Z,d,\n`)).toThrow('unknown attack "ddos"');
  });

  it('compresses runs of three or more ports into ranges', () => {
    expect(formatPorts([5986, 22, 445, 3389, 5985])).toBe('22;445;3389;5985;5986');
    expect(formatPorts(Array.from({ length: 1024 }, (_, i) => i + 1))).toBe('1-1024');
    expect(parsePorts('1-3;22')).toEqual([1, 2, 3, 22]);
    expect(parsePorts('')).toEqual([]);
    expect(() => parsePorts('http')).toThrow('not a port');
  });
});

describe('labelMatcher', () => {
  const matches = labelMatcher(label);
  const t = label.start + 1000;
  it('matches the attacker side and the answers inside the window, and nothing else', () => {
    expect(matches({ tstart: t, sip: '192.0.2.66', dip: '172.16.10.10', sport: 40000, dport: 443, proto: 'TCP' })).toBe(true);
    expect(matches({ tstart: t, sip: '172.16.10.10', dip: '192.0.2.66', sport: 443, dport: 40000, proto: 'TCP' })).toBe(true);
    expect(matches({ tstart: t, sip: '192.0.2.66', dip: '10.20.0.10', sport: 0, dport: 2048, proto: 'ICMP' })).toBe(true);
    expect(matches({ tstart: t, sip: '192.0.2.66', dip: '172.16.10.10', sport: 40000, dport: 8080, proto: 'TCP' })).toBe(false);
    expect(matches({ tstart: t, sip: '192.0.2.66', dip: '172.16.10.10', sport: 40000, dport: 443, proto: 'UDP' })).toBe(false);
    expect(matches({ tstart: t, sip: '192.0.2.67', dip: '172.16.10.10', sport: 40000, dport: 443, proto: 'TCP' })).toBe(false);
    expect(matches({ tstart: label.end + 1, sip: '192.0.2.66', dip: '172.16.10.10', sport: 40000, dport: 443, proto: 'TCP' })).toBe(false);
    expect(matches({ tstart: label.end, sip: '192.0.2.66', dip: '172.16.10.10', sport: 40000, dport: 443, proto: 'TCP' })).toBe(true);
  });
});

describe('the hosts column and proxyLabelMatcher', () => {
  const web: Label = {
    ...label,
    id: 'phishing-20261124',
    name: 'phishing',
    src: ['10.10.0.12', '10.10.0.40'],
    dst: ['203.0.113.150'],
    dports: [443],
    proto: ['TCP'],
    hosts: ['login.example', 'cdn.login.example'],
  };

  it('writes the hosts last, and reads files written before the column with no hosts', () => {
    const text = labelsCsv([web]);
    expect(text.split('\n')[1]!.endsWith(',login.example;cdn.login.example')).toBe(true);
    expect(parseLabelsCsv(text)[0]!.hosts).toEqual(['login.example', 'cdn.login.example']);
    const v1 = 'id,category,attack,src,dst,dports,proto,start,end,description\nx,attack,dga,a,b,,UDP,2026-11-24T00:00:00Z,2026-11-24T00:00:01Z,d\n';
    expect(parseLabelsCsv(v1)[0]!.hosts).toEqual([]);
    expect(() => parseLabelsCsv(`${LABELS_HEADER}\nx,attack,dga,a,b,,UDP,2026-11-24T00:00:00Z,2026-11-24T00:00:01Z,d\n`)).toThrow('expected 11 fields, got 10');
  });

  it('matches a client of src asking one of the hosts (any case) from the second of the first packet to the last', () => {
    const matches = proxyLabelMatcher(web);
    const at = (ts: number, clientip = '10.10.0.40', host = 'LOGIN.example') => matches({ ts, clientip, host });
    expect(at(web.start)).toBe(true);
    expect(at(web.start - 250)).toBe(true); // Blue Coat logs 03:00:00 for 03:00:00.250
    expect(at(web.start - 251)).toBe(false);
    expect(at(web.end)).toBe(true);
    expect(at(web.end + 1)).toBe(false);
    expect(at(web.start + 1000, '10.10.0.41')).toBe(false);
    expect(at(web.start + 1000, '10.10.0.12', 'www.login.example')).toBe(false);
  });
});
