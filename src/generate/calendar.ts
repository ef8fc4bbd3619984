/**
 * When people work. The enterprise keeps UTC office hours: quiet nights, a mid-morning peak,
 * a lunch dip, a second peak in the afternoon, and weekends at a fraction of a weekday.
 * Rates are expressed per weekday and scaled by `userIntensity`, whose mean over a weekday is 1.
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Relative user activity at the start of each hour of a weekday. */
const WEEKDAY_HOURS = [
  0.04, 0.03, 0.03, 0.03, 0.03, 0.05, 0.15, 0.5, 1.3, 1.9, 2.1, 1.9, 1.3, 1.6, 1.9, 1.8, 1.5, 0.9, 0.45, 0.3, 0.22, 0.15, 0.1, 0.06,
];
/** Saturday and Sunday relative to a weekday at the same hour. */
const WEEKEND_FACTOR = { 6: 0.12, 0: 0.07 } as const;

const WEEKDAY_MEAN = WEEKDAY_HOURS.reduce((a, b) => a + b, 0) / 24;

/** User activity at an instant (epoch ms): 1 on average over a weekday, near 0 at night. */
export function userIntensity(t: number): number {
  const hours = (((t % DAY) + DAY) % DAY) / HOUR;
  const h = Math.floor(hours);
  const frac = hours - h;
  // Linear between hour marks, so counts do not jump on the hour.
  const level = WEEKDAY_HOURS[h]! * (1 - frac) + WEEKDAY_HOURS[(h + 1) % 24]! * frac;
  const weekday = new Date(t).getUTCDay();
  const factor = weekday === 0 || weekday === 6 ? WEEKEND_FACTOR[weekday] : 1;
  return (level / WEEKDAY_MEAN) * factor;
}

/** True on Saturday and Sunday (UTC). */
export function isWeekend(t: number): boolean {
  const weekday = new Date(t).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/**
 * Whether a host's machine traffic (time sync, update checks, ticket renewals) runs: servers
 * and always-on workstations all the time, the others in extended office hours on weekdays.
 */
export function poweredOn(alwaysOn: boolean, t: number): boolean {
  if (alwaysOn) return true;
  if (isWeekend(t)) return false;
  const hour = (((t % DAY) + DAY) % DAY) / HOUR;
  return hour >= 7 && hour < 20;
}
