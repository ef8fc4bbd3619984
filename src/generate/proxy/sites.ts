import { HTTP_C2_HOST } from '../attacks/http-beaconing.js';
import { MIME_SITE_HOST } from '../attacks/mime-mismatch.js';
import { PHISHING_HOST, PHISHING_RATED_AT } from '../attacks/phishing.js';
import { UPLOAD_HOST } from '../attacks/upload-exfiltration.js';
import { DAY } from '../calendar.js';
import type { Internet } from '../internet.js';
import { Prng } from '../prng.js';
import type { DesktopApp } from './user-agents.js';

/**
 * What the proxies know about a web host: its category (Blue Coat's WebPulse names), the
 * application it belongs to, and what a connection to it carries: pages with their assets, assets
 * for other sites' pages (CDNs), API calls of an application, or software updates.
 */
export type SiteKind = 'page' | 'cdn' | 'api' | 'update';

export interface SiteProfile {
  readonly kind: SiteKind;
  readonly category: string;
  /** Blue Coat's application name. */
  readonly app: string | null;
  /** The desktop application that talks to the site when installed; otherwise the browser does. */
  readonly desktop?: DesktopApp;
}

const site = (kind: SiteKind, category: string, app: string | null = null, desktop?: DesktopApp): SiteProfile => ({ kind, category, app, desktop });

const KNOWN: Readonly<Record<string, SiteProfile>> = {
  'www.google.com': site('page', 'Search Engines/Portals', 'Google Search'),
  'fonts.gstatic.com': site('cdn', 'Content Servers'),
  'www.youtube.com': site('page', 'Audio/Video Clips', 'YouTube'),
  'mail.google.com': site('api', 'Email', 'Gmail'),
  'outlook.office365.com': site('api', 'Email', 'Office 365', 'outlook'),
  'teams.microsoft.com': site('api', 'Business/Economy', 'Microsoft Teams', 'teams'),
  'login.microsoftonline.com': site('api', 'Technology/Internet', 'Office 365'),
  'www.bing.com': site('page', 'Search Engines/Portals', 'Bing'),
  'www.linkedin.com': site('page', 'Social Networking', 'LinkedIn'),
  'sharepoint.com': site('api', 'Business/Economy', 'SharePoint Online', 'onedrive'),
  'www.amazon.com': site('page', 'Shopping', 'Amazon'),
  's3.amazonaws.com': site('cdn', 'Content Servers', 'Amazon Web Services'),
  'd3k9mgbn6ab1.cloudfront.net': site('cdn', 'Content Servers'),
  'app.slack.com': site('api', 'Business/Economy', 'Slack', 'slack'),
  'cdnjs.cloudflare.com': site('cdn', 'Content Servers'),
  'www.cloudflare.com': site('page', 'Technology/Internet'),
  'static.akamaized.net': site('cdn', 'Content Servers'),
  'www.apple.com': site('page', 'Technology/Internet'),
  'www.facebook.com': site('page', 'Social Networking', 'Facebook'),
  'github.com': site('page', 'Technology/Internet', 'GitHub'),
  'www.dropbox.com': site('api', 'Online Storage', 'Dropbox'),
  'example.my.salesforce.com': site('api', 'Business/Economy', 'Salesforce'),
  'zoom.us': site('api', 'Business/Economy', 'Zoom', 'zoom'),
  'en.wikipedia.org': site('page', 'Reference'),
  'www.bbc.co.uk': site('page', 'News'),
  'www.nytimes.com': site('page', 'News'),
  'download.windowsupdate.com': site('update', 'Software Downloads', 'Windows Update'),
  'officecdn.microsoft.com': site('update', 'Software Downloads', 'Office 365'),
  'update.googleapis.com': site('update', 'Software Downloads'),
  'swcdn.apple.com': site('update', 'Software Downloads'),
  'deb.debian.org': site('update', 'Software Downloads'),
  'security.ubuntu.com': site('update', 'Software Downloads'),
  'definitions.avvendor.net': site('update', 'Software Downloads'),
  [HTTP_C2_HOST]: site('page', 'Uncategorized'),
  [MIME_SITE_HOST]: site('page', 'Business/Economy'),
  [UPLOAD_HOST]: site('api', 'Uncategorized'),
  [PHISHING_HOST]: site('page', 'Uncategorized'),
};

/** Categories of the long tail of small sites, by how often they occur. */
const LONG_TAIL: readonly string[] = [
  'Technology/Internet', 'Technology/Internet', 'Business/Economy', 'Business/Economy', 'Shopping', 'News', 'Travel', 'Entertainment',
  'Restaurants/Food', 'Sports/Recreation', 'Education', 'Personal Sites', 'Financial Services', 'Health', 'Government/Legal', 'Real Estate',
];

/** Categories whose TLS the head-office proxy leaves closed (privacy), as most policies do. */
export const PRIVATE_CATEGORIES: ReadonlySet<string> = new Set(['Financial Services', 'Health']);

/** The proxies' knowledge of the synthetic internet's web hosts. */
export class SiteCatalog {
  readonly #profiles = new Map<string, SiteProfile>(Object.entries(KNOWN));

  constructor(internet: Internet) {
    // The attackers' own hosts are too new to be rated.
    for (const s of Object.values(internet.attackers)) this.#profiles.set(s.name, site('page', 'Uncategorized'));
  }

  /** The profile of a host: known ones by name; any other is a small site with a category of its own. */
  profile(host: string): SiteProfile {
    let p = this.#profiles.get(host);
    if (!p) this.#profiles.set(host, (p = site('page', new Prng(`proxy-site/${host}`).pick(LONG_TAIL))));
    return p;
  }

  /** The category the proxy's rating service gives a host at a moment: the phishing site is rated during the day. */
  categoryAt(host: string, t: number): string {
    if (host === PHISHING_HOST) return ((t % DAY) + DAY) % DAY >= PHISHING_RATED_AT ? 'Phishing' : 'Uncategorized';
    return this.profile(host).category;
  }
}
