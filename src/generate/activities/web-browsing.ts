import { tcpSession, udpSession } from '../build-session.js';
import type { Service } from '../internet.js';
import type { Host, Network } from '../network.js';
import { WeightedPicker, type Prng } from '../prng.js';
import type { HttpExchange, Session } from '../session.js';
import { ephemeralPort, eventTimes, hostStreams, towards, wanRtt, type Activity } from './activity.js';
import { dnsLookup } from './dns-lookups.js';

/** Page visits per workstation per weekday at scale 1; each opens a few connections. */
const VISITS_PER_DAY = 150;
/** Share of visits whose name is not in the workstation's DNS cache. */
const CACHE_MISS = 0.35;

export const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0',
] as const;

const PATHS = ['/', '/index.html', '/api/v1/session', '/static/app.js', '/static/style.css', '/images/logo.png', '/search', '/login', '/favicon.ico'];

/** Workstations browsing the web: a DNS lookup on a cache miss, then short HTTPS (some HTTP, some QUIC) connections. */
export const webBrowsing: Activity = {
  name: 'web-browsing',
  plan(day) {
    const { network } = day;
    const sites = new WeightedPicker(network.internet.web.map((s) => [s, s.weight] as const));
    const streams = hostStreams(day.prng, network.workstations);
    const busy = streams.map((r) => r.lognormal(1, 0.5));
    return {
      labels: [],
      sessions(window, out) {
        network.workstations.forEach((host, i) => {
          const r = streams[i]!;
          for (const t of eventTimes(r, window, VISITS_PER_DAY * day.scale * busy[i]!, 'user')) visit(r, network, host, sites.pick(r), t, out);
        });
      },
    };
  },
};

function visit(r: Prng, network: Network, host: Host, site: Service, t: number, out: Session[]): void {
  const { src, dst } = towards(r, host, site);
  const rtt = wanRtt(r);
  let start = t;
  if (r.chance(CACHE_MISS)) {
    const lookup = dnsLookup(r, network, host, t, { name: site.name, qtype: dst.includes(':') ? 'AAAA' : 'A', prefer: dst }, out);
    start += lookup.duration + 1;
  }
  const connections = 1 + r.poisson(1.5);
  const userAgent = USER_AGENTS[host.index % USER_AGENTS.length]!;
  for (let c = 0; c < connections; c++) {
    start += Math.round(r.exponential(400));
    const download = Math.min(r.lognormal(30_000, 1.8), 200e6);
    const upload = r.lognormal(900, 1);
    const duration = r.lognormal(1500, 1.3) + download / 2e3; // plus transfer time at ~2 MB/s
    const quic = site.provider.asn === 15169 && r.chance(0.3);
    const plain = !quic && r.chance(0.06);
    const http: HttpExchange = {
      scheme: plain ? 'http' : 'https',
      method: r.chance(0.88) ? 'GET' : 'POST',
      host: site.name,
      path: r.pick(PATHS),
      status: r.chance(0.9) ? 200 : r.pick([204, 301, 302, 304, 404]),
      userAgent,
    };
    const sport = ephemeralPort(r, host);
    const common = { start, src, sport, dst, dport: plain ? 80 : 443, rtt, duration: Math.min(duration, 900_000), upload, download, app: { http } };
    out.push(
      quic
        ? udpSession({ ...common, reqPackets: Math.ceil(upload / 1200) + Math.ceil(download / 1200 / 4) + 2, respPackets: Math.ceil(download / 1200) + 2 })
        : tcpSession(common),
    );
  }
}
