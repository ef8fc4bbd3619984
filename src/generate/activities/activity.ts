import { DAY, userIntensity } from '../calendar.js';
import type { Service } from '../internet.js';
import type { Label, LabelName } from '../labels.js';
import type { Host, Network } from '../network.js';
import type { Prng } from '../prng.js';
import type { Session, TimeWindow } from '../session.js';

/**
 * How a family of traffic plugs into the generator. Each activity plans a day with its own
 * random stream (forked from the seed by activity name and date), then is asked, window after
 * window in time order, for the sessions that start in that window. Background activities
 * draw per window; labelled ones (attacks, benign-rare jobs) plan their sessions up front so
 * that their labels.csv rows match the sessions exactly.
 */
export interface Activity {
  /** Kebab-case name; also the name of the activity's random stream. */
  readonly name: string;
  plan(day: DayContext): DayPlan;
}

export interface DayContext {
  /** YYYY-MM-DD (UTC). */
  readonly date: string;
  /** Midnight UTC of the date, epoch ms. */
  readonly start: number;
  readonly network: Network;
  /** Multiplier of background volume (generate.scale). */
  readonly scale: number;
  readonly prng: Prng;
}

export interface DayPlan {
  /** labels.csv rows for the sessions this activity injects on this day. */
  readonly labels: readonly Label[];
  /** Appends the sessions that start in the window. Windows come in order, without gaps. */
  sessions(window: TimeWindow, out: Session[]): void;
}

/** A day plan for sessions known in advance: each window takes the ones that start in it. */
export function plannedDay(sessions: Session[], labels: readonly Label[]): DayPlan {
  sessions.sort((a, b) => a.start - b.start);
  let next = 0;
  return {
    labels,
    sessions(window, out) {
      while (next < sessions.length && sessions[next]!.start < window.end) {
        const s = sessions[next++]!;
        if (s.start >= window.start) out.push(s);
      }
    },
  };
}

/**
 * Start times of a Poisson process in the window, with `perWeekday` expected events over a
 * whole weekday, shaped by the office-hours curve (or flat for machine traffic).
 */
export function eventTimes(prng: Prng, window: TimeWindow, perWeekday: number, shape: 'user' | 'flat'): number[] {
  const span = window.end - window.start;
  const level = shape === 'user' ? userIntensity(window.start + span / 2) : 1;
  const n = prng.poisson((perWeekday * level * span) / DAY);
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push(window.start + Math.floor(prng.float() * span));
  return times;
}

/** A client port as the host's operating system picks it (IANA dynamic range, Linux's default). */
export function ephemeralPort(prng: Prng, host: Host | null): number {
  return host?.os === 'linux' ? prng.int(32768, 60999) : prng.int(49152, 65535);
}

/** Source and destination addresses towards a service: IPv6 when both ends have it, most of the time. */
export function towards(prng: Prng, host: Host, service: Service, v6Share = 0.7): { src: string; dst: string } {
  if (host.ipv6 && service.v6.length && prng.chance(v6Share)) return { src: host.ipv6, dst: prng.pick(service.v6) };
  return { src: host.ipv4, dst: prng.pick(service.v4) };
}

/** Addresses between two internal hosts: IPv6 when both are dual-stack, most of the time. */
export function between(prng: Prng, a: Host, b: Host, v6Share = 0.6): { src: string; dst: string } {
  if (a.ipv6 && b.ipv6 && prng.chance(v6Share)) return { src: a.ipv6, dst: b.ipv6 };
  return { src: a.ipv4, dst: b.ipv4 };
}

/** One random stream per host for the day, so a host's traffic does not depend on the others'. */
export function hostStreams(prng: Prng, hosts: readonly Host[]): Prng[] {
  return hosts.map((h) => prng.fork(h.id));
}

/** Round-trip times: a LAN hop, or a trip to the internet. */
export const lanRtt = (prng: Prng) => prng.uniform(0.3, 2);
export const wanRtt = (prng: Prng) => prng.lognormal(25, 0.6);

/** The labels.csv id of an injected activity on a date: one row per activity and day. */
export function labelId(name: LabelName, date: string): string {
  return `${name}-${date.replaceAll('-', '')}`;
}

/**
 * The label row for planned sessions: its window runs from the first packet to the last; its
 * hosts are the web hosts the sessions asked for (what a proxy log names), sorted.
 */
export function labelFor(date: string, fields: Omit<Label, 'id' | 'start' | 'end' | 'hosts'>, sessions: readonly Session[]): Label {
  if (sessions.length === 0) throw new Error(`${fields.name}: no sessions to label`);
  let start = Infinity;
  let end = -Infinity;
  const hosts = new Set<string>();
  for (const s of sessions) {
    start = Math.min(start, s.start);
    end = Math.max(end, s.start + s.duration);
    if (s.app?.http) hosts.add(s.app.http.host);
  }
  return { id: labelId(fields.name, date), ...fields, start, end, hosts: [...hosts].sort() };
}
