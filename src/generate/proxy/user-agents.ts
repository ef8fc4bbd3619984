import type { Host } from '../network.js';
import { Prng } from '../prng.js';

/**
 * The software that asks the web for things, with the User-Agent each sends. Every workstation
 * has one browser (a version that moves a little from host to host, as updates roll out) and a
 * set of desktop applications; servers and tools have their own agents.
 */

const WIN = 'Windows NT 10.0; Win64; x64';
const chrome = (v: string) => `Mozilla/5.0 (${WIN}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36`;
const edge = (v: string) => `${chrome(v)} Edg/${v}.0.${2592 + Number(v)}.${Number(v) % 7 * 11}`;
const firefox = (v: string) => `Mozilla/5.0 (${WIN}; rv:${v}) Gecko/20100101 Firefox/${v}`;

/** Browsers by share of the workstations. */
const BROWSERS: readonly (readonly [agent: string, weight: number])[] = [
  [chrome('126'), 30], [chrome('125'), 10], [chrome('124'), 3],
  [edge('126'), 25], [edge('125'), 8],
  [firefox('127.0'), 10], [firefox('128.0'), 4], [firefox('115.0'), 6], // 115: the extended-support release
  [`Mozilla/5.0 (${WIN}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0`, 2],
  [`Mozilla/5.0 (${WIN}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Vivaldi/6.8.3381.44`, 1],
];

export const AGENTS = {
  teams: `Mozilla/5.0 (${WIN}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0 Teams/24165.1410.2974.6689/49`,
  outlook: 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17726; Pro)',
  onedrive: 'Microsoft SkyDriveSync 24.116.0609.0003 ship; Windows NT 10.0 (19045)',
  slack: `Mozilla/5.0 (${WIN}) AppleWebKit/537.36 (KHTML, like Gecko) Slack/4.38.125 Chrome/124.0.6367.243 Electron/30.1.0 Safari/537.36 Sonic Slack_SSB/4.38.125`,
  zoom: 'Mozilla/5.0 (ZOOM.Win 10.0 x64)',
  excel: 'Microsoft Office Excel 2014',
  officeClickToRun: 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Office Click-to-Run 16.0.17726; Pro)',
  windowsUpdate: 'Windows-Update-Agent/10.0.10011.16384 Client-Protocol/2.71',
  deliveryOptimization: 'Microsoft-Delivery-Optimization/10.0',
  bits: 'Microsoft BITS/7.8',
  googleUpdate: 'GoogleUpdater 126.0.6478.127',
  appleUpdate: 'Apple Software Update/2.6.3.1',
  antivirus: 'AVVendor-Updater/5.2.1 (Windows NT 10.0; x64)',
  apt: 'Debian APT-HTTP/1.3 (2.6.1)',
  curl: 'curl/8.7.1',
  powershell: 'Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.4522',
  git: 'git/2.45.2.windows.1',
} as const;

/** Desktop applications a workstation may have; the rest of its users go through the browser. */
export type DesktopApp = 'teams' | 'outlook' | 'onedrive' | 'slack' | 'zoom' | 'excel';
const INSTALLED: readonly (readonly [DesktopApp, number])[] = [['teams', 0.8], ['outlook', 0.7], ['onedrive', 0.6], ['slack', 0.3], ['zoom', 0.5], ['excel', 0.4]];

export interface Software {
  readonly browser: string;
  readonly apps: ReadonlySet<DesktopApp>;
  /** Administrators and developers fetch with curl, PowerShell and git too. */
  readonly technical: boolean;
}

const software = new WeakMap<Host, Software>();

/** A workstation's software, the same every day (its own stream, keyed by the host). */
export function softwareOf(host: Host): Software {
  let s = software.get(host);
  if (!s) {
    const r = new Prng(`proxy-software/${host.id}`);
    const total = BROWSERS.reduce((a, [, w]) => a + w, 0);
    let k = r.float() * total;
    const browser = BROWSERS.find(([, w]) => (k -= w) < 0)?.[0] ?? BROWSERS[0]![0];
    const apps = new Set(INSTALLED.filter(([, p]) => r.chance(p)).map(([a]) => a));
    software.set(host, (s = { browser, apps, technical: r.chance(0.12) }));
  }
  return s;
}
