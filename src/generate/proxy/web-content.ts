import type { Prng } from '../prng.js';
import type { HttpExchange } from '../session.js';
import { draft, type Draft } from './drafts.js';
import { contentTypeOf } from './mime.js';

/**
 * What a browser asks a site on one keep-alive connection: a page and the assets it links, or
 * more assets of a page opened on another connection, or an application's API calls.
 * @module
 */

const PAGE_PATHS = new Set(['/', '/index.html', '/search', '/login']);
const SEARCH_WORDS = ['quarterly', 'report', 'invoice', 'template', 'python', 'pandas', 'vpn', 'setup', 'error', 'excel', 'formula', 'flight', 'hotel', 'weather', 'news', 'tax', 'pdf', 'converter'];
const REFERRERS = ['https://www.google.com/', 'https://www.bing.com/', 'https://outlook.office365.com/', 'https://teams.microsoft.com/'];
/** Pages that pull fonts and libraries from the CDNs. */
const CDN_USERS = ['https://www.nytimes.com/', 'https://www.bbc.co.uk/', 'https://github.com/', 'https://www.linkedin.com/', 'https://en.wikipedia.org/', 'https://www.amazon.com/'];

const hex = (r: Prng, n: number) => {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[r.int(0, 15)];
  return s;
};

/** One asset of a page: scripts, styles, pictures, fonts, XHR. */
function asset(r: Prng, referer: string): Draft {
  const k = r.float();
  const path =
    k < 0.25 ? `/static/js/${r.pick(['main', 'vendor', 'runtime', 'chunk-' + r.int(100, 999)])}.${hex(r, 8)}.js`
    : k < 0.38 ? `/static/css/${r.pick(['main', 'app', 'theme'])}.${hex(r, 8)}.css`
    : k < 0.62 ? `/images/${r.pick(['hero', 'thumb', 'banner', 'product', 'avatar'])}-${r.int(1, 480)}.${r.pick(['jpg', 'png', 'webp'])}`
    : k < 0.7 ? `/icons/${r.pick(['search', 'menu', 'close', 'share', 'user'])}.svg`
    : k < 0.76 ? `/fonts/${r.pick(['inter', 'source-sans', 'roboto'])}-${r.pick(['regular', 'bold', 'var'])}.woff2`
    : k < 0.78 ? '/favicon.ico'
    : `/api/${r.pick(['v1', 'v2'])}/${r.pick(['items', 'session', 'recommendations', 'config', 'events', 'user/profile'])}`;
  const xhr = k >= 0.78;
  const method = xhr && r.chance(0.3) ? 'POST' : 'GET';
  const query = xhr && method === 'GET' && r.chance(0.5) ? `?page=${r.int(1, 9)}&limit=${r.pick([10, 20, 50])}` : !xhr && r.chance(0.15) ? `?v=${hex(r, 6)}` : null;
  const status = r.chance(0.01) ? 404 : !xhr && r.chance(0.14) ? 304 : method === 'POST' && r.chance(0.3) ? 204 : 200;
  const type = status === 404 ? 'text/html; charset=utf-8' : xhr ? 'application/json' : contentTypeOf(path);
  const d = draft({ method, path, query, status, contentType: type, referer, body: method === 'POST' ? Math.round(r.lognormal(400, 1)) : 0, weight: r.lognormal(1, 1) });
  // Static files the proxy holds are served from its cache.
  return status === 200 && !xhr && r.chance(0.1) ? { ...d, outcome: 'hit' } : d;
}

/** A page site: the page the exchange names (or, for an asset path, more of a page's assets). */
export function pageDrafts(r: Prng, http: HttpExchange, count: number): Draft[] {
  const origin = `${http.scheme}://${http.host}`;
  const out: Draft[] = [];
  let page = `${origin}/`;
  if (http.method === 'POST') {
    const path = r.pick(['/login', '/search', '/api/v1/session', '/collect']);
    out.push(draft({ method: 'POST', path, status: http.status, contentType: 'text/html; charset=utf-8', referer: page, body: Math.round(r.lognormal(900, 1)), weight: 0.5 }));
  } else if (PAGE_PATHS.has(http.path)) {
    const query = http.path === '/search' ? `?q=${r.pick(SEARCH_WORDS)}+${r.pick(SEARCH_WORDS)}` : null;
    page = origin + http.path + (query ?? '');
    const referer = http.path === '/' && r.chance(0.4) ? null : r.pick(REFERRERS);
    out.push(draft({ method: 'GET', path: http.path, query, status: http.status, contentType: 'text/html; charset=utf-8', referer, weight: 3 }));
    // A moved page: the browser follows the redirect on the same connection.
    if (http.status === 301 || http.status === 302) out.push(draft({ method: 'GET', path: '/home', status: 200, contentType: 'text/html; charset=utf-8', referer, weight: 3 }));
  } else {
    const path = http.path;
    out.push(draft({ method: 'GET', path, status: http.status, contentType: http.status === 404 ? 'text/html; charset=utf-8' : contentTypeOf(path), referer: page, weight: 1 }));
  }
  while (out.length < count) out.push(asset(r, page));
  return out;
}

