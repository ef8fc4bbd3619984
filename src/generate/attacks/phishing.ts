import { ephemeralPort, labelFor, labelId, plannedDay, wanRtt, type Activity } from '../activities/activity.js';
import { tcpSession } from '../build-session.js';
import { HOUR } from '../calendar.js';
import type { Host } from '../network.js';
import { Prng } from '../prng.js';
import type { HttpExchange, Session } from '../session.js';
import { lookUpWebHost } from './http-lookup.js';
import type { HttpVictims } from './http-victims.js';

/** The look-alike login site (a reserved name; a documentation address). */
export const PHISHING_HOST = 'login.microsoftonline.account-verify.example';
export const PHISHING_ADDRESS = '203.0.113.150';
/** When the proxy vendor's rating service classifies the site as phishing, as an offset into the day. */
export const PHISHING_RATED_AT = 11 * HOUR;
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The link of the day's campaign: a random base64url token of 43 characters, the kind of
 * per-victim path phishing kits put in their links, so the path has high entropy. From the date.
 */
export function phishingToken(date: string): string {
  const g = new Prng(`phishing-token/${date}`);
  let token = '';
  for (let i = 0; i < 43; i++) token += BASE64URL[g.int(0, 63)];
  return token;
}

/**
 * Credential phishing: a mail links to a look-alike Microsoft login page over HTTPS. In the
 * morning the first user clicks it in Outlook on the web: the page, its stylesheet, script and
 * logo under the token's path, then the password POSTed to next.php and a redirect to the real
 * login page. From 11:00 the proxy's rating service knows the site as phishing, so when the
 * second user clicks in the afternoon the proxy refuses (403, policy_denied) and only its
 * block page comes back.
 */
export function phishing(victims: HttpVictims): Activity {
  return {
    name: 'phishing',
    plan(day) {
      const r = day.prng;
      const [first, second] = victims.phished;
      const label = labelId('phishing', day.date);
      const base = `/${phishingToken(day.date)}/`;
      const landing = `https://${PHISHING_HOST}${base}`;
      const sessions: Session[] = [];
      const lookups: Session[] = [];
      const browser = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2718.63';
      const visit = (host: Host, t: number, http: Omit<HttpExchange, 'scheme' | 'host' | 'userAgent'>, upload: number, download: number): number => {
        const rtt = wanRtt(r);
        const duration = rtt * 4 + download / 1000 + r.uniform(20, 200);
        sessions.push(
          tcpSession({
            start: t,
            src: host.ipv4,
            sport: ephemeralPort(r, host),
            dst: PHISHING_ADDRESS,
            dport: 443,
            rtt,
            duration,
            upload,
            download,
            label,
            app: { http: { scheme: 'https', host: PHISHING_HOST, userAgent: browser, ...http } },
          }),
        );
        return t + Math.round(duration) + r.int(30, 400);
      };
      let t = lookUpWebHost(r, day.network, first, day.start + 8 * HOUR + r.int(30 * 60_000, 2 * HOUR), PHISHING_HOST, PHISHING_ADDRESS, 300, lookups);
      t = visit(first, t, { method: 'GET', path: base, status: 200, contentType: 'text/html; charset=utf-8', referer: 'https://outlook.office365.com/' }, 780, Math.round(r.normal(21_500, 300)));
      for (const [file, type, size] of [['app.css', 'text/css', 9_800], ['app.js', 'application/javascript', 31_000], ['logo.svg', 'image/svg+xml', 3_600]] as const) {
        t = visit(first, t, { method: 'GET', path: `${base}assets/${file}`, status: 200, contentType: type, referer: landing }, 690, Math.round(r.normal(size, 50)));
      }
      t += r.int(15_000, 60_000); // the user types the address and the password
      visit(first, t, { method: 'POST', path: `${base}next.php`, status: 302, contentType: 'text/html; charset=utf-8', referer: landing }, Math.round(r.normal(1_150, 30)), 420);
      // The second user, once the site is rated: the proxy answers with its block page.
      const late = lookUpWebHost(r, day.network, second, day.start + PHISHING_RATED_AT + r.int(30 * 60_000, 4 * HOUR), PHISHING_HOST, PHISHING_ADDRESS, 300, lookups);
      visit(second, late, { method: 'GET', path: base, status: 403, contentType: 'text/html; charset=utf-8', referer: 'https://outlook.office365.com/' }, 760, 3_900);
      const row = labelFor(
        day.date,
        {
          category: 'attack',
          name: 'phishing',
          src: [first.ipv4, second.ipv4],
          dst: [PHISHING_ADDRESS],
          dports: [443],
          proto: ['TCP'],
          description:
            `credential phishing: ${first.fqdn} opens a look-alike login page on ${PHISHING_HOST} (a 43-character random path) from Outlook on the web and POSTs the password; ` +
            `${second.fqdn} clicks after the site was rated and the proxy refuses it; their DNS lookups are not labelled`,
        },
        sessions,
      );
      return plannedDay([...sessions, ...lookups], [row]);
    },
  };
}
