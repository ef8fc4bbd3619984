import { tcpSession } from '../build-session.js';
import { ephemeralPort, eventTimes, hostStreams, lanRtt, type Activity } from './activity.js';

/** Print jobs per workstation per weekday at scale 1. */
const JOBS = 2;

/** Printing: a job spooled to the print server over SMB (445), which sends it to a printer (9100). */
export const printing: Activity = {
  name: 'printing',
  plan(day) {
    const { network } = day;
    const server = network.servers.print[0]!;
    const printers = network.servers.printer;
    const streams = hostStreams(day.prng, network.workstations);
    return {
      labels: [],
      sessions(window, out) {
        network.workstations.forEach((host, i) => {
          const r = streams[i]!;
          for (const t of eventTimes(r, window, JOBS * day.scale, 'user')) {
            const size = r.lognormal(400_000, 1.2);
            const rtt = lanRtt(r);
            out.push(
              tcpSession({
                start: t,
                src: host.ipv4,
                sport: ephemeralPort(r, host),
                dst: server.ipv4,
                dport: 445,
                rtt,
                duration: 800 + size / 10e3,
                upload: size,
                download: 4000,
              }),
            );
            const printer = printers[host.index % printers.length]!;
            out.push(
              tcpSession({
                start: t + 2000,
                src: server.ipv4,
                sport: ephemeralPort(r, server),
                dst: printer.ipv4,
                dport: 9100,
                rtt,
                duration: 3000 + size / 1e3,
                upload: size,
                download: 200,
              }),
            );
          }
        });
      },
    };
  },
};
