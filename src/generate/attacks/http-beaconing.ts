import { ephemeralPort, labelFor, labelId, plannedDay, wanRtt, type Activity } from '../activities/activity.js';
import { tcpSession } from '../build-session.js';
import { DAY } from '../calendar.js';
import type { Session } from '../session.js';
import { lookUpWebHost } from './http-lookup.js';
import type { HttpVictims } from './http-victims.js';

/** The C2 server (a reserved name, RFC 2606; a documentation address, RFC 5737). */
export const HTTP_C2_HOST = 'cdn.jquery-static.example';
export const HTTP_C2_ADDRESS = '203.0.113.80';
/** Check-in period and jitter (uniform, as a share of the period). */
export const HTTP_BEACON_PERIOD = 180_000;
export const HTTP_BEACON_JITTER = 0.2;
/** Internet Explorer 8 on Windows 7: a user agent nothing else in a Windows 10 estate sends. */
export const HTTP_BEACON_AGENT = 'Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0; .NET CLR 2.0.50727)';
/** The check-in fetches a "library" whose padding hides the tasking; results go back in a POST. */
export const HTTP_BEACON_GET = '/jquery-3.3.1.min.js';
export const HTTP_BEACON_POST = '/jquery-3.3.2.min.js';
const TTL = 300;

/**
 * Command and control over plain HTTP, in the style of a malleable C2 profile: every 3 minutes,
 * give or take 20 %, all day, the implant opens a connection and GETs the same script from its
 * server; the answer is the same size within a few bytes (about 5.5 KB). After a task it POSTs
 * the output back to a second path with a session id in the query. One new connection per
 * check-in, each preceded by a DNS lookup once the last answer's 5-minute TTL ran out.
 */
export function httpBeaconing(victims: HttpVictims): Activity {
  return {
    name: 'http-beaconing',
    plan(day) {
      const r = day.prng;
      const host = victims.beacon;
      const label = labelId('http-beaconing', day.date);
      const session = r.int(0, 0xffffffff).toString(16).padStart(8, '0');
      const sessions: Session[] = [];
      const lookups: Session[] = [];
      let resolvedUntil = -Infinity;
      let pendingOutput = false;
      const period = () => Math.round(HTTP_BEACON_PERIOD * (1 + r.uniform(-HTTP_BEACON_JITTER, HTTP_BEACON_JITTER)));
      for (let t = day.start + r.int(0, HTTP_BEACON_PERIOD); t < day.start + DAY; t += period()) {
        let start = t;
        if (start >= resolvedUntil) {
          start = lookUpWebHost(r, day.network, host, t, HTTP_C2_HOST, HTTP_C2_ADDRESS, TTL, lookups);
          resolvedUntil = t + TTL * 1000;
        }
        const rtt = wanRtt(r);
        const common = { src: host.ipv4, dst: HTTP_C2_ADDRESS, dport: 80, rtt, label };
        if (pendingOutput) {
          // The task's output, a few kilobytes, then the check-in goes on as usual.
          const upload = Math.round(r.lognormal(6000, 0.7));
          sessions.push(
            tcpSession({
              ...common,
              start,
              sport: ephemeralPort(r, host),
              duration: rtt * 3 + upload / 500,
              upload: upload + 420,
              download: 230,
              app: { http: { scheme: 'http', method: 'POST', host: HTTP_C2_HOST, path: `${HTTP_BEACON_POST}?__cfduid=${session}`, status: 200, userAgent: HTTP_BEACON_AGENT, contentType: 'application/javascript; charset=utf-8' } },
            }),
          );
          start += Math.round(rtt * 3 + upload / 500) + r.int(50, 300);
          pendingOutput = false;
        }
        const tasked = r.chance(0.04);
        pendingOutput = tasked;
        sessions.push(
          tcpSession({
            ...common,
            start,
            sport: ephemeralPort(r, host),
            duration: rtt * 3 + r.uniform(5, 40),
            upload: Math.round(r.normal(410, 3)),
            download: tasked ? Math.round(r.lognormal(60_000, 0.6)) : Math.round(r.normal(5600, 4)),
            app: { http: { scheme: 'http', method: 'GET', host: HTTP_C2_HOST, path: HTTP_BEACON_GET, status: 200, userAgent: HTTP_BEACON_AGENT, contentType: 'application/javascript; charset=utf-8' } },
          }),
        );
      }
      const row = labelFor(
        day.date,
        {
          category: 'attack',
          name: 'http-beaconing',
          src: [host.ipv4],
          dst: [HTTP_C2_ADDRESS],
          dports: [80],
          proto: ['TCP'],
          description:
            `C2 over HTTP: ${host.fqdn} GETs ${HTTP_BEACON_GET} from ${HTTP_C2_HOST} every ${HTTP_BEACON_PERIOD / 1000} s ± ${HTTP_BEACON_JITTER * 100} % with a rare user agent (IE 8), ` +
            `and POSTs task output to ${HTTP_BEACON_POST}; its DNS lookups are not labelled`,
        },
        sessions,
      );
      return plannedDay([...sessions, ...lookups], [row]);
    },
  };
}