/** A CDN: fonts and libraries for other sites' pages. */
export function cdnDrafts(r: Prng, http: HttpExchange, count: number): Draft[] {
  const referer = r.pick(CDN_USERS);
  const path = (): string => {
    if (http.host === 'fonts.gstatic.com') return `/s/${r.pick(['roboto', 'opensans', 'lato', 'inter'])}/v${r.int(20, 40)}/${hex(r, 22)}.woff2`;
    if (http.host === 'cdnjs.cloudflare.com') return `/ajax/libs/${r.pick(['jquery/3.7.1/jquery.min.js', 'font-awesome/6.5.2/css/all.min.css', 'lodash.js/4.17.21/lodash.min.js', 'moment.js/2.30.1/moment.min.js'])}`;
    return `/${r.pick(['assets', 'media', 'static'])}/${hex(r, 16)}.${r.pick(['jpg', 'png', 'js', 'css', 'webp', 'mp4'])}`;
  };
  return Array.from({ length: count }, (_, i) => {
    const p = path();
    const status = i === 0 ? http.status : r.chance(0.1) ? 304 : 200;
    const type = p.endsWith('.mp4') ? 'video/mp4' : contentTypeOf(p);
    return draft({ method: 'GET', path: p, status, contentType: status === 404 ? 'text/html; charset=utf-8' : type, referer, weight: r.lognormal(1, 0.8) });
  });
}

/** API endpoints of the applications, [method, path]. */
const ENDPOINTS: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  'outlook.office365.com': [['POST', '/owa/service.svc?action=GetItem'], ['POST', '/owa/service.svc?action=FindConversation'], ['GET', '/mapi/emsmdb/?MailboxId=' + 'a1b2c3d4'], ['POST', '/EWS/Exchange.asmx']],
  'teams.microsoft.com': [['GET', '/api/chatsvc/emea/v1/users/ME/conversations'], ['POST', '/api/chatsvc/emea/v1/users/ME/conversations/messages'], ['GET', '/api/mt/emea/beta/users/presence']],
  'login.microsoftonline.com': [['POST', '/common/oauth2/v2.0/token'], ['GET', '/common/discovery/instance'], ['GET', '/organizations/v2.0/.well-known/openid-configuration']],
  'mail.google.com': [['POST', '/sync/u/0/i/s'], ['GET', '/mail/u/0/'], ['POST', '/sync/u/0/i/fd']],
  'sharepoint.com': [['GET', '/sites/team/_api/web/lists'], ['POST', '/sites/team/_api/contextinfo'], ['GET', '/personal/_layouts/15/onedrive.aspx']],
  'app.slack.com': [['POST', '/api/conversations.history'], ['POST', '/api/users.counts'], ['GET', '/api/client.boot']],
  'www.dropbox.com': [['POST', '/2/files/list_folder'], ['GET', '/home'], ['POST', '/2/files/upload']],
  'example.my.salesforce.com': [['GET', '/services/data/v60.0/query'], ['GET', '/lightning/page/home'], ['POST', '/aura']],
  'zoom.us': [['GET', '/wc/join'], ['POST', '/api/v2/users/me/settings'], ['GET', '/web_client/api/meeting']],
};

/** An application's calls: JSON both ways, from its desktop client (no referer) or its web page. */
export function apiDrafts(r: Prng, http: HttpExchange, count: number, desktop: boolean): Draft[] {
  const endpoints = ENDPOINTS[http.host] ?? [['GET', '/api/v1/status'], ['POST', '/api/v1/events']];
  const referer = desktop ? null : `https://${http.host}/`;
  return Array.from({ length: count }, (_, i) => {
    const [method, target] = r.pick(endpoints);
    const q = target.indexOf('?');
    const status = i === 0 ? http.status : r.chance(0.02) ? 401 : 200;
    const html = target.endsWith('/') || target.endsWith('.aspx') || target.endsWith('/home') || target.endsWith('/join');
    return draft({
      method,
      path: q < 0 ? target : target.slice(0, q),
      query: q < 0 ? null : target.slice(q),
      status,
      contentType: html ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
      referer,
      body: method === 'POST' ? Math.round(r.lognormal(1500, 1)) : 0,
      weight: r.lognormal(1, 1),
    });
  });
}
