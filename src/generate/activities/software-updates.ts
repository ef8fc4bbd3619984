import { HOUR, poweredOn } from '../calendar.js';
import { tcpSession } from '../build-session.js';
import type { Host } from '../network.js';
import { WeightedPicker, type Prng } from '../prng.js';
import type { HttpExchange, Session } from '../session.js';
import { ephemeralPort, eventTimes, hostStreams, lanRtt, towards, wanRtt, type Activity } from './activity.js';

/** Per workstation per day at scale 1. */
const WSUS_CHECKS = 6;
const WSUS_DOWNLOADS = 0.5;
const VENDOR_UPDATES = 6;
/** The update server's nightly synchronisation with Microsoft: files fetched from 03:00. */
const WSUS_SYNC_FILES = 25;
const WSUS_SYNC_AT = 3 * HOUR;

const UPDATE_AGENT = 'Windows-Update-Agent/10.0.10011.16384 Client-Protocol/2.50';

/**
 * Software updates: workstations check in with the WSUS server (8530) and fetch approved
 * updates from it; browsers, Office and the antivirus fetch their own updates from vendor
 * CDNs; the WSUS server downloads from Microsoft at night; Linux servers refresh apt indexes.
 */
export const softwareUpdates: Activity = {
  name: 'software-updates',
  plan(day) {
    const { network } = day;
    const wsus = network.servers.wsus[0]!;
    const vendors = new WeightedPicker(network.internet.updates.map((s) => [s, s.weight] as const));
    const windowsUpdate = network.internet.updates.find((s) => s.name === 'download.windowsupdate.com')!;
    const debian = network.internet.updates.filter((s) => s.name === 'deb.debian.org' || s.name === 'security.ubuntu.com');
    const streams = hostStreams(day.prng, network.workstations);
    const nightly: Session[] = [];
    const sync = day.prng.fork('wsus-sync');
    let t = day.start + WSUS_SYNC_AT + sync.int(0, 600_000);
    for (let i = 0; i < Math.ceil(WSUS_SYNC_FILES * day.scale); i++) {
      const download = sync.lognormal(150e6, 1);
      const { src, dst } = towards(sync, wsus, windowsUpdate);
      nightly.push(
        tcpSession({
          start: t,
          src,
          sport: ephemeralPort(sync, wsus),
          dst,
          dport: 443,
          rtt: wanRtt(sync),
          duration: download / 20e3,
          upload: 4000,
          download,
          app: { http: { scheme: 'https', method: 'GET', host: windowsUpdate.name, path: '/c/msdownload/update/software/secu/', status: 200, userAgent: 'Microsoft BITS/7.8' } },
        }),
      );
      t += download / 20e3 + sync.int(500, 5000);
    }
    const linux = Object.values(network.servers).flat().filter((h) => h.os === 'linux');
    linux.forEach((host) => {
      const r = day.prng.fork(`apt/${host.id}`);
      const start = day.start + 6 * HOUR + r.int(0, 3_600_000);
      const mirror = r.pick(debian);
      nightly.push(
        tcpSession({
          start,
          src: host.ipv4,
          sport: ephemeralPort(r, host),
          dst: r.pick(mirror.v4),
          dport: 80,
          rtt: wanRtt(r),
          duration: r.lognormal(3000, 0.5),
          upload: 2500,
          download: r.lognormal(2e6, 1),
          app: { http: { scheme: 'http', method: 'GET', host: mirror.name, path: '/dists/', status: 200, userAgent: 'Debian APT-HTTP/1.3 (2.6.1)' } },
        }),
      );
    });
    nightly.sort((a, b) => a.start - b.start);
    let next = 0;
    return {
      labels: [],
      sessions(window, out) {
        while (next < nightly.length && nightly[next]!.start < window.end) out.push(nightly[next++]!);
        network.workstations.forEach((host, i) => {
          const r = streams[i]!;
          if (poweredOn(host.alwaysOn, window.start)) {
            for (const t of eventTimes(r, window, WSUS_CHECKS * day.scale, 'flat')) out.push(wsusSession(r, host, wsus, t, 'check'));
          }
          for (const t of eventTimes(r, window, WSUS_DOWNLOADS * day.scale, 'user')) out.push(wsusSession(r, host, wsus, t, 'download'));
          for (const t of eventTimes(r, window, VENDOR_UPDATES * day.scale, 'user')) {
            const vendor = vendors.pick(r);
            const { src, dst } = towards(r, host, vendor);
            const download = r.lognormal(2e6, 2);
            const http: HttpExchange = { scheme: 'https', method: 'GET', host: vendor.name, path: '/update/manifest', status: 200, userAgent: UPDATE_AGENT };
            out.push(
              tcpSession({
                start: t,
                src,
                sport: ephemeralPort(r, host),
                dst,
                dport: 443,
                rtt: wanRtt(r),
                duration: 500 + download / 3e3,
                upload: 1500,
                download,
                app: { http },
              }),
            );
          }
        });
      },
    };
  },
};

function wsusSession(r: Prng, host: Host, wsus: Host, t: number, kind: 'check' | 'download'): Session {
  const download = kind === 'check' ? r.lognormal(25_000, 0.8) : r.lognormal(40e6, 1.2);
  const http: HttpExchange = {
    scheme: 'http',
    method: kind === 'check' ? 'POST' : 'GET',
    host: wsus.fqdn,
    path: kind === 'check' ? '/ClientWebService/client.asmx' : '/Content/update.cab',
    status: 200,
    userAgent: UPDATE_AGENT,
  };
  return tcpSession({
    start: t,
    src: host.ipv4,
    sport: ephemeralPort(r, host),
    dst: wsus.ipv4,
    dport: 8530,
    rtt: lanRtt(r),
    duration: 300 + download / 50e3,
    upload: 3000,
    download,
    app: { http },
  });
}
