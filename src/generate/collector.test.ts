import { createSocket } from 'node:dgram';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasTool } from '../../test/helpers/shared-data.js';
import { tempDir } from '../../test/helpers/tmp.js';
import { NfcapdCollector, parseReport } from './collector.js';
import { LOOPBACK, udpSocketState } from './paced-sender.js';

describe('parseReport', () => {
  it("reads nfcapd's exit summary", () => {
    const log = "Startup nfcapd.\nIdent: 'spothreat-gen' Flows: 16252, Packets: 284031792, Bytes: 279832159145, Sequence Errors: 0, Bad Packets: 2\nTerminating nfcapd.\n";
    expect(parseReport(log)).toEqual({ flows: 16252, packets: 284031792, sequenceErrors: 0, badPackets: 2 });
    expect(parseReport('Startup nfcapd.\n')).toBeNull();
  });
});

describe.skipIf(!hasTool('nfcapd'))('NfcapdCollector (skipped without nfcapd: Debian package nfdump)', () => {
  it('listens on loopback once started and leaves a renamed, empty file when stopped', async () => {
    const outDir = tempDir();
    const collector = await NfcapdCollector.start({ nfcapd: 'nfcapd', port: 0, outDir });
    expect(await udpSocketState(collector.port)).toEqual({ queued: 0, drops: 0 });
    const stopped = await collector.stop();
    expect(stopped.files).toHaveLength(1);
    expect(readdirSync(outDir).filter((f) => f.startsWith('nfcapd.current'))).toEqual([]);
    expect(stopped.report).toEqual({ flows: 0, packets: 0, sequenceErrors: 0, badPackets: 0 });
  });

  it("reports nfcapd's own reason when it cannot bind the requested port", async () => {
    const busy = createSocket('udp4');
    await new Promise<void>((resolve) => busy.bind(0, LOOPBACK, resolve));
    const port = busy.address().port;
    await expect(NfcapdCollector.start({ nfcapd: 'nfcapd', port, outDir: tempDir() })).rejects.toThrow(/nfcapd exited at start-up .*Address already in use/s);
    await new Promise<void>((resolve) => busy.close(() => resolve()));
  });
});
