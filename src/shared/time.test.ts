import { describe, expect, it } from 'vitest';
import { decimalSecondsToMicros, parseUtcDate, zonedToMicros } from './time.js';

describe('time', () => {
  it('reads decimal epoch seconds without losing microseconds', () => {
    expect(decimalSecondsToMicros('1672843056.913119')).toBe(1672843056913119);
    expect(decimalSecondsToMicros('22.335172')).toBe(22335172);
    expect(decimalSecondsToMicros('1517336042')).toBe(1517336042000000);
    expect(decimalSecondsToMicros('1.5')).toBe(1500000);
    expect(decimalSecondsToMicros('abc')).toBeNull();
  });

  it('reads wall-clock times in a zone, across daylight saving', () => {
    const p = { year: 2019, month: 4, day: 4, hour: 16, minute: 24, second: 47, micros: 672448 };
    expect(zonedToMicros(p, 'UTC')).toBe(Date.UTC(2019, 3, 4, 16, 24, 47) * 1000 + 672448);
    expect(zonedToMicros(p, 'Europe/Prague')).toBe(Date.UTC(2019, 3, 4, 14, 24, 47) * 1000 + 672448); // CEST, UTC+2
    const winter = { year: 2018, month: 12, day: 18, hour: 14, minute: 0, second: 0, micros: 75359 };
    expect(zonedToMicros(winter, 'Europe/Prague')).toBe(Date.UTC(2018, 11, 18, 13, 0, 0) * 1000 + 75359); // CET, UTC+1
    expect(zonedToMicros({ ...winter, month: 7 }, 'America/New_York')).toBe(Date.UTC(2018, 6, 18, 18, 0, 0) * 1000 + 75359);
  });

  it('parses UTC dates strictly', () => {
    expect(parseUtcDate('2026-11-27')).toBe(Date.UTC(2026, 10, 27));
    expect(() => parseUtcDate('2026-02-30')).toThrow('not a date');
    expect(() => parseUtcDate('2026-13-01')).toThrow('not a date');
    expect(() => parseUtcDate('27/11/2026')).toThrow('not a date');
  });
});
