import { Prng } from '../prng.js';
import type { DnsRecord } from '../session.js';
import type { ProviderKey } from './popular-domains.js';
import { txtStrings } from './records.js';

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const B64URL = `${ALNUM}-_`;
const HEX = '0123456789abcdef';

/** Ownership proofs SaaS vendors ask domains to publish, each a format of random tokens. */
const VERIFICATIONS: readonly ((r: Prng) => string)[] = [
  (r) => `google-site-verification=${token(r, B64URL, 43)}`,
  (r) => `MS=ms${r.int(10000000, 99999999)}`,
  (r) => `facebook-domain-verification=${token(r, ALNUM.slice(0, 36), 30)}`,
  (r) => `apple-domain-verification=${token(r, ALNUM, 16)}`,
  (r) => `atlassian-domain-verification=${token(r, B64URL, 64)}`,
  (r) => `docusign=${token(r, HEX, 8)}-${token(r, HEX, 4)}-${token(r, HEX, 4)}-${token(r, HEX, 4)}-${token(r, HEX, 12)}`,
  (r) => `adobe-idp-site-verification=${token(r, HEX, 64)}`,
  (r) => `globalsign-domain-verification=${token(r, B64URL, 42)}`,
  (r) => `stripe-verification=${token(r, HEX, 64)}`,
  (r) => `onetrust-domain-verification=${token(r, HEX, 32)}`,
  (r) => `miro-verification=${token(r, HEX, 40)}`,
  (r) => `ZOOM_verify_${token(r, ALNUM, 32)}`,
  (r) => `hubspot-developer-verification=${token(r, B64URL, 48)}`,
  (r) => `slack-domain-verification=${token(r, ALNUM, 40)}`,
  (r) => `cisco-ci-domain-verification=${token(r, HEX, 64)}`,
  (r) => `yandex-verification=${token(r, HEX, 16)}`,
  (r) => `webexdomainverification.${token(r, ALNUM, 5)}=${token(r, HEX, 8)}-${token(r, HEX, 4)}-${token(r, HEX, 4)}-${token(r, HEX, 4)}-${token(r, HEX, 12)}`,
  (r) => `dropbox-domain-verification=${token(r, ALNUM.slice(0, 36), 12)}`,
  (r) => `teamviewer-sso-verification=${token(r, HEX, 32)}`,
  (r) => `Dynatrace-site-verification=${token(r, HEX, 8)}-${token(r, HEX, 4)}-${token(r, HEX, 4)}__${token(r, ALNUM, 26)}`,
];

const SPF_INCLUDES: Partial<Record<ProviderKey, string>> = {
  google: '_spf.google.com',
  microsoft: 'spf.protection.outlook.com',
  amazon: 'amazonses.com',
  salesforce: '_spf.salesforce.com',
};

/**
 * The TXT records at a domain's apex: an SPF policy and ownership proofs. The most popular
 * domains have collected dozens, which no longer fit a 512-byte (or 1232-byte EDNS) UDP
 * response: the classic reason DNS falls back to TCP.
 */
export function txtRecords(owner: string, domain: string, key: ProviderKey, rank: number, ttl: number): DnsRecord[] {
  const r = new Prng(`dns-txt/${domain}`);
  const count = rank <= 25 ? r.int(12, 26) : rank <= 120 ? r.int(3, 9) : r.int(1, 4);
  const includes = [SPF_INCLUDES[key] ?? `_spf.${domain}`, ...r.sample(['mail.zendesk.com', 'servers.mcsv.net', 'sendgrid.net', '_spf.salesforce.com', 'spf.mandrillapp.com'], r.int(0, 3))];
  const texts = [`v=spf1 ${includes.map((i) => `include:${i}`).join(' ')} ~all`];
  for (const make of r.sample(VERIFICATIONS, Math.min(count, VERIFICATIONS.length))) texts.push(make(r));
  // Past the list of vendors, large sites keep old proofs of the same kinds.
  while (texts.length < count + 1) texts.push(r.pick(VERIFICATIONS)(r));
  return texts.map((t) => ({ name: owner, type: 'TXT', ttl, data: txtStrings(t) }));
}

function token(r: Prng, alphabet: string, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[r.int(0, alphabet.length - 1)];
  return s;
}
