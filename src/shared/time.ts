/** Time helpers. Every time in the lake is UTC; timestamps in rows are epoch microseconds. */

const MICROS_PER_SECOND = 1_000_000;

/**
 * Epoch seconds as decimal text ("1672843056.913119") to epoch microseconds, exactly:
 * parsing through a double would lose the last microsecond digit.
 */
export function decimalSecondsToMicros(text: string): number | null {
  const m = /^(-?)(\d{1,12})(?:\.(\d{0,9}))?$/.exec(text);
  if (!m) return null;
  const frac = (m[3] ?? '').padEnd(6, '0').slice(0, 6);
  const micros = Number(m[2]) * MICROS_PER_SECOND + Number(frac);
  return m[1] ? -micros : micros;
}

/** Epoch milliseconds to microseconds. */
export const msToMicros = (ms: number): number => ms * 1000;

/** Epoch microseconds to a Date (millisecond precision). */
export const microsToDate = (micros: number): Date => new Date(Math.floor(micros / 1000));

/** "2026-11-27" to the epoch milliseconds of its midnight UTC. Throws on anything else. */
export function parseUtcDate(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  // A date that does not exist (2026-02-30, 2026-13-01) rolls over into another one: it must read back the same.
  if (!m || Number.isNaN(ms) || formatUtcDate(ms) !== text) throw new Error(`not a date (YYYY-MM-DD): ${JSON.stringify(text)}`);
  return ms;
}

export function formatUtcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export const DAY_MS = 86_400_000;

/** A UTC day ("2026-11-27") as [midnight, next midnight) in epoch milliseconds. Throws on anything else. */
export function utcDayRange(day: string): { from: number; to: number } {
  const from = parseUtcDate(day);
  return { from, to: from + DAY_MS };
}

/** The day `days` after (negative: before) a UTC day, as YYYY-MM-DD. */
export function shiftUtcDate(day: string, days: number): string {
  return formatUtcDate(parseUtcDate(day) + days * DAY_MS);
}

/**
 * Wall-clock time in a named time zone ("2019/04/04 16:24:47.672448" read in Europe/Prague)
 * to epoch microseconds. Used for sources that log local time without an offset.
 */
export function zonedToMicros(
  parts: { year: number; month: number; day: number; hour: number; minute: number; second: number; micros: number },
  timeZone: string,
): number {
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  if (timeZone === 'UTC') return asUtc * 1000 + parts.micros;
  // The zone's offset at that instant; one correction step handles DST transitions.
  let guess = asUtc - offsetMs(asUtc, timeZone);
  guess = asUtc - offsetMs(guess, timeZone);
  return guess * 1000 + parts.micros;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function offsetMs(utcMs: number, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(utcMs)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/** True when the name is a time zone this runtime knows. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
