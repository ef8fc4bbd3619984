import { poweredOn } from '../calendar.js';
import { tcpSession, udpSession } from '../build-session.js';
import { DOMAIN, type Host, type Network } from '../network.js';
import type { Prng } from '../prng.js';
import type { DnsExchange, Session } from '../session.js';
import { between, ephemeralPort, eventTimes, hostStreams, lanRtt, wanRtt, type Activity } from './activity.js';

/** Lookups per workstation per weekday besides browsing: half by users, half by the machine. */
const USER_LOOKUPS = 60;
const MACHINE_LOOKUPS = 60;
/** Cache misses the resolvers forward upstream, per workstation per weekday. */
const FORWARDED = 90;

const TELEMETRY = [
  'settings-win.data.microsoft.com',
  'ctldl.windowsupdate.com',
  'www.msftconnecttest.com',
  'v10.events.data.microsoft.com',
  'ocsp.digicert.com',
];

/**
 * One DNS question from a host to its resolver (the first or second by host parity), answered
 * from the resolver's cache or zone. Over UDP, and over IPv6 when both ends have it.
 */
export function dnsLookup(r: Prng, network: Network, host: Host, start: number, dns: DnsExchange): Session {
  const resolver = network.servers.dns[host.index % network.servers.dns.length]!;
  const { src, dst } = between(r, host, resolver, 0.5);
  const answerBytes = dns.answers.reduce((n, a) => n + 16 + a.length, 0);
  return udpSession({
    start,
    src,
    sport: ephemeralPort(r, host),
    dst,
    dport: 53,
    rtt: lanRtt(r),
    duration: 0,
    upload: 17 + dns.query.length,
    download: 17 + dns.query.length + answerBytes,
    app: { dns },
  });
}

/** Workstations resolving internal names (domain controllers, file servers, WPAD) and OS telemetry. */
export const dnsLookups: Activity = {
  name: 'dns-lookups',
  plan(day) {
    const { network } = day;
    const streams = hostStreams(day.prng, network.workstations);
    const internal = [...network.servers.dc, ...network.servers.file, ...network.servers.intranet, ...network.servers.mail, ...network.servers.print];
    const web = network.internet.web;
    const question = (r: Prng): DnsExchange => {
      const kind = r.float();
      if (kind < 0.35) {
        const h = r.pick(internal);
        return { query: h.fqdn, qtype: 'A', rcode: 'NOERROR', answers: [h.ipv4], ttl: 1200 };
      }
      if (kind < 0.5) {
        const dcs = network.servers.dc;
        return { query: `_ldap._tcp.dc._msdcs.${DOMAIN}`, qtype: 'SRV', rcode: 'NOERROR', answers: dcs.map((d) => d.fqdn), ttl: 600 };
      }
      if (kind < 0.6) return { query: `wpad.${DOMAIN}`, qtype: 'A', rcode: 'NXDOMAIN', answers: [], ttl: 0 };
      if (kind < 0.8) return { query: r.pick(TELEMETRY), qtype: 'A', rcode: 'NOERROR', answers: [r.pick(r.pick(web).v4)], ttl: 300 };
      const site = r.pick(web);
      return { query: site.name, qtype: 'A', rcode: 'NOERROR', answers: [r.pick(site.v4)], ttl: 300 };
    };
    return {
      labels: [],
      sessions(window, out) {
        network.workstations.forEach((host, i) => {
          const r = streams[i]!;
          const times = eventTimes(r, window, USER_LOOKUPS * day.scale, 'user');
          if (poweredOn(host.alwaysOn, window.start)) times.push(...eventTimes(r, window, MACHINE_LOOKUPS * day.scale, 'flat'));
          for (const t of times) out.push(dnsLookup(r, network, host, t, question(r)));
        });
      },
    };
  },
};

/** The resolvers forwarding cache misses to Quad9, mostly over UDP, truncated answers over TCP. */
export const dnsForwarding: Activity = {
  name: 'dns-forwarding',
  plan(day) {
    const { network } = day;
    const resolvers = network.servers.dns;
    const upstream = network.internet.resolvers;
    const streams = hostStreams(day.prng, resolvers);
    const perResolver = (FORWARDED * network.workstations.length * day.scale) / resolvers.length;
    return {
      labels: [],
      sessions(window, out) {
        resolvers.forEach((resolver, i) => {
          const r = streams[i]!;
          const times = [...eventTimes(r, window, perResolver * 0.6, 'user'), ...eventTimes(r, window, perResolver * 0.4, 'flat')];
          for (const t of times) {
            const site = r.pick(network.internet.web);
            const v6 = resolver.ipv6 !== null && r.chance(0.3);
            const src = v6 ? resolver.ipv6! : resolver.ipv4;
            const dst = r.pick(v6 ? upstream.v6 : upstream.v4);
            const dns: DnsExchange = { query: site.name, qtype: 'A', rcode: 'NOERROR', answers: site.v4.slice(0, 2), ttl: 300 };
            const sport = ephemeralPort(r, resolver);
            const spec = { start: t, src, sport, dst, dport: 53, rtt: wanRtt(r), duration: 0, upload: 40, download: 120, app: { dns } };
            out.push(r.chance(0.01) ? tcpSession({ ...spec, duration: spec.rtt * 3, download: 1800 }) : udpSession(spec));
          }
        });
      },
    };
  },
};
