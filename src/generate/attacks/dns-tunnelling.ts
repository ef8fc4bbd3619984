import { ephemeralPort, labelFor, labelId, plannedDay, wanRtt, type Activity } from '../activities/activity.js';
import { HOUR, MINUTE } from '../calendar.js';
import { exchangeOf, genericData, txtStrings } from '../dns/records.js';
import type { Prng } from '../prng.js';
import type { DnsExchange, DnsRecord, DnsType, Session } from '../session.js';
import { forwardQuery, resolverPath, socketSessions } from './dns-paths.js';
import type { Victims } from './victims.js';

/** The tunnels' domains: reserved names (RFC 2606), never a real party's. */
export const IODINE_DOMAIN = 't.relay-k7.example';
export const DNSCAT_DOMAIN = 'edge-stats.example';

/** iodine's base32 alphabet, and how long it makes a label. */
const BASE32 = 'abcdefghijklmnopqrstuvwxyz012345';
const IODINE_LABEL = 57;
const DNSCAT_LABEL = 62;
/** iodine's client advertises a large EDNS buffer; its server fills NULL records up to the fragment size it probed. */
const IODINE_EDNS = 4096;
const MAX_DATAGRAM = 1400;

/**
 * DNS tunnelling from one workstation, in two styles:
 * - iodine at night (about 00:30 for 1.5 hours), straight to the tunnel's name server: NULL
 *   queries whose names carry base32 data in 57-character labels under a short domain, answered
 *   with NULL records of raw downstream data; a handshake (version, login, codec and fragment
 *   size probes), then bursts of traffic between idle pings that the server holds (lazy mode);
 * - dnscat2 in the afternoon (about 14:30 for 45 minutes), through the corporate resolver: hex
 *   labels under its domain, TXT, CNAME or MX at random, answered in kind with hex data, polling
 *   every second or two.
 * Thousands of unique, long, high-entropy names under one registered domain each.
 */
export function dnsTunnelling(victims: Victims): Activity {
  return {
    name: 'dns-tunnelling',
    plan(day) {
      const r = day.prng;
      const host = victims.tunneller;
      const label = labelId('dns-tunnelling', day.date);
      const ns = day.network.internet.attackers.tunnel.v4[0]!;
      const sessions: Session[] = [];
      // iodine talks to its name server from one socket; dnscat2's socket talks to the resolver, which forwards each query.
      // Both count their transaction ids up from a random start.
      const iodineId = r.int(0, 0xffff);
      const dnscatId = r.int(0, 0xffff);
      const iodineExchanges: DnsExchange[] = [];
      iodine(r.fork('iodine'), day.start + 30 * MINUTE + r.int(0, 30 * MINUTE), r.uniform(70, 90) * MINUTE, (t, exchange, rtt) =>
        iodineExchanges.push({ ...exchange, sent: t, rtt, id: (iodineId + iodineExchanges.length) & 0xffff }),
      );
      socketSessions(iodineExchanges, { src: host.ipv4, sport: ephemeralPort(r, host), dst: ns, label }, sessions);
      const path = resolverPath(day.network, host, r, label);
      const dnscatExchanges: DnsExchange[] = [];
      dnscat2(r.fork('dnscat2'), day.start + 14 * HOUR + 30 * MINUTE + r.int(0, 30 * MINUTE), r.uniform(35, 45) * MINUTE, (t, exchange, rtt) =>
        dnscatExchanges.push({ ...exchange, sent: t, rtt: forwardQuery(path, r, t, exchange, rtt, sessions), id: (dnscatId + dnscatExchanges.length) & 0xffff }),
      );
      socketSessions(dnscatExchanges, { src: path.src, sport: ephemeralPort(r, host), dst: path.dst, label }, sessions);
      const labelled = sessions.filter((s) => s.label === label);
      const row = labelFor(
        day.date,
        {
          category: 'attack',
          name: 'dns-tunnelling',
          src: [host.ipv4, ...(path.src === host.ipv4 ? [] : [path.src])],
          dst: [ns, path.dst],
          dports: [53],
          proto: ['UDP'],
          description:
            `DNS tunnelling: ${host.fqdn} runs iodine (NULL queries, base32 labels) to ${IODINE_DOMAIN} via its name server ${ns} at night, ` +
            `then dnscat2 (hex labels, TXT/CNAME/MX) to ${DNSCAT_DOMAIN} through its resolver in the afternoon; the resolver's forwarded queries are not labelled`,
        },
        labelled,
      );
      return plannedDay(sessions, [row]);
    },
  };
}

