import { describe, expect, it } from 'vitest';
import { isoToMicros, parseWallClock } from './wall-clock.js';

describe('wall clock', () => {
  it('reads slash and dash dates with fractions cut to microseconds', () => {
    expect(parseWallClock('2019/04/04 16:24:47.672448')).toEqual({ year: 2019, month: 4, day: 4, hour: 16, minute: 24, second: 47, micros: 672448 });
    expect(parseWallClock('2023-01-25 18:36:00.039')).toEqual({ year: 2023, month: 1, day: 25, hour: 18, minute: 36, second: 0, micros: 39000 });
    expect(parseWallClock('2023-01-25 18:35:43')).toEqual({ year: 2023, month: 1, day: 25, hour: 18, minute: 35, second: 43, micros: 0 });
    expect(parseWallClock('2024-02-29 00:00:00.123456789')?.micros).toBe(123456);
  });

  it('refuses impossible dates, mixed separators and nfdump zero times', () => {
    expect(parseWallClock('2023-02-29 00:00:00')).toBeNull();
    expect(parseWallClock('2019/04-04 16:24:47')).toBeNull();
    expect(parseWallClock('0000-00-00 00:00:00.000')).toBeNull();
    expect(parseWallClock('2019/13/04 16:24:47')).toBeNull();
    expect(parseWallClock('16:24:47.672448')).toBeNull();
  });

  it('reads ISO 8601 instants with Z, an offset or none', () => {
    expect(isoToMicros('2022-09-29T14:40:56.755299Z')).toBe(Date.UTC(2022, 8, 29, 14, 40, 56) * 1000 + 755299);
    expect(isoToMicros('2022-09-29T16:40:56.755299+02:00')).toBe(Date.UTC(2022, 8, 29, 14, 40, 56) * 1000 + 755299);
    expect(isoToMicros('2022-09-29T09:40:56-0500')).toBe(Date.UTC(2022, 8, 29, 14, 40, 56) * 1000);
    expect(isoToMicros('2022-09-29T14:40:56')).toBe(Date.UTC(2022, 8, 29, 14, 40, 56) * 1000);
    expect(isoToMicros('2022-09-29 14:40:56Z')).toBeNull();
  });
});
