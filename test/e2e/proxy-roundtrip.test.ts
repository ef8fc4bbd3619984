import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/index.js';
import { openEngine } from '../../src/engine/index.js';
import { generate, generateProxyRequests, proxyLabelMatcher, proxyRequestRow, readLabels, type ProxyRequestRow } from '../../src/generate/index.js';
import { Ingestor } from '../../src/ingest/index.js';
import { proxy } from '../../src/schema/index.js';
import { hasTool } from '../helpers/shared-data.js';
import { tempDir } from '../helpers/tmp.js';

const tools = hasTool('nfcapd') && hasTool('nfdump');

/** The source columns a generated line fills: the proxy table without derived columns and the ingest's own. */
const COLUMNS = Object.entries(proxy.columns)
  .filter(([name, spec]) => !('derived' in spec && spec.derived) && !['sensor', 'uid', 'label'].includes(name))
  .map(([name]) => name as keyof ProxyRequestRow);

const key = (row: Record<string, unknown>) => JSON.stringify(COLUMNS.map((c) => row[c] ?? null));

describe.skipIf(!tools)('generated proxy logs → Blue Coat and Squid decoders → lake', () => {
  it('holds every line the generator wrote, each field as intended, and the labelled attacks', async () => {
    const dir = tempDir();
    const config = configSchema.parse({
      lake: { path: join(dir, 'lake') },
      generate: { date: '2026-11-24', workstations: 12, scale: 0.3, seed: 5, dns: false },
    });
    const generated = await generate(config.generate, { outDir: join(dir, 'gen') });
    expect(generated.proxyFiles.filter((f) => f.includes('bluecoat-hq-')).length).toBe(24);
    expect(generated.proxyFiles.filter((f) => f.includes('squid-branch-')).length).toBeGreaterThan(10);

    const ingestor = await Ingestor.open(config);
    const summary = await ingestor.ingest({ type: 'proxy', paths: [join(dir, 'gen', 'proxy')] });
    await ingestor.close();
    expect(summary.quarantined).toBe(0);
    expect(new Set(summary.files.map((f) => f.decoder))).toEqual(new Set(['bluecoat', 'squid']));

    const logged = [...generateProxyRequests(config.generate, generated.days)];
    const intended = logged.map(({ sensor, request }) => proxyRequestRow(request, sensor.format));
    expect(intended.length).toBe(generated.proxyLines);
    expect(summary.rows).toBe(intended.length);

    const engine = await openEngine(config);
    try {
      const view = await engine.lakeView('proxy');
      const lake: Record<string, unknown>[] = [];
      for await (const batch of engine.stream(`SELECT * EXCLUDE (ts), epoch_us(ts) AS ts FROM ${view}`)) {
        for (const r of batch) lake.push(Object.fromEntries(COLUMNS.map((c) => [c, typeof r[c] === 'bigint' ? Number(r[c]) : r[c]])));
      }
      // Field for field, as multisets: the lake does not keep the log order.
      const want = intended.map(key).sort();
      const got = lake.map(key).sort();
      const missing = want.filter((k, i) => k !== got[i]).slice(0, 3);
      expect(missing, 'first rows that differ').toEqual([]);
      expect(got).toEqual(want);
      for (const format of ['bluecoat', 'squid']) expect(lake.filter((r) => r.format === format).length).toBeGreaterThan(1000);

      // Each web attack's rows in the lake are exactly those its label names (client, host, window).
      const labels = (await readLabels(generated.labelsPath)).filter((l) => l.hosts.length > 0);
      expect(labels.map((l) => l.name).sort()).toEqual(['beaconing', 'exfiltration', 'http-beaconing', 'mime-mismatch', 'phishing', 'upload-exfiltration']);
      const asRequest = (r: Record<string, unknown>) => ({ ts: (r.ts as number) / 1000, clientip: r.clientip as string, host: r.host as string });
      for (const l of labels) {
        const matches = proxyLabelMatcher(l);
        const found = lake.filter((r) => matches(asRequest(r))).map(key).sort();
        const own = logged.filter((q) => q.request.label === l.id).map(({ sensor, request }) => key(proxyRequestRow(request, sensor.format))).sort();
        expect(own.length, l.name).toBeGreaterThan(0);
        expect(found, l.name).toEqual(own);
      }
      // The branch office's download is in the Squid log.
      const mime = labels.find((l) => l.name === 'mime-mismatch')!;
      expect(new Set(lake.filter((r) => proxyLabelMatcher(mime)(asRequest(r))).map((r) => r.format))).toEqual(new Set(['squid']));
    } finally {
      await engine.close();
    }
  });
});
