import { TCP_HEADER } from '../build-session.js';
import { Prng } from '../prng.js';
import type { HttpExchange, Session } from '../session.js';
import type { Draft } from './drafts.js';
import { contentTypeOf } from './mime.js';
import type { ProxyRequest } from './request.js';
import type { ProxyClient } from './sensors.js';
import { PRIVATE_CATEGORIES, type SiteCatalog, type SiteKind } from './sites.js';
import { updateAgent, updateDrafts } from './updates.js';
import { AGENTS, softwareOf, type DesktopApp } from './user-agents.js';
import { apiDrafts, cdnDrafts, pageDrafts } from './web-content.js';

/** What sets the requests of a connection apart. */
type Varying = Pick<ProxyRequest, 'method' | 'scheme' | 'path' | 'query' | 'status' | 'contentType' | 'referer' | 'userAgent' | 'outcome' | 'server'>;

/** Request headers the client sends besides the user agent (request line, Host, Accept, cookies), bytes. */
const REQUEST_HEADERS = 420;
/** Response headers, bytes. */
const RESPONSE_HEADERS = 310;
/** The proxy's block page. */
const BLOCK_PAGE_TYPE = 'text/html;charset=utf-8';

/**
 * What a proxy logged for one connection. Attack sessions (labelled) carry exactly the request
 * their exchange names. For the others the exchange gives the host, the scheme, the kind of
 * request and the first status; the rest comes from a model of the web drawn from a stream keyed
 * by the connection, so the flows do not change: a page and its assets on a keep-alive
 * connection, CDN assets for other sites' pages, an application's API calls, an updater's
 * downloads. In every case the requests split the connection's payload exactly (bytes each way
 * without IP and TCP headers) and its time: the last response ends with the connection.
 */
export function connectionRequests(s: Session, client: ProxyClient, catalog: SiteCatalog): ProxyRequest[] {
  const http = s.app!.http!;
  const { sensor } = client;
  const header = TCP_HEADER[s.src.includes(':') ? 'v6' : 'v4'];
  const upload = Math.max(0, s.reqBytes - s.reqPackets * header);
  const download = Math.max(0, s.respBytes - s.respPackets * header);
  const end = s.start + s.duration;
  const category = catalog.categoryAt(http.host, s.start);
  const profile = catalog.profile(http.host);
  // One object literal with every field, in one order: all requests share one shape (a hot path at scale).
  const request = (q: Varying, endAt: number, duration: number, csBytes: number, scBytes: number): ProxyRequest => ({
    end: endAt,
    duration,
    client: s.src,
    server: q.server,
    method: q.method,
    scheme: q.scheme,
    host: http.host,
    port: s.dport,
    path: q.path,
    query: q.query,
    status: q.status,
    contentType: q.contentType,
    referer: q.referer,
    userAgent: q.userAgent,
    csBytes,
    scBytes,
    outcome: q.outcome,
    category,
    app: profile.app,
    appOperation: null,
    username: client.username,
    authGroup: client.authGroup,
    label: s.label,
  });
  const one = (q: Varying, duration: number): ProxyRequest[] => [request(q, end, duration, upload, download)];
  if (http.scheme === 'https' && (!sensor.inspectsTls || PRIVATE_CATEGORIES.has(category))) {
    return one({ method: 'CONNECT', scheme: 'tcp', path: '/', query: null, status: 200, contentType: null, referer: null, userAgent: null, outcome: 'tunnel', server: s.dst }, s.duration);
  }
  const [path, query] = splitQuery(http.path);
  const answered = Math.max(0, s.duration - s.rtt);
  if (sensor.denies.has(category)) {
    return one({ method: http.method, scheme: http.scheme, path, query, status: 403, contentType: BLOCK_PAGE_TYPE, referer: http.referer ?? null, userAgent: http.userAgent, outcome: 'denied', server: null }, answered);
  }
  if (s.label !== null) {
    const contentType = http.contentType ?? contentTypeOf(path);
    return one({ method: http.method, scheme: http.scheme, path, query, status: http.status, contentType, referer: http.referer ?? null, userAgent: http.userAgent, outcome: 'miss', server: s.dst }, answered);
  }
  const r = new Prng(`proxy-connection/${s.src}/${s.sport}/${s.start}`);
  const { drafts, userAgent } = background(r, http, client, profile.kind, profile.desktop, upload, download);
  const cs = split(upload, drafts.map((d) => REQUEST_HEADERS + d.body), drafts.map((d) => 1 + d.body / 200));
  const sc = split(download, drafts.map((d) => (d.weight > 0 ? RESPONSE_HEADERS + 200 : RESPONSE_HEADERS)), drafts.map((d) => d.weight));
  // Requests follow each other from the end of the handshake (and TLS) to the end of the connection.
  const from = Math.min(end, s.start + s.rtt * (http.scheme === 'https' ? 2 : 1));
  const ends = boundaries(r, from, end, drafts.length);
  return drafts.map((d, i) =>
    request({ ...d, scheme: http.scheme, userAgent, server: d.outcome === 'hit' ? null : s.dst }, ends[i + 1]!, ends[i + 1]! - ends[i]!, cs[i]!, sc[i]!),
  );
}

