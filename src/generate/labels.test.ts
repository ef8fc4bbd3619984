import { describe, expect, it } from 'vitest';
import { formatPorts, labelMatcher, labelsCsv, LABELS_HEADER, parseLabelsCsv, parsePorts, type Label } from './labels.js';

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
};

describe('labels.csv', () => {
  it('writes one row per label with ranges, lists and ISO times, and reads it back unchanged', () => {
    const text = labelsCsv([label]);
    expect(text).toBe(
      `${LABELS_HEADER}\n` +
        'vertical-scan-20261124,attack,vertical-scan,192.0.2.66,172.16.10.0/24;10.20.0.10,1-4;22;80;443;444,TCP;ICMP,2026-11-24T03:00:00.250Z,2026-11-24T03:01:00.000Z,"a scan, ""quoted"", with commas"\n',
    );
    expect(parseLabelsCsv(text)).toEqual([{ ...label, dports: [1, 2, 3, 4, 22, 80, 443, 444] }]);
  });

  it('rejects a file with another header or an unknown attack', () => {
    expect(() => parseLabelsCsv('id,kind\n')).toThrow('header must be');
    expect(() => parseLabelsCsv(`${LABELS_HEADER}\nx,attack,ddos,a,b,,TCP,2026-11-24T00:00:00Z,2026-11-24T00:00:00Z,d\n`)).toThrow('unknown attack "ddos"');
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
