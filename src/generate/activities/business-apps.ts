import { tcpSession } from '../build-session.js';
import { WeightedPicker } from '../prng.js';
import type { HttpExchange } from '../session.js';
import { between, ephemeralPort, eventTimes, hostStreams, lanRtt, wanRtt, type Activity } from './activity.js';
import { USER_AGENTS } from './web-browsing.js';

/** Per workstation per weekday at scale 1. */
const INTRANET_REQUESTS = 20;
/** Database connections per workstation per weekday, from the intranet and the application server. */
const INTRANET_QUERIES = 30;
const APP_QUERIES = 20;
/** Visits of the public web site per workstation (a proxy for the company's size). */
const PUBLIC_VISITS = 25;

/**
 * The company's own services: the intranet (443) and its PostgreSQL database (5432), the
 * application server's database traffic, and internet visitors of the public web site in the DMZ.
 */
export const businessApps: Activity = {
  name: 'business-apps',
  plan(day) {
    const { network } = day;
    const intranet = network.servers.intranet[0]!;
    const app = network.servers.app[0]!;
    const db = network.servers.database[0]!;
    const web = network.dmz.web;
    const streams = hostStreams(day.prng, network.workstations);
    const servers = day.prng.fork('servers');
    const visitors = new WeightedPicker(network.internet.clients.v4.map((a, i) => [a, 1 / (1 + i)] as const));
    const users = network.workstations.length * day.scale;
    return {
      labels: [],
      sessions(window, out) {
        network.workstations.forEach((host, i) => {
          const r = streams[i]!;
          for (const t of eventTimes(r, window, INTRANET_REQUESTS * day.scale, 'user')) {
            const { src, dst } = between(r, host, intranet);
            const http: HttpExchange = {
              scheme: 'https',
              method: r.chance(0.8) ? 'GET' : 'POST',
              host: intranet.fqdn,
              path: r.pick(['/', '/news', '/hr/leave', '/wiki/search']),
              status: 200,
              userAgent: USER_AGENTS[host.index % USER_AGENTS.length]!,
            };
            out.push(
              tcpSession({
                start: t,
                src,
                sport: ephemeralPort(r, host),
                dst,
                dport: 443,
                rtt: lanRtt(r),
                duration: r.lognormal(2000, 1),
                upload: r.lognormal(1200, 0.7),
                download: r.lognormal(60_000, 1.2),
                app: { http },
              }),
            );
          }
        });
        const r = servers;
        const query = (client: typeof intranet, t: number) =>
          tcpSession({
            start: t,
            src: client.ipv4,
            sport: ephemeralPort(r, client),
            dst: db.ipv4,
            dport: 5432,
            rtt: lanRtt(r),
            duration: r.lognormal(60, 1),
            upload: r.lognormal(800, 0.8),
            download: r.lognormal(6000, 1.5),
          });
        for (const t of eventTimes(r, window, INTRANET_QUERIES * users, 'user')) out.push(query(intranet, t));
        const appQueries = [...eventTimes(r, window, APP_QUERIES * users * 0.5, 'user'), ...eventTimes(r, window, APP_QUERIES * users * 0.5, 'flat')];
        for (const t of appQueries) out.push(query(app, t));
        for (const t of [...eventTimes(r, window, PUBLIC_VISITS * users * 0.7, 'user'), ...eventTimes(r, window, PUBLIC_VISITS * users * 0.3, 'flat')]) {
          const visitor = visitors.pick(r);
          out.push(
            tcpSession({
              start: t,
              src: visitor,
              sport: r.int(32768, 65535),
              dst: web.ipv4,
              dport: 443,
              rtt: wanRtt(r),
              duration: r.lognormal(3000, 1),
              upload: r.lognormal(1500, 0.7),
              download: r.lognormal(80_000, 1.3),
            }),
          );
        }
      },
    };
  },
};
