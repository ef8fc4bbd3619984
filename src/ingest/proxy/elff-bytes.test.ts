import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingShared, sharedFile } from '../../../test/helpers/shared-data.js';
import { tempDir } from '../../../test/helpers/tmp.js';
import { generateConfig } from '../../generate/config.js';
import { Prng } from '../../generate/prng.js';
import { writeProxyLogs } from '../../generate/proxy/proxy-log.js';
import { bluecoatDecoder } from './bluecoat.js';
import { W3cClock } from './clock.js';
import { ElffBytes } from './elff-bytes.js';
import { elffLayout } from './elff-layout.js';
import { decodeProxy, writeLog, type ProxySink } from './testing.js';
import { w3cDecoder } from './w3c.js';

/** The same file through the byte lane (as ingest reads it) and through the text decoder alone: the rows must not differ. */
async function bothWays(path: string, decoder = bluecoatDecoder, ingest: Record<string, unknown> = {}): Promise<ProxySink> {
  const fast = await decodeProxy(decoder, path, ingest, true);
  const text = await decodeProxy(decoder, path, ingest, false);
  expect(text.batchedLines).toEqual([]);
  expect(fast.rows).toEqual(text.rows);
  expect(fast.lines).toEqual(text.lines);
  expect(fast.rejects).toEqual(text.rejects);
  return fast;
}

const FIELDS =
  '#Fields: date time time-taken c-ip cs-username cs-auth-group x-exception-id sc-filter-result cs-categories cs(Referer) sc-status s-action cs-method rs(Content-Type) cs-uri-scheme cs-host cs-uri-port cs-uri-path cs-uri-query cs-uri-extension cs(User-Agent) s-ip sc-bytes cs-bytes x-virus-id';
/** A line of FIELDS with some fields replaced. */
function line(changes: Record<number, string> = {}, time = '10:00:00'): string {
  const fields = ['2024-05-01', time, '15', '10.0.0.5', 'alice', '-', '-', 'OBSERVED', '"News;Media"', 'http://ref.example/', '200', 'TCP_MISS', 'GET', 'text/html', 'http', 'example.com', '80', '/a/index.html', '?q=1', 'html', '"Mozilla/5.0 (X11; Linux x86_64)"', '93.184.216.34', '512', '128', '-'];
  for (const [i, v] of Object.entries(changes)) fields[Number(i)] = v;
  return fields.join(' ');
}

