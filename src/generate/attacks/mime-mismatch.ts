import { ephemeralPort, labelFor, labelId, plannedDay, wanRtt, type Activity } from '../activities/activity.js';
import { tcpSession } from '../build-session.js';
import { HOUR } from '../calendar.js';
import type { HttpExchange, Session } from '../session.js';
import { lookUpWebHost } from './http-lookup.js';
import type { HttpVictims } from './http-victims.js';

/** A small business's web site, compromised (a reserved name, RFC 2606; a documentation address). */
export const MIME_SITE_HOST = 'www.harbor-supplies.example';
export const MIME_SITE_ADDRESS = '198.51.100.140';
/** The two payloads and the types the site lies about: an executable as a picture, then a "picture" that is an executable. */
export const MIME_DOWNLOADS = [
  { path: '/wp-content/uploads/2026/11/Invoice_0471.exe', contentType: 'image/jpeg' },
  { path: '/wp-content/themes/flatline/img/header-bg.png', contentType: 'application/x-msdownload' },
] as const;

/**
 * A watering-hole download at the branch office, over plain HTTP: in office hours a user follows
 * a search result to a compromised supplier's site, and its injected script makes the browser
 * fetch an executable served as image/jpeg, which slips past filters that trust the type; the
 * dropper then runs and pulls its second stage with BITS, a "PNG" served as
 * application/x-msdownload. Page, script and both payloads come from the one site.
 */
export function mimeMismatch(victims: HttpVictims): Activity {
  return {
    name: 'mime-mismatch',
    plan(day) {
      const r = day.prng;
      const host = victims.downloader;
      const label = labelId('mime-mismatch', day.date);
      const sessions: Session[] = [];
      const lookups: Session[] = [];
      let t = lookUpWebHost(r, day.network, host, day.start + 9 * HOUR + r.int(0, 6 * HOUR), MIME_SITE_HOST, MIME_SITE_ADDRESS, 3600, lookups);
      const page = `http://${MIME_SITE_HOST}/`;
      const get = (http: Omit<HttpExchange, 'scheme' | 'method' | 'host' | 'status'>, download: number, rate: number): void => {
        const rtt = wanRtt(r);
        const duration = rtt * 3 + download / rate;
        sessions.push(
          tcpSession({
            start: t,
            src: host.ipv4,
            sport: ephemeralPort(r, host),
            dst: MIME_SITE_ADDRESS,
            dport: 80,
            rtt,
            duration,
            upload: Math.round(r.normal(520, 40)),
            download,
            label,
            app: { http: { scheme: 'http', method: 'GET', host: MIME_SITE_HOST, status: 200, ...http } },
          }),
        );
        t += Math.round(duration) + r.int(80, 900);
      };
      const browser = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
      get({ path: '/', userAgent: browser, contentType: 'text/html; charset=UTF-8', referer: 'https://www.google.com/' }, Math.round(r.lognormal(48_000, 0.2)), 800);
      get({ path: '/wp-includes/js/jquery/jquery-migrate.min.js', userAgent: browser, contentType: 'application/javascript', referer: page }, Math.round(r.normal(13_600, 50)), 800);
      get({ ...MIME_DOWNLOADS[0], userAgent: browser, referer: page }, Math.round(r.normal(642_000, 900)), 1200);
      t += r.int(20_000, 90_000); // the user opens the "invoice"
      get({ ...MIME_DOWNLOADS[1], userAgent: 'Microsoft BITS/7.8' }, Math.round(r.normal(1_210_000, 2000)), 1500);
      const row = labelFor(
        day.date,
        {
          category: 'attack',
          name: 'mime-mismatch',
          src: [host.ipv4],
          dst: [MIME_SITE_ADDRESS],
          dports: [80],
          proto: ['TCP'],
          description:
            `executable downloads with lying types: ${host.fqdn} fetches ${MIME_DOWNLOADS[0].path} served as ${MIME_DOWNLOADS[0].contentType} from the compromised ` +
            `${MIME_SITE_HOST}, then with BITS ${MIME_DOWNLOADS[1].path} served as ${MIME_DOWNLOADS[1].contentType}; its DNS lookup is not labelled`,
        },
        sessions,
      );
      return plannedDay([...sessions, ...lookups], [row]);
    },
  };
}
