import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasTool, missingShared, sharedFile } from '../../../test/helpers/shared-data.js';
import { decodeContext, sourceFile } from '../flow/testing.js';
import { readHead } from '../source.js';
import { pcapDnsDecoder } from './pcap-dns.js';
import { CollectingSink } from './testing.js';
import { tsharkDnsDecoder } from './tshark-dns.js';

/**
 * Every capture of the shared DNS data (SOURCES.md), with the DNS messages tshark finds in it and
 * the frames it cannot read. Both decoders must give these rows, field for field, at the same frames.
 */
const CAPTURES: Readonly<Record<string, { rows: number; rejectedFrames?: number[] }>> = {
  'ctu-stratosphere-slips/test-cc-capture-2.pcap': { rows: 495 },
  'ctu-stratosphere-slips/test7-malicious.pcap': { rows: 153 },
  'tunnels/dmachard-datasets-malicious-dns/dns2tcp.pcap': { rows: 26 },
  'tunnels/dmachard-datasets-malicious-dns/dnscat2.pcap': { rows: 24 },
  'tunnels/dmachard-datasets-malicious-dns/dnsextrator.pcap': { rows: 28 },
  'tunnels/dmachard-datasets-malicious-dns/iodine.pcap': { rows: 24 },
  'tunnels/dmachard-datasets-malicious-dns/sods.pcap': { rows: 986 },
  'tunnels/endpositive-dns-tunneling-benchmark/packets-dns2tcp-20240910-154930.pcap': { rows: 113 },
  // iodine's raw-UDP mode on port 53: 49 frames that are not DNS (tshark: malformed), rejected by both.
  'tunnels/endpositive-dns-tunneling-benchmark/packets-iodine-20240910-155333.pcap': {
    rows: 0,
    rejectedFrames: [8, 9, 10, 11, 12, 22, 26, 27, 35, 38, 66, 79, 86, 90, 93, 102, 115, 120, 121, 133, 134, 140, 151, 152, 166, 173, 175, 177, 181, 182, 183, 190, 191, 192, 196, 197, 198, 202, 203, 204, 208, 209, 210, 214, 215, 216, 220, 221, 222],
  },
  'zeek-traces/dns-binds.pcap': { rows: 2 },
  'zeek-traces/dns-caa.pcap': { rows: 2 },
  'zeek-traces/dns-corrupt.pcap': { rows: 2 },
  'zeek-traces/dns-edns-cookie.pcap': { rows: 4 },
  'zeek-traces/dns-edns-ecs.pcap': { rows: 85 },
  'zeek-traces/dns-https.pcap': { rows: 2 },
  'zeek-traces/dns-huge-ttl.pcap': { rows: 1 },
  // A name cut short (1, 3) and a pointer to itself (2): tshark shows the loop as "<Name contains a pointer that loops>".
  'zeek-traces/dns-invalid-names.pcap': { rows: 0, rejectedFrames: [1, 2, 3] },
  'zeek-traces/dns-inverse-query.pcap': { rows: 2 },
  'zeek-traces/dns-spf.pcap': { rows: 2 },
  'zeek-traces/dns-svcb.pcap': { rows: 2 },
  'zeek-traces/dns-tsig.pcap': { rows: 2 },
  'zeek-traces/dns-two-responses.pcap': { rows: 3 },
  'zeek-traces/dns-txt-multiple.pcap': { rows: 2 },
  'zeek-traces/dns-zero-RRs.pcap': { rows: 2 },
  'zeek-traces/dns_original_case.pcap': { rows: 1 },
  'zeek-traces/dynamic-update.pcap': { rows: 4 },
  'zeek-traces/ech.pcap': { rows: 4 },
  'zeek-traces/long-connection.pcap': { rows: 22 },
  'zeek-traces/mdns.pcap': { rows: 18 },
  'zeek-traces/naptr.pcap': { rows: 2 },
  'zeek-traces/nsec3.pcap': { rows: 2 },
  'zeek-traces/pcapng-multi-interface.pcapng': { rows: 6 },
  'zeek-traces/rrsig.pcap': { rows: 7 },
  'zeek-traces/tkey.pcap': { rows: 2 },
  'zeek-traces/wikipedia.pcap': { rows: 40 },
};

const DIR = 'dns';
const noTshark = !hasTool('tshark');

async function decode(decoder: typeof pcapDnsDecoder, path: string): Promise<CollectingSink> {
  const sink = new CollectingSink();
  await decoder.decode(sourceFile(path), sink, decodeContext());
  return sink;
}

// Concurrent: most of the time is tshark starting, once per capture.
describe.skipIf(missingShared(DIR))('pcap-dns against tshark on the shared captures', { concurrent: true }, () => {
  it('knows every capture there is', () => {
    const dir = sharedFile(DIR)!;
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(dir, f)).isFile());
    expect(files.sort()).toEqual(Object.keys(CAPTURES).sort());
  });

  for (const [file, expected] of Object.entries(CAPTURES)) {
    it.skipIf(noTshark)(`reads ${file} as tshark does`, async () => {
      const path = sharedFile(`${DIR}/${file}`)!;
      expect(pcapDnsDecoder.accepts(sourceFile(path), await readHead(path))).toBe(true);
      const native = await decode(pcapDnsDecoder, path);
      const reference = await decode(tsharkDnsDecoder, path);
      expect(native.rows.length).toBe(expected.rows);
      expect(native.rows).toEqual(reference.rows);
      expect(native.positions.map((p) => p.line)).toEqual(reference.positions.map((p) => p.line));
      const rejected = (sink: CollectingSink) => sink.rejects.map((r) => [r.line, r.reason]);
      expect(rejected(native)).toEqual((expected.rejectedFrames ?? []).map((f) => [f, 'bad-record']));
      expect(rejected(reference)).toEqual(rejected(native));
    });
  }
});
