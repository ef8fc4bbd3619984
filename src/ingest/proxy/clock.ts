/**
 * Request times of proxy logs to epoch microseconds: W3C "date time" pairs read in a time zone
 * (UTC by the W3C convention) and the Apache/NCSA "[10/Oct/2000:13:55:36 -0700]" stamp.
 * @module
 */
import { FieldError, fieldValue } from '../../shared/record-fields.js';
import { zonedToMicros } from '../../shared/time.js';
import { parseWallClock } from '../../shared/wall-clock.js';

const MINUTE_MICROS = 60_000_000;

/**
 * W3C times ("2024-03-22" "16:16:01", fraction optional) in one time zone. Lines come in time
 * order, so the start of the current minute is remembered and only the seconds are read anew;
 * no zone changes its offset within a minute.
 */
export class W3cClock {
  private minuteKey = '';
  private minuteMicros = 0;

  constructor(private readonly timeZone: string) {}

  micros(dateField: string, date: string, timeField: string, time: string): number {
    // "HH:MM:SS": the seconds after the minute, checked by hand; the minute through the cache.
    if (time.length >= 8 && time.charCodeAt(5) === 0x3a) {
      const key = date + time.slice(0, 5);
      if (key !== this.minuteKey) this.startMinute(key, dateField, date, timeField, time);
      const s1 = time.charCodeAt(6) - 48;
      const s2 = time.charCodeAt(7) - 48;
      if (s1 >= 0 && s1 <= 5 && s2 >= 0 && s2 <= 9) {
        const micros = this.minuteMicros + (s1 * 10 + s2) * 1_000_000;
        return time.length === 8 ? micros : micros + fraction(timeField, time);
      }
    }
    return badTime(dateField, date, timeField, time);
  }

  private startMinute(key: string, dateField: string, date: string, timeField: string, time: string): void {
    const clock = parseWallClock(`${date} ${time.slice(0, 5)}:00`);
    if (clock === null) badTime(dateField, date, timeField, time);
    this.minuteMicros = zonedToMicros(clock, this.timeZone);
    this.minuteKey = key;
  }
}

/** ".123" or ".123456" after "HH:MM:SS", as microseconds. */
function fraction(field: string, time: string): number {
  if (time.charCodeAt(8) !== 0x2e || time.length === 9) throw new FieldError('bad-timestamp', `${fieldValue(field, time)} is not a time of day (HH:MM:SS[.fff])`);
  let micros = 0;
  for (let i = 9, scale = 100_000; i < time.length; i++, scale /= 10) {
    const d = time.charCodeAt(i) - 48;
    if (d < 0 || d > 9) throw new FieldError('bad-timestamp', `${fieldValue(field, time)} is not a time of day (HH:MM:SS[.fff])`);
    if (scale >= 1) micros += d * scale;
  }
  return micros;
}

function badTime(dateField: string, date: string, timeField: string, time: string): never {
  throw new FieldError('bad-timestamp', `${fieldValue(dateField, date)} ${fieldValue(timeField, time)} is not a date and time (YYYY-MM-DD HH:MM:SS)`);
}

const MONTHS: Readonly<Record<string, number>> = { Jan: 1, Feb: 2, Mar: 3, Apr: 4, May: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Oct: 10, Nov: 11, Dec: 12 };
const CLF_TIME = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;

/**
 * The time of an Apache common/combined line without its brackets: "08/Sep/2006:04:21:52 +0200",
 * local time and its offset, so exact whatever the zone. Consecutive lines mostly share their
 * second: the last one is remembered.
 */
export class ClfClock {
  private lastText = '';
  private lastMicros = 0;

  micros(field: string, text: string): number {
    if (text === this.lastText) return this.lastMicros;
    const m = CLF_TIME.exec(text);
    const month = m ? MONTHS[m[2]!] : undefined;
    const clock = m && month ? parseWallClock(`${m[3]}-${String(month).padStart(2, '0')}-${m[1]} ${m[4]}:${m[5]}:${m[6]}`) : null;
    const offsetMinutes = m ? Number(m[8]) * 60 + Number(m[9]) : 0;
    if (!m || !clock || offsetMinutes >= 24 * 60) throw new FieldError('bad-timestamp', `${fieldValue(field, text)} is not a time (dd/Mon/yyyy:HH:MM:SS +zzzz)`);
    const utcMicros = zonedToMicros(clock, 'UTC') - (m[7] === '-' ? -offsetMinutes : offsetMinutes) * MINUTE_MICROS;
    this.lastText = text;
    this.lastMicros = utcMicros;
    return utcMicros;
  }
}
