import { tcpSession } from '../build-session.js';
import { WeightedPicker } from '../prng.js';
import { between, ephemeralPort, eventTimes, hostStreams, lanRtt, wanRtt, type Activity } from './activity.js';

/** Per workstation per weekday at scale 1. */
const IMAP_SESSIONS = 12;
const SUBMISSIONS = 6;
/** Messages through the DMZ relay, per workstation per weekday, each way. */
const OUTBOUND = 6;
const INBOUND = 15;

/**
 * Mail: clients sync over IMAPS (993) and submit over 587 to the mail server, which relays
 * through the DMZ mail gateway; the gateway exchanges SMTP (25) with the internet's MX hosts.
 */
export const mail: Activity = {
  name: 'mail',
  plan(day) {
    const { network } = day;
    const server = network.servers.mail[0]!;
    const relay = network.dmz.mx;
    const mx = new WeightedPicker(network.internet.mx.map((s) => [s, s.weight] as const));
    const streams = hostStreams(day.prng, network.workstations);
    const relayStream = day.prng.fork('relay');
    const users = network.workstations.length * day.scale;
    return {
      labels: [],
      sessions(window, out) {
        network.workstations.forEach((host, i) => {
          const r = streams[i]!;
          for (const t of eventTimes(r, window, IMAP_SESSIONS * day.scale, 'user')) {
            const { src, dst } = between(r, host, server);
            const duration = r.lognormal(300_000, 1);
            out.push(
              tcpSession({
                start: t,
                src,
                sport: ephemeralPort(r, host),
                dst,
                dport: 993,
                rtt: lanRtt(r),
                duration,
                upload: r.lognormal(6000, 0.8),
                download: r.lognormal(150_000, 1.6),
              }),
            );
          }
          for (const t of eventTimes(r, window, SUBMISSIONS * day.scale, 'user')) {
            const { src, dst } = between(r, host, server);
            out.push(
              tcpSession({
                start: t,
                src,
                sport: ephemeralPort(r, host),
                dst,
                dport: 587,
                rtt: lanRtt(r),
                duration: r.lognormal(800, 0.8),
                upload: r.lognormal(40_000, 1.5),
                download: 1500,
              }),
            );
          }
        });
        const r = relayStream;
        for (const t of eventTimes(r, window, OUTBOUND * users, 'user')) {
          const size = r.lognormal(40_000, 1.5);
          out.push(
            tcpSession({
              start: t,
              src: server.ipv4,
              sport: ephemeralPort(r, server),
              dst: relay.ipv4,
              dport: 25,
              rtt: lanRtt(r),
              duration: r.lognormal(400, 0.6),
              upload: size,
              download: 900,
            }),
          );
          const target = mx.pick(r);
          out.push(
            tcpSession({
              start: t + 2000,
              src: relay.ipv4,
              sport: ephemeralPort(r, relay),
              dst: r.pick(target.v4),
              dport: 25,
              rtt: wanRtt(r),
              duration: r.lognormal(1500, 0.6),
              upload: size + 600,
              download: 1100,
            }),
          );
        }
        const inbound = [...eventTimes(r, window, INBOUND * users * 0.5, 'user'), ...eventTimes(r, window, INBOUND * users * 0.5, 'flat')];
        for (const t of inbound) {
          const size = r.lognormal(25_000, 1.5);
          const sender = mx.pick(r);
          out.push(
            tcpSession({
              start: t,
              src: r.pick(sender.v4),
              sport: r.int(32768, 60999),
              dst: relay.ipv4,
              dport: 25,
              rtt: wanRtt(r),
              duration: r.lognormal(1500, 0.6),
              upload: size + 800,
              download: 1100,
            }),
          );
          // The gateway rejects about a fifth as spam; the rest goes on to the mail server.
          if (r.chance(0.8)) {
            out.push(
              tcpSession({
                start: t + 3000,
                src: relay.ipv4,
                sport: ephemeralPort(r, relay),
                dst: server.ipv4,
                dport: 25,
                rtt: lanRtt(r),
                duration: r.lognormal(300, 0.5),
                upload: size + 900,
                download: 700,
              }),
            );
          }
        }
      },
    };
  },
};
