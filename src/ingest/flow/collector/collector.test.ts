import { createSocket } from 'node:dgram';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasTool } from '../../../../test/helpers/shared-data.js';
import { tempDir } from '../../../../test/helpers/tmp.js';
import { FlowCollector, parseReport } from './collector.js';
import { LOOPBACK, udpSocketState } from './paced-sender.js';

describe('parseReport', () => {
  it("reads nfcapd's exit summary", () => {
    const log = "Startup nfcapd.\nIdent: 'spothreat-gen' Flows: 16252, Packets: 284031792, Bytes: 279832159145, Sequence Errors: 0, Bad Packets: 2\nTerminating nfcapd.\n";
    expect(parseReport(log)).toEqual({ flows: 16252, packets: 284031792, sequenceErrors: 0, badPackets: 2 });
    expect(parseReport('Startup nfcapd.\n')).toBeNull();
  });
});

describe.skipIf(!hasTool('nfcapd'))('FlowCollector (skipped without nfcapd: Debian package nfdump)', () => {
  it('listens on loopback once started and leaves a renamed, empty file when stopped', async () => {
    const outDir = tempDir();
    const collector = await FlowCollector.start({ binary: 'nfcapd', port: 0, outDir, configKey: 'test' });
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
    await expect(FlowCollector.start({ binary: 'nfcapd', port, outDir: tempDir(), configKey: 'test' })).rejects.toThrow(/nfcapd exited at start-up .*Address already in use/s);
    await new Promise<void>((resolve) => busy.close(() => resolve()));
  });
});

describe.skipIf(!hasTool('sfcapd'))('FlowCollector with sfcapd (skipped without sfcapd: Debian package nfdump-sflow)', () => {
  it('starts sfcapd the same way, repeats what it receives, and counts what is no sFlow as a bad packet', async () => {
    const echo = createSocket('udp4');
    await new Promise<void>((resolve) => echo.bind(0, LOOPBACK, resolve));
    const echoed = new Promise<Buffer>((resolve) => echo.once('message', resolve));
    const collector = await FlowCollector.start({ binary: 'sfcapd', kind: 'sfcapd', port: 0, outDir: tempDir(), configKey: 'test', repeatPort: echo.address().port });
    const sender = createSocket('udp4');
    await new Promise<void>((resolve) => sender.send(Buffer.of(1), collector.port, LOOPBACK, () => resolve()));
    expect(await echoed).toEqual(Buffer.of(1));
    const stopped = await collector.stop();
    expect(stopped.report).toEqual({ flows: 0, packets: 0, sequenceErrors: 0, badPackets: 1 });
    sender.close();
    echo.close();
  });

  it('names the Debian package when the collector is missing', async () => {
    await expect(FlowCollector.start({ binary: 'no-such-sfcapd', kind: 'sfcapd', port: 0, outDir: tempDir(), configKey: 'ingest.decoders.flowExport.sfcapd' })).rejects.toThrow(
      'ingest.decoders.flowExport.sfcapd: no-such-sfcapd not found (Debian: apt-get install nfdump-sflow)',
    );
  });
});
