/**
 * Timestamps written as text: wall-clock times without a zone ("2019/04/04 16:24:47.672448",
 * "2023-01-25 18:35:43.039") and ISO 8601 instants ("2022-09-29T14:40:56.755299Z").
 */

export interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly micros: number;
}

const WALL_CLOCK = /^(\d{4})([/-])(\d{2})\2(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;

/** Date and time of day with a slash or dash date; fractions beyond microseconds are cut. Null when invalid. */
export function parseWallClock(text: string): WallClock | null {
  const m = WALL_CLOCK.exec(text);
  if (!m) return null;
  return checked(Number(m[1]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]), m[8]);
}

/** An ISO 8601 instant to epoch microseconds; without an offset it is read as UTC (Zeek writes Z). */
export function isoToMicros(text: string): number | null {
  const m = ISO_INSTANT.exec(text);
  if (!m) return null;
  const clock = checked(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), m[7]);
  if (!clock) return null;
  const utcMs = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second);
  return (utcMs - offsetMinutes(m[8]) * 60_000) * 1000 + clock.micros;
}

function offsetMinutes(zone: string | undefined): number {
  if (!zone || zone === 'Z') return 0;
  const digits = zone.replace(':', '');
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
  return zone.startsWith('-') ? -minutes : minutes;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

function checked(year: number, month: number, day: number, hour: number, minute: number, second: number, fraction: string | undefined): WallClock | null {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  if (day > DAYS_IN_MONTH[month - 1]! && !(month === 2 && day === 29 && isLeapYear(year))) return null;
  const micros = Number((fraction ?? '').padEnd(6, '0').slice(0, 6));
  return { year, month, day, hour, minute, second, micros };
}
