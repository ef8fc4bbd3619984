import { describe, expect, it } from 'vitest';
import { newUriParts, splitTarget, uriExtension, type UriParts } from './uri.js';
import { fieldProblem } from '../../shared/testing.js';

function split(target: string, connect = false): UriParts {
  const parts = newUriParts();
  splitTarget('URL', target, connect, parts);
  return { ...parts };
}


describe('splitTarget', () => {
  it('cuts absolute URLs, with the default port when none is named', () => {
    expect(split('http://www.goonernews.com/styles.css')).toEqual({ scheme: 'http', host: 'www.goonernews.com', port: 80, path: '/styles.css', query: null });
    expect(split('HTTPS://Example.com:8443/a/b.php?x=1&y=2')).toEqual({ scheme: 'https', host: 'Example.com', port: 8443, path: '/a/b.php', query: '?x=1&y=2' });
    expect(split('http://as.casalemedia.com/s?')).toEqual({ scheme: 'http', host: 'as.casalemedia.com', port: 80, path: '/s', query: '?' });
    expect(split('http://host?q')).toEqual({ scheme: 'http', host: 'host', port: 80, path: null, query: '?q' });
    expect(split('ftp://user:secret@files.example.org/pub/x.iso')).toEqual({ scheme: 'ftp', host: 'files.example.org', port: 21, path: '/pub/x.iso', query: null });
    expect(split('gopher://old.example/1')).toEqual({ scheme: 'gopher', host: 'old.example', port: null, path: '/1', query: null });
    expect(split('http://[2001:DB8::1]:8080/x')).toEqual({ scheme: 'http', host: '2001:db8::1', port: 8080, path: '/x', query: null });
  });

  it('reads CONNECT targets as host and port of a tunnel', () => {
    expect(split('login.yahoo.com:443', true)).toEqual({ scheme: 'tcp', host: 'login.yahoo.com', port: 443, path: null, query: null });
    expect(split('[2001:db8::1]:443', true)).toEqual({ scheme: 'tcp', host: '2001:db8::1', port: 443, path: null, query: null });
    expect(split('2001:db8::1', true)).toEqual({ scheme: 'tcp', host: '2001:db8::1', port: null, path: null, query: null });
    // host:port without the method logged is still an authority, not a tunnel for sure.
    expect(split('mail.example.com:993')).toEqual({ scheme: null, host: 'mail.example.com', port: 993, path: null, query: null });
  });

  it('reads paths, and names no host for anything else', () => {
    expect(split('/sc.13.1?cache=70ebbd')).toEqual({ scheme: null, host: null, port: null, path: '/sc.13.1', query: '?cache=70ebbd' });
    expect(split('error:invalid-request')).toEqual({ scheme: null, host: null, port: null, path: null, query: null });
    expect(split('http:///no-host')).toEqual({ scheme: 'http', host: null, port: 80, path: '/no-host', query: null });
  });

  it('rejects ports and brackets that are not', () => {
    expect(fieldProblem(() => split('http://host:99999/'))).toEqual(['out-of-range', 'URL "99999" is outside 0-65535']);
    expect(fieldProblem(() => split('http://host:8o/'))).toEqual(['bad-field', 'URL "8o" is not a port']);
    expect(fieldProblem(() => split('http://[::1/'))).toEqual(['bad-field', 'URL "[::1": unclosed "[" around an IPv6 address']);
    expect(fieldProblem(() => split('[zz::1]:443', true))).toEqual(['bad-field', 'URL "[zz::1]:443": not an IPv6 address between "[" and "]"']);
  });
});

describe('uriExtension', () => {
  it('is the extension of the last segment, without path parameters', () => {
    expect(uriExtension('/connecttest.txt')).toBe('txt');
    expect(uriExtension('/a.b/c')).toBeNull();
    expect(uriExtension('/dl/file.tar.gz')).toBe('gz');
    expect(uriExtension('/app/page.jsp;jsessionid=ABC.1')).toBe('jsp');
    expect(uriExtension('/dir/')).toBeNull();
    expect(uriExtension('/file.')).toBeNull();
    expect(uriExtension('/.htaccess')).toBe('htaccess');
    expect(uriExtension(null)).toBeNull();
  });
});
