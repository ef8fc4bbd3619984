import { formatUtcDate, parseUtcDate } from '../shared/time.js';
import type { DayPlan } from './activities/activity.js';
import { DAY, MINUTE } from './calendar.js';
import type { GenerateConfig } from './config.js';
import type { Label } from './labels.js';
import { buildScenario, type Scenario } from './scenario.js';
import type { Session, TimeWindow } from './session.js';

/** Activities are asked for sessions five simulated minutes at a time: memory stays bounded at any volume. */
export const WINDOW_MS = 5 * MINUTE;

/** The sessions that start in a window, in start order. */
export interface SessionBatch {
  readonly window: TimeWindow;
  readonly sessions: readonly Session[];
}

/** The dates a config asks for: `days` consecutive days from `date`, or from yesterday (UTC) when empty. */
export function generationDays(config: Pick<GenerateConfig, 'date' | 'days'>, now = Date.now()): string[] {
  const first = config.date ? parseUtcDate(config.date) : parseUtcDate(formatUtcDate(now)) - DAY;
  return Array.from({ length: config.days }, (_, i) => formatUtcDate(first + i * DAY));
}

/** Each activity's plan for a date, each with its own random stream. */
export function planDay(scenario: Scenario, date: string, scale: number): DayPlan[] {
  const start = parseUtcDate(date);
  return scenario.activities.map((activity) =>
    activity.plan({ date, start, network: scenario.network, scale, prng: scenario.root.fork(`${activity.name}/${date}`) }),
  );
}

/** The labels.csv rows of the given dates, without generating their traffic. */
export function labelsFor(config: GenerateConfig, days: readonly string[]): Label[] {
  const scenario = buildScenario(config.seed, config.workstations);
  return days.flatMap((date) => planDay(scenario, date, config.scale).flatMap((p) => p.labels));
}

/**
 * Every session of the given dates, window by window in time order. A session that an
 * activity started late in a window (a page's later connections) moves to the next batch,
 * so that batches never overlap; the last batch holds whatever runs past the final window.
 * This stream is the subscription point for writers of other telemetry: a DNS pcap writer
 * renders the sessions with `app.dns`, a proxy-log writer those with `app.http`, and being
 * deterministic, every writer sees the same sessions as the NetFlow exporter.
 */
export function* streamSessions(scenario: Scenario, days: readonly string[], scale: number): Generator<SessionBatch> {
  let carry: Session[] = [];
  let last = 0;
  for (const date of days) {
    const plans = planDay(scenario, date, scale);
    const dayStart = parseUtcDate(date);
    for (let start = dayStart; start < dayStart + DAY; start += WINDOW_MS) {
      const window = { start, end: start + WINDOW_MS };
      const sessions = carry;
      for (const plan of plans) plan.sessions(window, sessions);
      sessions.sort((a, b) => a.start - b.start);
      let n = sessions.length;
      while (n > 0 && sessions[n - 1]!.start >= window.end) n--;
      carry = sessions.slice(n);
      sessions.length = n;
      last = window.end;
      yield { window, sessions };
    }
  }
  if (carry.length) yield { window: { start: last, end: carry[carry.length - 1]!.start + 1 }, sessions: carry };
}

export function generateSessions(config: GenerateConfig, days: readonly string[] = generationDays(config)): Generator<SessionBatch> {
  return streamSessions(buildScenario(config.seed, config.workstations), days, config.scale);
}