describe('the ELFF byte lane', () => {
  it('takes the plain lines and leaves every other line to the text decoder, with the same rows either way', async () => {
    const dir = tempDir();
    const lines = [
      '#Software: SGOS 7.3.1.1',
      FIELDS,
      line(), // 3: taken
      line({ 3: '2001:DB8::5' }), // 4: an address to write in canonical form
      line({ 3: '2001:db8::5' }), // 5: taken, canonical already
      line({ 15: 'example.com:8080' }), // 6: a host with its port
      line({ 18: 'q=1' }), // 7: a query without its "?"
      line({ 20: '"Agent \\"quoted\\" v1"' }), // 8: an escape inside quotes
      line({ 20: 'a"b c"d' }), // 9: quoted parts joined to a bare one
      line({ 17: '/caf\u00e9' }), // 10: not ASCII
      line({}, '10:00:01.250'), // 11: a fraction of a second
      line({ 0: '-' }), // 12: no date: rejected
      line({ 22: '1234567890123456' }), // 13: too many digits for the lane
      line({ 16: '70000' }), // 14: a port out of range: rejected
      `${line()}\r`, // 15: CRLF, taken
      line({ 4: '"-"', 9: '""' }), // 16: quoted "-" and "" are null, taken
      line({ 2: '1.5' }), // 17: time-taken in seconds
      line({ 21: 'fe80::1%eth0' }), // 18: not an address: s-ip left null by the text decoder
      line({ 23: '-12' }), // 19: a negative count: rejected
      `${line()} extra`, // 20: a field too many: rejected
      line().replace(' ', '\t'), // 21: a tab between fields
      line({}, '10:01:00'), // 22: taken, the next minute
      line({ 0: '2024-13-01' }), // 23: no such month: rejected
      '   ', // 24: blank
      line({ 3: '::ffff:10.0.0.1' }), // 25: an IPv4-mapped address, canonical as written
    ];
    const sink = await bothWays(writeLog(dir, 'lane.log', lines));
    expect(sink.batchedLines.sort((a, b) => a - b)).toEqual([3, 5, 15, 16, 22, 25]);
    expect(sink.rejects.map((r) => [r.line, r.reason])).toEqual([
      [12, 'missing-field'],
      [14, 'out-of-range'],
      [19, 'out-of-range'],
      [20, 'wrong-field-count'],
      [23, 'bad-timestamp'],
    ]);
    expect(sink.rowAt(16)).toMatchObject({ username: null, referer: null, useragent: 'Mozilla/5.0 (X11; Linux x86_64)', webcat: 'News;Media' });
    expect(sink.rowAt(22).ts - sink.rowAt(3).ts).toBe(60_000_000);
  });

  it('follows the layout: a header the lane cannot read turns it off until the next one', async () => {
    const dir = tempDir();
    // A whole cs-uri is split by the text decoder; without cs-uri-extension the lane derives the extension itself.
    const derived = FIELDS.replace(' cs-uri-extension', '');
    const noExt = (l: string) => l.split(' ').filter((_, i) => i !== 19).join(' ');
    const lines = [FIELDS, line(), '#Fields: date time c-ip cs-method cs-uri sc-status', '2024-05-01 10:00:02 10.0.0.6 GET http://example.net/dl/f.tar.gz?x=1 404', derived, noExt(line({ 17: '/b/archive.tar.GZ;jsessionid=1' }, '11:00:00')), noExt(line({ 17: '/b/' }, '11:00:01'))];
    const sink = await bothWays(writeLog(dir, 'switch.log.gz', lines));
    expect(sink.batchedLines.sort((a, b) => a - b)).toEqual([2, 6, 7]);
    expect([sink.rowAt(4).uriextension, sink.rowAt(6).uriextension, sink.rowAt(7).uriextension]).toEqual(['gz', 'GZ', null]);
  });

  it('reads in the configured time zone as the text decoder does, across a daylight-saving change', async () => {
    const dir = tempDir();
    const lines = [FIELDS, line({ 0: '2024-03-31' }, '01:59:59'), line({ 0: '2024-03-31' }, '03:00:00'), line({ 0: '2024-03-31' }, '03:00:01')];
    const sink = await bothWays(writeLog(dir, 'paris.log', lines), bluecoatDecoder, { decoders: { proxy: { timeZone: 'Europe/Paris' } } });
    expect(sink.batchedLines).toHaveLength(3);
    expect(sink.rows.map((r) => r.ts)).toEqual([Date.UTC(2024, 2, 31, 0, 59, 59) * 1000, Date.UTC(2024, 2, 31, 1, 0, 0) * 1000, Date.UTC(2024, 2, 31, 1, 0, 1) * 1000]);
  });

  it('decodes thousands of mutated lines as the text decoder does', async () => {
    const dir = tempDir();
    const rng = Prng.fromSeed(11);
    // Bytes that change how a line is read: separators, quotes, escapes, null marks, digits, address and port marks, non-ASCII.
    const pieces = [' ', '  ', '\t', '"', '\\', '-', '""', '0', '9', '99999999999999999', ':', '[', ']', '.', '?', '/', '%', 'é', '\u0000', '\u001f', '\r', '::1', '2001:DB8::1', '10.0.0.256'];
    const lines = [FIELDS];
    for (let i = 0; i < 3000; i++) {
      let text = line({}, `10:${String(i % 60).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}`);
      for (let m = rng.int(0, 3); m > 0; m--) {
        const at = rng.int(0, text.length);
        const piece = rng.pick(pieces);
        text = rng.chance(0.3) ? text.slice(0, at) + piece + text.slice(at + 1) : text.slice(0, at) + piece + text.slice(at);
      }
      lines.push(text.replaceAll('\n', ''));
    }
    const sink = await bothWays(writeLog(dir, 'mutated.log', lines));
    // Both kinds of line were met: the lane took some, the text decoder kept or quarantined the rest.
    expect(sink.batchedLines.length).toBeGreaterThan(500);
    expect(sink.batchedLines.length).toBeLessThan(sink.rows.length);
    expect(sink.rejects.length).toBeGreaterThan(100);
  });

  it('is off when the sensor name holds a control character, which a joined text cannot carry', () => {
    const taken: number[] = [];
    const plain = Buffer.from(line());
    for (const sensor of ['hq', 'h\u001fq']) {
      const lane = new ElffBytes((_c, rows) => taken.push(rows), new W3cClock('UTC'), () => elffLayout(FIELDS.slice('#Fields: '.length).split(' '), 'test'), 'bluecoat', sensor);
      expect([sensor, lane.line(plain, 0, plain.length, 1)]).toEqual([sensor, sensor === 'hq']);
      lane.flush();
    }
    expect(taken).toEqual([1]);
  });

  it('is off for IIS logs, whose s-ip and "+" mean other things', async () => {
    const dir = tempDir();
    const lines = ['#Software: Microsoft Internet Information Services 10.0', '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port c-ip cs(User-Agent) sc-status time-taken', '2024-05-01 10:00:00 10.0.0.1 GET /a.aspx - 443 10.0.0.9 Mozilla/5.0+(Windows+NT+10.0) 200 12'];
    const sink = await bothWays(writeLog(dir, 'iis.log', lines), w3cDecoder);
    expect(sink.batchedLines).toEqual([]);
    expect(sink.rows).toHaveLength(1);
  });

  it('decodes a generated day of Blue Coat logs, nearly every line from its bytes', async () => {
    const dir = tempDir();
    writeProxyLogs(generateConfig.parse({ workstations: 30, scale: 0.3, date: '2026-11-24' }), dir);
    const files = readdirSync(dir).filter((f) => f.startsWith('bluecoat-'));
    expect(files.length).toBe(24);
    let rows = 0;
    let batched = 0;
    for (const f of files.slice(8, 14)) {
      const sink = await bothWays(join(dir, f));
      expect(sink.rejects).toEqual([]);
      rows += sink.rows.length;
      batched += sink.batchedLines.length;
    }
    expect(rows).toBeGreaterThan(1000);
    expect(batched / rows).toBeGreaterThan(0.95);
  });

  for (const name of ['proxy-onprem.log', 'test-proxy-bcreportermainv1.log']) {
    const path = `proxy/bluecoat-elff/elastic-integrations/${name}`;
    it.skipIf(missingShared(path))(`reads the shared ${name} the same either way`, async () => {
      const sink = await bothWays(sharedFile(path)!);
      expect(sink.rows.length).toBeGreaterThan(0);
      expect(sink.batchedLines.length).toBeGreaterThan(0);
    });
  }
});