/** The requests of an unlabelled connection, as many as its bytes allow, and who sends them. */
function background(r: Prng, http: HttpExchange, client: ProxyClient, kind: SiteKind, desktop: DesktopApp | undefined, upload: number, download: number): { drafts: Draft[]; userAgent: string } {
  const server = client.host.role !== 'workstation';
  const room = Math.max(1, Math.min(Math.floor(download / 1500), Math.floor(upload / 500)));
  const count = Math.min(room, 1 + r.poisson(kind === 'page' ? 5 : kind === 'update' ? 1.5 : 2.5));
  if (kind === 'update') return { drafts: updateDrafts(r, http.host, http.status, count), userAgent: updateAgent(http.host, server) };
  const software = server ? null : softwareOf(client.host);
  const browser = software?.browser ?? AGENTS.curl;
  if (kind === 'api') {
    const app = desktop !== undefined && software !== null && software.apps.has(desktop) && r.chance(0.7) ? desktop : null;
    return { drafts: apiDrafts(r, http, count, app !== null), userAgent: app !== null ? AGENTS[app] : browser };
  }
  if (kind === 'cdn') return { drafts: cdnDrafts(r, http, count), userAgent: browser };
  // Administrators and developers script some of their fetches from technical sites.
  const scripted = software !== null && software.technical && (http.host === 'github.com' || http.host.endsWith('.io')) && r.chance(0.4);
  return { drafts: pageDrafts(r, http, count), userAgent: scripted ? r.pick([AGENTS.curl, AGENTS.powershell, AGENTS.git]) : browser };
}

/** "/a?b=1" → ["/a", "?b=1"]. */
function splitQuery(target: string): [string, string | null] {
  const q = target.indexOf('?');
  return q < 0 ? [target, null] : [target.slice(0, q), target.slice(q)];
}

/**
 * `total` bytes over the requests: each at least its minimum (while the total allows, in order),
 * the rest by weight, the remainder of the rounding to the heaviest; the parts add up to `total`.
 */
export function split(total: number, minimums: readonly number[], weights: readonly number[]): number[] {
  const out = minimums.map(() => 0);
  let left = total;
  for (let i = 0; i < out.length && left > 0; i++) {
    out[i] = Math.min(minimums[i]!, left);
    left -= out[i]!;
  }
  const sum = weights.reduce((a, b) => a + b, 0);
  if (left > 0) {
    let heaviest = 0;
    let given = 0;
    weights.forEach((w, i) => {
      const part = sum > 0 ? Math.floor((left * w) / sum) : 0;
      out[i]! += part;
      given += part;
      if (w > weights[heaviest]!) heaviest = i;
    });
    out[heaviest]! += left - given;
  }
  return out;
}

/** n + 1 whole-millisecond instants from `from` to `end` (both included), in order: where each request starts and ends. */
function boundaries(r: Prng, from: number, end: number, n: number): number[] {
  const weights = Array.from({ length: n }, () => r.lognormal(1, 0.7));
  const sum = weights.reduce((a, b) => a + b, 0);
  const out = [Math.round(from)];
  let acc = 0;
  for (let i = 0; i < n - 1; i++) {
    acc += weights[i]!;
    out.push(Math.round(from + ((end - from) * acc) / sum));
  }
  out.push(end);
  return out;
}
