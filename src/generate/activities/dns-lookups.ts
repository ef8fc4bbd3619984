import { poweredOn } from '../calendar.js';
import { ask } from '../dns/ask.js';
import { reverseName, typo } from '../dns/names.js';
import { DnsWorld, type Question } from '../dns/world.js';
import { DOMAIN, type Host, type Network } from '../network.js';
import { Prng } from '../prng.js';
import type { Session } from '../session.js';
import { between, ephemeralPort, eventTimes, hostStreams, lanRtt, type Activity } from './activity.js';

/** Lookups per workstation per weekday besides browsing: half by users, half by the machine. */
const USER_LOOKUPS = 45;
const MACHINE_LOOKUPS = 45;

const TELEMETRY = [
  'settings-win.data.microsoft.com',
  'ctldl.windowsupdate.com',
  'www.msftconnecttest.com',
  'v10.events.data.microsoft.com',
  'ocsp.digicert.com',
  'login.live.com',
  'config.edge.skype.com',
  'arc.msn.com',
];

/** Single-label names users type, which Windows completes with the primary DNS suffix: mostly nothing there. */
const SHORT_NAMES = ['nas', 'share', 'printer3', 'jenkins', 'gitlab', 'fileserver', 'sharepoint', 'helpdesk', 'vpn2', 'backup01', 'timesheet', 'wiki'];

/**
 * One DNS question from a workstation to its resolver (the first or second by host parity), over
 * UDP, over IPv6 when both ends have it half of the time; a dual-stack host asks for A and AAAA
 * together. The resolver answers from its zone (corp.example) or its cache. Draws from `r` the
 * same numbers whatever the question, so the caller's later sessions do not depend on it; the
 * details come from a stream keyed by the lookup. Returns the session of the answer asked for.
 */
export function dnsLookup(r: Prng, network: Network, host: Host, start: number, question: Question, out: Session[]): Session {
  const resolver = network.servers.dns[host.index % network.servers.dns.length]!;
  const { src, dst } = between(r, host, resolver, 0.5);
  const sport = ephemeralPort(r, host);
  const rtt = lanRtt(r);
  const d = new Prng(`dns-lookup/${src}/${sport}/${Math.round(start)}`);
  const world = DnsWorld.of(network);
  const retry = () => ({ sport: ephemeralPort(d, host) });
  const main = ask({ start, src, sport, dst, rtt, exchange: world.resolve(question, d) }, d, out, retry);
  if (host.ipv6 && (question.qtype === 'A' || question.qtype === 'AAAA')) {
    const other: Question = { name: question.name, qtype: question.qtype === 'A' ? 'AAAA' : 'A' };
    ask({ start: start + d.int(0, 1), src, sport: ephemeralPort(d, host), dst, rtt: lanRtt(d), exchange: world.resolve(other, d) }, d, out, retry);
  }
  return main;
}

/**
 * Workstations resolving names besides browsing: servers of the domain and their aliases, the
 * domain controllers' SRV records, WPAD and mistyped short names (NXDOMAIN), PTR lookups, OS
 * telemetry, popular internet names (many through CDN CNAME chains), search-suffix expansion
 * (`www.example.org.corp.example`, NXDOMAIN, then the name itself), typos, and now and then TXT,
 * MX or NS records, whose large TXT answers go over TCP.
 */
export const dnsLookups: Activity = {
  name: 'dns-lookups',
  plan(day) {
    const { network } = day;
    const world = DnsWorld.of(network);
    const streams = hostStreams(day.prng, network.workstations);
    const servers = world.zone.hosts;
    const questions = (r: Prng): Question[] => {
      const k = r.float();
      const name = (q: string, qtype: Question['qtype'] = 'A'): Question[] => [{ name: q, qtype }];
      if (k < 0.22) return name(r.pick(servers).fqdn);
      if (k < 0.25) return name(r.pick(world.zone.aliases));
      if (k < 0.35) return name(r.pick(world.zone.locators), 'SRV');
      if (k < 0.39) return name(`wpad.${DOMAIN}`);
      if (k < 0.42) return name(`${r.pick(SHORT_NAMES)}.${DOMAIN}`);
      if (k < 0.46) {
        const h = r.pick(servers);
        return name(reverseName(h.ipv6 && r.chance(0.3) ? h.ipv6 : h.ipv4), 'PTR');
      }
      if (k < 0.6) return name(r.pick(TELEMETRY));
      if (k < 0.92) return name(world.internet.pickName(r));
      if (k < 0.95) {
        const q = world.internet.pickName(r);
        return [{ name: `${q}.${DOMAIN}`, qtype: 'A' }, { name: q, qtype: 'A' }];
      }
      if (k < 0.97) {
        const t = typo(r, world.internet.pickDomain(r));
        return name(world.internet.resolves(t) ? `${t}x` : t);
      }
      if (k < 0.98) return name(world.internet.pickDomain(r), 'TXT');
      if (k < 0.99) return name(world.internet.pickDomain(r), 'MX');
      return name(world.internet.pickDomain(r), 'NS');
    };
    return {
      labels: [],
      sessions(window, out) {
        network.workstations.forEach((host, i) => {
          const r = streams[i]!;
          const times = eventTimes(r, window, USER_LOOKUPS * day.scale, 'user');
          if (poweredOn(host.alwaysOn, window.start)) times.push(...eventTimes(r, window, MACHINE_LOOKUPS * day.scale, 'flat'));
          for (const t of times) {
            let at = t;
            for (const q of questions(r)) {
              const s = dnsLookup(r, network, host, at, q, out);
              at = s.start + s.duration + r.int(1, 20);
            }
          }
        });
      },
    };
  },
};
