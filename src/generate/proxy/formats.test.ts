import { describe, expect, it } from 'vitest';
import { bluecoatHeader, bluecoatLine } from './bluecoat-format.js';
import type { ProxyRequest } from './request.js';
import { BRANCH_OFFICE, HEAD_OFFICE } from './sensors.js';
import { squidLine } from './squid-format.js';

const END = Date.UTC(2026, 10, 24, 9, 30, 5, 250);

const get: ProxyRequest = {
  end: END,
  duration: 184,
  client: '10.10.0.33',
  server: '151.101.1.164',
  method: 'GET',
  scheme: 'https',
  host: 'www.nytimes.com',
  port: 443,
  path: '/images/hero-12.jpg',
  query: '?v=1a2b3c',
  status: 200,
  contentType: 'image/jpeg',
  referer: 'https://www.nytimes.com/',
  userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0',
  csBytes: 655,
  scBytes: 48_213,
  outcome: 'miss',
  category: 'News',
  app: null,
  appOperation: null,
  username: 'david.costa',
  authGroup: 'CORP\\Finance',
  label: null,
};

const tunnel: ProxyRequest = {
  ...get,
  client: 'fd5e:1a7e:c0de:1001::1c',
  server: '2a04:4e42::81',
  method: 'CONNECT',
  scheme: 'tcp',
  path: '/',
  query: null,
  contentType: null,
  referer: null,
  userAgent: null,
  outcome: 'tunnel',
  duration: 2035,
  csBytes: 1_830,
  scBytes: 27_462,
};

const denied: ProxyRequest = {
  ...get,
  host: 'login.microsoftonline.account-verify.example',
  server: null,
  path: '/abc/',
  query: null,
  status: 403,
  contentType: 'text/html;charset=utf-8',
  referer: 'https://outlook.office365.com/',
  outcome: 'denied',
  category: 'Phishing',
  scBytes: 3_900,
  csBytes: 760,
};

describe('Blue Coat ELFF lines', () => {
  it("write Spot's 27 fields then r-ip, quoting fields with spaces, '-' for none", () => {
    expect(bluecoatLine(get, HEAD_OFFICE)).toBe(
      '2026-11-24 09:30:05 184 10.10.0.33 david.costa CORP\\Finance - OBSERVED News https://www.nytimes.com/ 200 TCP_NC_MISS GET image/jpeg https www.nytimes.com 443 /images/hero-12.jpg ?v=1a2b3c jpg ' +
        '"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0" 172.16.10.5 48213 655 - - - 151.101.1.164',
    );
    expect(bluecoatLine(tunnel, HEAD_OFFICE)).toBe(
      '2026-11-24 09:30:05 2035 fd5e:1a7e:c0de:1001::1c david.costa CORP\\Finance - OBSERVED News - 200 TCP_TUNNELED CONNECT - tcp www.nytimes.com 443 / - - - 172.16.10.5 27462 1830 - - - 2a04:4e42::81',
    );
    expect(bluecoatLine(denied, HEAD_OFFICE)).toBe(
      '2026-11-24 09:30:05 184 10.10.0.33 david.costa CORP\\Finance policy_denied DENIED Phishing https://outlook.office365.com/ 403 TCP_DENIED GET text/html;charset=utf-8 https ' +
        'login.microsoftonline.account-verify.example 443 /abc/ - - "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0" 172.16.10.5 3900 760 - - - -',
    );
  });

  it('escape quotes and backslashes inside quoted fields', () => {
    expect(bluecoatLine({ ...get, userAgent: 'a "b" c\\d', category: 'Search Engines/Portals' }, HEAD_OFFICE)).toContain(' "Search Engines/Portals" ');
    expect(bluecoatLine({ ...get, userAgent: 'a "b" c\\d' }, HEAD_OFFICE)).toContain(' "a \\"b\\" c\\\\d" ');
  });

  it('open each file with the directives ProxySG writes', () => {
    expect(bluecoatHeader(END, HEAD_OFFICE)).toBe(
      '#Software: SGOS 7.3.16.2 (SWG Edition)\n#Version: 1.0\n#Start-Date: 2026-11-24 09:30:05\n#Date: 2026-11-24 09:30:05\n' +
        '#Fields: date time time-taken c-ip cs-username cs-auth-group x-exception-id sc-filter-result cs-categories cs(Referer) sc-status s-action cs-method rs(Content-Type) ' +
        'cs-uri-scheme cs-host cs-uri-port cs-uri-path cs-uri-query cs-uri-extension cs(User-Agent) s-ip sc-bytes cs-bytes x-virus-id x-bluecoat-application-name ' +
        'x-bluecoat-application-operation r-ip\n#Remark: 4901063225 "bluecoat-hq" "172.16.10.5" "main"\n',
    );
  });
});

describe('Squid native lines with log_mime_hdrs', () => {
  it('write time.ms, elapsed, client, action/code, size, method, URL, user, peer, type and the escaped headers', () => {
    expect(squidLine({ ...get, scheme: 'http', port: 80, referer: 'https://example.org/a%20b[1]' })).toBe(
      '1795512605.250    184 10.10.0.33 TCP_MISS/200 48213 GET http://www.nytimes.com/images/hero-12.jpg?v=1a2b3c - HIER_DIRECT/151.101.1.164 image/jpeg ' +
        '[Host: www.nytimes.com\\r\\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0\\r\\nAccept: */*\\r\\n' +
        'Referer: https://example.org/a%2520b%5B1%5D\\r\\n] [HTTP/1.1 200 OK\\r\\nContent-Type: image/jpeg\\r\\n]',
    );
  });

  it('log a tunnel as CONNECT host:port, a cache hit without a peer, and types without spaces', () => {
    expect(squidLine(tunnel)).toBe('1795512605.250   2035 fd5e:1a7e:c0de:1001::1c TCP_TUNNEL/200 27462 CONNECT www.nytimes.com:443 - HIER_DIRECT/2a04:4e42::81 - [] []');
    const hit = squidLine({ ...get, scheme: 'http', port: 8080, server: null, outcome: 'hit', contentType: 'text/html; charset=utf-8', userAgent: null, referer: null });
    expect(hit).toBe(
      '1795512605.250    184 10.10.0.33 TCP_HIT/200 48213 GET http://www.nytimes.com:8080/images/hero-12.jpg?v=1a2b3c - HIER_NONE/- text/html;charset=utf-8 ' +
        '[Host: www.nytimes.com\\r\\nAccept: */*\\r\\n] [HTTP/1.1 200 OK\\r\\nContent-Type: text/html; charset=utf-8\\r\\n]',
    );
    expect(BRANCH_OFFICE.format).toBe('squid');
  });
});
