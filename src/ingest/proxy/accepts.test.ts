import { describe, expect, it } from 'vitest';
import { missingShared, sharedFile } from '../../../test/helpers/shared-data.js';
import { tempDir } from '../../../test/helpers/tmp.js';
import { SPOT_FIELDS } from './bluecoat-layouts.js';
import { PROXY_DECODERS } from './index.js';
import { acceptsFile, IIS_LOG, writeLog } from './testing.js';

/** The names of the proxy decoders that recognise a file. */
async function acceptedBy(path: string): Promise<string[]> {
  const names: string[] = [];
  for (const d of PROXY_DECODERS) if (await acceptsFile(d, path)) names.push(d.name);
  return names;
}

const SHARED: Readonly<Record<string, string[]>> = {
  'proxy/squid/elastic-integrations/squid-log-access.log': ['squid'],
  'proxy/bluecoat-elff/elastic-integrations/proxy-onprem.log': ['bluecoat'],
  'proxy/bluecoat-elff/elastic-integrations/test-proxy-bcreportermainv1.log': ['bluecoat'],
  'proxy/zeek-http/rita/proxy/http.log': ['zeek-http'],
  'proxy/zeek-http/rita/json_with_all_fields/http.log': ['zeek-http'],
  'proxy/zeek-http/stratosphere-sdft/008-zeek-mixed/http.log.labeled': ['zeek-http'],
  'proxy/zeek-http/stratosphere-slips/test9-mixed-zeek-dir/http.log': ['zeek-http'],
  // Other telemetry: no proxy decoder takes it.
  'flows/zeek-conn/rita/proxy/conn.log': [],
  'flows/zeek-conn/rita/json_with_all_fields/conn.log': [],
  'flows/argus-binetflow/netflowlabeler/test.binetflow': [],
};

const spotLine = ['2024-07-01', '08:30:00', '250', '192.168.1.20', 'bob', '-', '-', 'PROXIED', '"News"', '-', '200', 'TCP_HIT', 'GET', 'text/html', 'http', 'news.example', '80', '/', '-', '-', '"UA x"', '10.9.9.9', '1', '2', '-', '-', '-'];

const BUILT: Readonly<Record<string, { name: string; content: readonly string[] | string | Buffer; by: string[] }>> = {
  'squid native, gzip': { name: 'access.log.gz', content: ['1700000000.123     45 10.1.1.1 TCP_MISS/200 1234 GET http://example.com/ - HIER_DIRECT/93.184.216.34 text/html'], by: ['squid'] },
  'squid common': { name: 'common.log', content: ['10.1.1.3 - bob [14/Nov/2023:22:13:20 +0100] "GET http://example.org/a.css HTTP/1.1" 200 5120 TCP_MEM_HIT:HIER_NONE'], by: ['squid'] },
  'squid combined CONNECT': { name: 'combined.log', content: ['::1 - - [14/Nov/2023:22:13:22 +0000] "CONNECT mail.example.com:993 HTTP/1.1" 200 4000 "-" "-" TCP_TUNNEL:HIER_DIRECT'], by: ['squid'] },
  'Apache httpd access log (a web server, not a proxy)': { name: 'apache.log', content: ['10.1.1.3 - - [14/Nov/2023:22:13:20 +0100] "GET /index.html HTTP/1.1" 200 5120 "-" "curl/8"'], by: [] },
  'IIS W3C': { name: 'u_ex.log', content: IIS_LOG, by: ['w3c'] },
  'Blue Coat headerless, Spot order': { name: 'sg.log', content: [spotLine.join(' ')], by: ['bluecoat'] },
  'Blue Coat #Fields without #Software': {
    name: 'sg2.log.gz',
    content: ['#Fields: date time c-ip cs-host s-action sc-filter-result', '2024-01-01 00:00:00 10.0.0.1 a.example TCP_HIT OBSERVED'],
    by: ['bluecoat'],
  },
  'nfdump CSV': { name: 'flows.csv', content: ['ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt', '2024-01-01 00:00:00,2024-01-01 00:00:01,1.0,10.0.0.1,10.0.0.2,1,2,TCP,......,0,0,1,60'], by: [] },
  'a 26-field headerless line': { name: 'short.log', content: [spotLine.slice(0, 26).join(' ')], by: [] },
  'an empty file': { name: 'empty.log', content: '', by: [] },
  'a pcap': { name: 'x.pcap', content: Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex'), by: [] },
};

describe('each proxy decoder recognises its own format and no other', () => {
  for (const [rel, by] of Object.entries(SHARED)) {
    it.skipIf(missingShared(rel))(rel, async () => {
      expect(await acceptedBy(sharedFile(rel)!)).toEqual(by);
    });
  }

  it('on built files', async () => {
    const dir = tempDir();
    for (const [what, f] of Object.entries(BUILT)) expect(await acceptedBy(writeLog(dir, f.name, f.content)), what).toEqual(f.by);
    expect(spotLine.length).toBe(SPOT_FIELDS.length);
  });
});
