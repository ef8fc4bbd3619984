import { describe, expect, it } from 'vitest';
import { mimeMismatchDetector, mimeMismatchOptions } from './mime-mismatch.js';
import { at, detect, telemetry, withEngine } from './sql-fixtures.js';

const get = (clientip: string, host: string, uripath: string, resconttype: string | null, respcode: number, uriextension: string | null = null, t = at(10)) => ({
  clientip, host, uripath, fulluri: `${host}${uripath}`, resconttype, respcode, uriextension, ts: t, scbytes: 642_000, csbytes: 500, format: 'bluecoat',
});

describe('mime-mismatch', () => {
  it('flags programs served as pictures, pictures served as programs, and program downloads from hosts few clients use', () =>
    withEngine(async (e) => {
      const rows = [
        get('10.0.0.7', 'www.harbor.example', '/uploads/Invoice_0471.exe', 'image/jpeg', 200, 'exe'),
        get('10.0.0.7', 'www.harbor.example', '/img/header-bg.png', 'application/x-msdownload', 200, '-'),
        get('10.0.0.7', 'www.harbor.example', '/img/photo.jpg', 'application/octet-stream; charset=binary', 200),
        get('10.0.0.8', 'tools.example', '/setup.MSI', 'application/x-msi', 200),
        // An update four clients fetch: software distribution, not a lead (more than programMaxClients, 3).
        ...[1, 2, 3, 4].map((i) => get(`10.0.0.${i}`, 'update.example', '/agent.exe', 'application/x-msdownload', 200)),
        // A program two clients fetch from a rare host: 0.5 / 2.
        ...[5, 6].map((i) => get(`10.0.0.${i}`, 'rare.example', '/tool.exe', 'application/octet-stream', 200)),
        // Harmless: agreeing types, an error page for a missing program, a script served as script.
        get('10.0.0.7', 'www.harbor.example', '/', 'text/html; charset=UTF-8', 200),
        get('10.0.0.7', 'www.harbor.example', '/logo.png', 'image/png', 200),
        get('10.0.0.9', 'gone.example', '/tool.exe', 'text/html', 404),
        get('10.0.0.9', 'cdn.example', '/lib/jquery.min.js', 'application/javascript', 200),
      ];
      const view = await telemetry(e, 'proxy', rows);
      const found = await detect(e, mimeMismatchDetector, mimeMismatchOptions.parse({}), { proxy: view });
      expect(found.map((f) => [f.entity, f.peer, f.measures.verdict, f.score])).toEqual([
        ['10.0.0.7', 'www.harbor.example/img/header-bg.png', 'executable-disguised-as-image', 1],
        ['10.0.0.7', 'www.harbor.example/uploads/Invoice_0471.exe', 'executable-served-as-image', 1],
        ['10.0.0.8', 'tools.example/setup.MSI', 'program-download', 0.5],
        ['10.0.0.7', 'www.harbor.example/img/photo.jpg', 'binary-served-as-image', 0.3],
        ['10.0.0.5', 'rare.example/tool.exe', 'program-download', 0.25],
        ['10.0.0.6', 'rare.example/tool.exe', 'program-download', 0.25],
      ]);
      // Allowed four clients, the update is flagged too, at 0.5 / 4.
      const wider = await detect(e, mimeMismatchDetector, mimeMismatchOptions.parse({ programMaxClients: 4 }), { proxy: view });
      expect(wider.filter((f) => f.peer === 'update.example/agent.exe').map((f) => [f.entity, f.score])).toEqual([
        ['10.0.0.1', 0.125], ['10.0.0.2', 0.125], ['10.0.0.3', 0.125], ['10.0.0.4', 0.125],
      ]);
      expect(found[1]).toMatchObject({ detector: 'mime-mismatch', type: 'proxy', peer_kind: 'url', events: 1, window_start: at(10), window_end: at(10) });
      expect(found[1]!.measures).toEqual({ verdict: 'executable-served-as-image', extension: 'exe', content_type: 'image/jpeg', requests: 1, bytes: 642_000, clients: 1 });
      expect(found[1]!.explanation).toBe('10.0.0.7 downloaded www.harbor.example/uploads/Invoice_0471.exe (642 kB) with extension .exe served as image/jpeg: executable-served-as-image');
      expect(found[2]!.explanation).toBe('10.0.0.8 downloaded tools.example/setup.MSI (642 kB) a program or script, served as application/x-msi, from a host 1 client(s) use');
    }));

  it('leaves plain program downloads out when asked', () =>
    withEngine(async (e) => {
      const view = await telemetry(e, 'proxy', [get('10.0.0.8', 'tools.example', '/setup.msi', 'application/x-msi', 200), get('10.0.0.8', 'x.example', '/a.ps1', 'text/plain', 200)]);
      const found = await detect(e, mimeMismatchDetector, mimeMismatchOptions.parse({ programDownloads: false }), { proxy: view });
      expect(found.map((f) => f.measures.verdict)).toEqual(['script-served-as-text']);
    }));
});
