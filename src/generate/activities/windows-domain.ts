import { poweredOn } from '../calendar.js';
import { tcpSession, udpSession } from '../build-session.js';
import type { Host } from '../network.js';
import type { Prng } from '../prng.js';
import type { Session } from '../session.js';
import { between, ephemeralPort, eventTimes, hostStreams, lanRtt, type Activity } from './activity.js';

/** Per workstation per weekday at scale 1. */
const KERBEROS = 12;
const LDAP = 15;
const RPC = 4;
const GROUP_POLICY = 6;
const FILE_SHARES = 25;

/**
 * Active Directory and file sharing: Kerberos (88), LDAP (389, CLDAP over UDP), the RPC
 * endpoint mapper (135) followed by a dynamic port, group-policy reads over SMB from a domain
 * controller, and users' SMB (445) sessions to their home file server.
 */
export const windowsDomain: Activity = {
  name: 'windows-domain',
  plan(day) {
    const { network } = day;
    const streams = hostStreams(day.prng, network.workstations);
    const scale = day.scale;
    return {
      labels: [],
      sessions(window, out) {
        network.workstations.forEach((host, i) => {
          const r = streams[i]!;
          const dc = network.servers.dc[host.index % network.servers.dc.length]!;
          const files = network.servers.file[host.index % network.servers.file.length]!;
          const machine = poweredOn(host.alwaysOn, window.start);
          // Partly the user's doing, partly the machine's own (ticket renewals, policy refresh).
          const both = (perDay: number) => [
            ...eventTimes(r, window, perDay * scale * 0.6, 'user'),
            ...(machine ? eventTimes(r, window, perDay * scale * 0.4, 'flat') : []),
          ];
          for (const t of both(KERBEROS)) out.push(kerberos(r, host, dc, t));
          for (const t of both(LDAP)) out.push(ldap(r, host, dc, t));
          for (const t of eventTimes(r, window, RPC * scale, 'user')) out.push(...rpc(r, host, dc, t));
          if (machine) for (const t of eventTimes(r, window, GROUP_POLICY * scale, 'flat')) out.push(smb(r, host, dc, t, 'policy'));
          for (const t of eventTimes(r, window, FILE_SHARES * scale, 'user')) out.push(smb(r, host, files, t, 'files'));
        });
      },
    };
  },
};

function kerberos(r: Prng, host: Host, dc: Host, t: number): Session {
  const { src, dst } = between(r, host, dc);
  const sport = ephemeralPort(r, host);
  const rtt = lanRtt(r);
  const spec = { start: t, src, sport, dst, dport: 88, rtt, duration: r.lognormal(15, 0.5), upload: r.lognormal(1400, 0.3), download: r.lognormal(1600, 0.3) };
  return r.chance(0.7) ? tcpSession(spec) : udpSession(spec);
}

function ldap(r: Prng, host: Host, dc: Host, t: number): Session {
  const { src, dst } = between(r, host, dc);
  const sport = ephemeralPort(r, host);
  const rtt = lanRtt(r);
  const spec = { start: t, src, sport, dst, dport: 389, rtt, duration: r.lognormal(40, 0.8), upload: r.lognormal(600, 0.6), download: r.lognormal(3000, 1.2) };
  return r.chance(0.8) ? tcpSession(spec) : udpSession({ ...spec, upload: 200, download: 350 });
}

/** The endpoint mapper answers with a dynamic port; the client then connects there. */
function rpc(r: Prng, host: Host, dc: Host, t: number): Session[] {
  const { src, dst } = between(r, host, dc);
  const rtt = lanRtt(r);
  return [
    tcpSession({ start: t, src, sport: ephemeralPort(r, host), dst, dport: 135, rtt, duration: 20, upload: 220, download: 180 }),
    tcpSession({
      start: t + 25,
      src,
      sport: ephemeralPort(r, host),
      dst,
      dport: r.int(49664, 49680),
      rtt,
      duration: r.lognormal(200, 1),
      upload: r.lognormal(2000, 1),
      download: r.lognormal(4000, 1),
    }),
  ];
}

function smb(r: Prng, host: Host, server: Host, t: number, kind: 'policy' | 'files'): Session {
  const { src, dst } = between(r, host, server);
  const files = kind === 'files';
  return tcpSession({
    start: t,
    src,
    sport: ephemeralPort(r, host),
    dst,
    dport: 445,
    rtt: lanRtt(r),
    duration: files ? r.lognormal(60_000, 1.5) : r.lognormal(1500, 0.6),
    upload: files ? r.lognormal(20_000, 2) : 3000,
    download: files ? r.lognormal(400_000, 2) : r.lognormal(30_000, 0.8),
  });
}