type Emit = (t: number, exchange: DnsExchange, rtt: number) => void;

function iodine(r: Prng, start: number, duration: number, emit: Emit): void {
  const user = r.int(0, 15).toString(16);
  const query = (name: string, downstream: number, t: number, rtt: number) => {
    const data = genericData(randomBytes(r, Math.min(downstream, MAX_DATAGRAM - 60 - name.length)));
    const records: DnsRecord[] = [{ name, type: 'NULL', ttl: 0, data }];
    emit(t, exchangeOf({ query: name, qtype: 'NULL', rcode: 'NOERROR', records, edns: IODINE_EDNS }), rtt);
  };
  let t = Math.round(start);
  // Handshake: version, login, downstream codec checks, fragment size probes growing, then the agreed size and options.
  for (const [kind, up, down] of [['v', 8, 8], ['l', 26, 20], ['y', 12, 60], ['y', 12, 60], ['r', 8, 300], ['r', 8, 700], ['r', 8, 1100], ['n', 8, 4], ['o', 6, 8]] as const) {
    query(`${kind}${base32(r, up)}.${IODINE_DOMAIN}`, down, t, Math.round(wanRtt(r)));
    t += r.int(40, 400);
  }
  const end = start + duration;
  while (t < end) {
    // A burst of data in both directions, then an idle stretch of pings held by the server.
    for (const stop = Math.min(end, t + r.uniform(10_000, 90_000)); t < stop; t += Math.max(5, Math.round(r.exponential(300)))) {
      const data = base32(r, r.int(150, 200));
      query(`${user}${dotify(data, IODINE_LABEL)}.${IODINE_DOMAIN}`, r.int(300, 1100), t, Math.round(wanRtt(r) + r.uniform(1, 20)));
    }
    for (const stop = Math.min(end, t + r.uniform(60_000, 240_000)); t < stop; t += Math.round(r.uniform(300, 4000))) {
      query(`p${user}${base32(r, 9)}.${IODINE_DOMAIN}`, r.int(2, 12), t, Math.round(r.uniform(200, 3000)));
    }
  }
}

function dnscat2(r: Prng, start: number, duration: number, emit: Emit): void {
  const session = r.int(0, 0xffff);
  let seq = r.int(0, 0xffff);
  let ack = r.int(0, 0xffff);
  let busy = 0;
  for (let t = Math.round(start); t < start + duration; t += Math.round(r.uniform(1500, 4500))) {
    // Interactive spells: a command's output flows for a while, otherwise the client polls with empty messages.
    if (busy === 0 && r.chance(0.04)) busy = r.int(5, 40);
    const up = busy > 0 && r.chance(0.3) ? r.int(10, 70) : 0;
    const down = busy > 0 ? r.int(20, 70) : 0;
    if (busy > 0) busy--;
    const packet = (bytes: number) => hex(r, 2) + '01' + word(session) + word(seq) + word(ack) + hex(r, bytes);
    const name = `${dotify(packet(up), DNSCAT_LABEL)}.${DNSCAT_DOMAIN}`;
    seq = (seq + up) & 0xffff;
    ack = (ack + down) & 0xffff;
    const qtype: DnsType = r.pick(['TXT', 'CNAME', 'MX'] as const);
    const answer = packet(down);
    const data = qtype === 'TXT' ? txtStrings(answer) : qtype === 'CNAME' ? `${dotify(answer, DNSCAT_LABEL)}.${DNSCAT_DOMAIN}` : `10 ${dotify(answer, DNSCAT_LABEL)}.${DNSCAT_DOMAIN}`;
    emit(t, exchangeOf({ query: name, qtype, rcode: 'NOERROR', records: [{ name, type: qtype, ttl: 1, data }] }), Math.round(wanRtt(r) + r.uniform(5, 60)));
  }
}

/** Splits encoded data into labels, as the tunnel clients do. */
function dotify(text: string, label: number): string {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += label) parts.push(text.slice(i, i + label));
  return parts.join('.');
}

function base32(r: Prng, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += BASE32[r.int(0, 31)];
  return s;
}

function hex(r: Prng, bytes: number): string {
  let s = '';
  for (let i = 0; i < bytes; i++) s += r.int(0, 255).toString(16).padStart(2, '0');
  return s;
}

const word = (n: number) => n.toString(16).padStart(4, '0');

function randomBytes(r: Prng, n: number): Uint8Array {
  const b = new Uint8Array(Math.max(0, n));
  for (let i = 0; i < b.length; i++) b[i] = r.int(0, 255);
  return b;
}
