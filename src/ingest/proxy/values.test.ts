import { isIPv4 } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ClfClock, W3cClock } from './clock.js';
import { addressValue, epochMicros, isDottedQuad, millisValue, plusAsSpace, uintValue } from './values.js';
import { fieldProblem } from '../../shared/testing.js';


describe('proxy field values', () => {
  it('checks dotted quads exactly as node:net does', () => {
    const samples = ['10.105.21.199', '0.0.0.0', '255.255.255.255', '256.1.1.1', '01.2.3.4', '1.2.3', '1.2.3.4.5', '1..2.3', '1.2.3.', '.1.2.3', '1.2.3.04', '1.2.3.0', '123.45.67.890', 'a.b.c.d', '1.2.3.4 ', '::ffff:1.2.3.4'];
    for (const s of samples) expect(isDottedQuad(s), s).toBe(isIPv4(s));
    for (let i = 0; i < 2000; i++) {
      const s = Array.from({ length: 4 }, (_, k) => String((i * 37 + k * 101) % 300)).join('.');
      expect(isDottedQuad(s), s).toBe(isIPv4(s));
    }
    expect(addressValue('c-ip', '2001:0DB8::0005')).toBe('2001:db8::5');
    expect(fieldProblem(() => addressValue('c-ip', 'client.example'))).toEqual(['bad-field', 'c-ip "client.example" is not an IP address']);
  });

  it('reads counts, epoch times and durations', () => {
    expect(uintValue('size', '19763')).toBe(19763);
    expect(fieldProblem(() => uintValue('code', '1000', 999))).toEqual(['out-of-range', 'code "1000" is outside 0-999']);
    expect(fieldProblem(() => uintValue('size', '-5'))).toEqual(['out-of-range', 'size "-5" is outside 0-9007199254740991']);
    expect(fieldProblem(() => uintValue('size', '12k'))).toEqual(['bad-field', 'size "12k" is not a whole number']);
    expect(epochMicros('time', '1157689312.049')).toBe(1157689312049000);
    expect(epochMicros('time', '1157689312.0491239')).toBe(1157689312049123);
    expect(epochMicros('time', '1157689312')).toBe(1157689312000000);
    expect(fieldProblem(() => epochMicros('time', '1157689312.'))).toEqual(['bad-timestamp', 'time "1157689312." is not a time in epoch seconds']);
    expect(fieldProblem(() => epochMicros('time', '11576x9312.049'))).toEqual(['bad-timestamp', 'time "11576x9312.049" is not a time in epoch seconds']);
    expect(millisValue('time-taken', '48')).toBe(48);
    expect(millisValue('time-taken', '0.25')).toBe(250);
  });

  it("reads IIS's '+' as a space only where the text has none", () => {
    expect(plusAsSpace('Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)')).toBe('Mozilla/5.0 (Windows NT 10.0; Win64; x64)');
    expect(plusAsSpace('Mozilla/5.0 (X11) Foo+Bar')).toBe('Mozilla/5.0 (X11) Foo+Bar');
    expect(plusAsSpace(null)).toBeNull();
  });
});

describe('clocks', () => {
  it('reads W3C date and time in the configured zone, across a DST change', () => {
    const utc = new W3cClock('UTC');
    expect(utc.micros('date', '2024-03-22', 'time', '16:16:01')).toBe(Date.UTC(2024, 2, 22, 16, 16, 1) * 1000);
    expect(utc.micros('date', '2024-03-22', 'time', '16:16:02.5')).toBe(Date.UTC(2024, 2, 22, 16, 16, 2) * 1000 + 500_000);
    const paris = new W3cClock('Europe/Paris');
    // 2024-03-31: 01:59:59 is CET (+1), 03:00:00 CEST (+2).
    expect(paris.micros('date', '2024-03-31', 'time', '01:59:59')).toBe(Date.UTC(2024, 2, 31, 0, 59, 59) * 1000);
    expect(paris.micros('date', '2024-03-31', 'time', '03:00:00')).toBe(Date.UTC(2024, 2, 31, 1, 0, 0) * 1000);
    expect(fieldProblem(() => utc.micros('date', '2024-02-30', 'time', '10:00:00'))).toEqual(['bad-timestamp', 'date "2024-02-30" time "10:00:00" is not a date and time (YYYY-MM-DD HH:MM:SS)']);
    expect(fieldProblem(() => utc.micros('date', '2024-02-03', 'time', '10:00:61'))).toEqual(['bad-timestamp', 'date "2024-02-03" time "10:00:61" is not a date and time (YYYY-MM-DD HH:MM:SS)']);
  });

  it('reads Apache times with their offset', () => {
    const clf = new ClfClock();
    expect(clf.micros('time', '08/Sep/2006:04:21:52 +0000')).toBe(Date.UTC(2006, 8, 8, 4, 21, 52) * 1000);
    expect(clf.micros('time', '14/Nov/2023:22:13:20 +0100')).toBe(Date.UTC(2023, 10, 14, 21, 13, 20) * 1000);
    expect(clf.micros('time', '14/Nov/2023:22:13:20 -0530')).toBe(Date.UTC(2023, 10, 15, 3, 43, 20) * 1000);
    expect(fieldProblem(() => clf.micros('time', '14/Foo/2023:22:13:20 +0100'))).toEqual(['bad-timestamp', 'time "14/Foo/2023:22:13:20 +0100" is not a time (dd/Mon/yyyy:HH:MM:SS +zzzz)']);
  });
});
