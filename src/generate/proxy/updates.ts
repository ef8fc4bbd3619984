import type { Prng } from '../prng.js';
import { draft, type Draft } from './drafts.js';
import { AGENTS } from './user-agents.js';

/**
 * Software updates as the vendors serve them: what each updater fetches on one connection, and
 * the agent it sends. A Windows workstation fetches Windows Update content with Delivery
 * Optimization, the WSUS server with BITS.
 * @module
 */

const hex = (r: Prng, n: number) => {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[r.int(0, 15)];
  return s;
};

export function updateAgent(host: string, server: boolean): string {
  switch (host) {
    case 'download.windowsupdate.com':
      return server ? AGENTS.bits : AGENTS.deliveryOptimization;
    case 'officecdn.microsoft.com':
      return AGENTS.officeClickToRun;
    case 'update.googleapis.com':
      return AGENTS.googleUpdate;
    case 'swcdn.apple.com':
      return AGENTS.appleUpdate;
    case 'deb.debian.org':
    case 'security.ubuntu.com':
      return AGENTS.apt;
    default:
      return AGENTS.antivirus;
  }
}

/** The requests of one updater connection; the first carries the exchange's status. */
export function updateDrafts(r: Prng, host: string, status: number, count: number): Draft[] {
  const out: Draft[] = [];
  for (let i = 0; i < count; i++) out.push(updateDraft(r, host, i === 0 ? status : 200, i));
  return out;
}

function updateDraft(r: Prng, host: string, status: number, i: number): Draft {
  switch (host) {
    case 'download.windowsupdate.com': {
      // Delivery Optimization and BITS fetch in ranges: 206 Partial Content.
      const kb = `kb50${r.int(40000, 49999)}`;
      return draft({ method: 'GET', path: `/c/msdownload/update/software/secu/2026/11/windows10.0-${kb}-x64_${hex(r, 40)}.cab`, status: status === 200 ? 206 : status, contentType: 'application/vnd.ms-cab-compressed' });
    }
    case 'officecdn.microsoft.com':
      return i === 0
        ? draft({ method: 'GET', path: '/pr/492350f6-3a01-4f97-b9c0-c7c6ddf67d60/Office/Data/v64.cab', status, contentType: 'application/vnd.ms-cab-compressed', weight: 0.05 })
        : draft({ method: 'GET', path: `/pr/492350f6-3a01-4f97-b9c0-c7c6ddf67d60/Office/Data/16.0.17726.20160/stream.x64.x-none.dat`, status: 206, contentType: 'application/octet-stream' });
    case 'update.googleapis.com':
      return i === 0
        ? draft({ method: 'POST', path: '/service/update2/json', status, contentType: 'application/json', body: 2400, weight: 0.02 })
        : draft({ method: 'GET', path: `/edgedl/release2/chrome/${hex(r, 26)}_126.0.6478.127/126.0.6478.127_126.0.6478.126_chrome_updater.exe`, status: 200, contentType: 'application/octet-stream' });
    case 'swcdn.apple.com':
      return draft({ method: 'GET', path: `/content/downloads/${r.int(10, 60)}/${r.int(10, 99)}/042-${r.int(10000, 99999)}-A_${hex(r, 10).toUpperCase()}/AppleSoftwareUpdate.msi`, status, contentType: 'application/x-msi' });
    case 'deb.debian.org':
    case 'security.ubuntu.com':
      return aptDraft(r, host === 'deb.debian.org', status, i);
    default:
      return draft({ method: 'GET', path: `/defs/v5/daily/avdefs-${hex(r, 8)}.vdf`, query: `?client=${hex(r, 12)}`, status, contentType: 'application/octet-stream' });
  }
}

/** apt: the release file (often unchanged), then index diffs and packages. */
function aptDraft(r: Prng, debian: boolean, status: number, i: number): Draft {
  const root = debian ? '/debian' : '/ubuntu';
  const suite = debian ? r.pick(['bookworm', 'bookworm-updates']) : 'jammy-security';
  if (i === 0) return draft({ method: 'GET', path: `${root}/dists/${suite}/InRelease`, status: status === 200 && r.chance(0.5) ? 304 : status, contentType: 'text/plain', weight: 0.02 });
  if (i === 1) return draft({ method: 'GET', path: `${root}/dists/${suite}/main/binary-amd64/Packages.xz`, status: 200, contentType: 'application/x-xz', weight: 0.3 });
  const pkg = r.pick(['openssl/libssl3_3.0.15-1~deb12u1', 'c/curl/libcurl4_7.88.1-10+deb12u8', 't/tzdata/tzdata_2024b-0+deb12u1', 'o/openssh/openssh-client_9.2p1-2+deb12u3']);
  const name = pkg.startsWith('openssl') ? `o/${pkg}` : pkg;
  return draft({ method: 'GET', path: `${root}/pool/main/${name}_amd64.deb`, status: 200, contentType: 'application/vnd.debian.binary-package' });
}
