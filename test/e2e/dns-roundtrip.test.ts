import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/index.js';
import { openEngine } from '../../src/engine/index.js';
import { generate, generateDnsMessages } from '../../src/generate/index.js';
import { Ingestor } from '../../src/ingest/index.js';
import { hasTool } from '../helpers/shared-data.js';
import { tempDir } from '../helpers/tmp.js';

const tools = hasTool('nfcapd') && hasTool('nfdump');

describe.skipIf(!tools)('generated DNS capture → native decoder → lake', () => {
  it('holds every message the generator wrote, each field as intended', async () => {
    const dir = tempDir();
    const config = configSchema.parse({
      lake: { path: join(dir, 'lake') },
      generate: { date: '2026-11-24', workstations: 12, scale: 0.3, seed: 5 },
    });
    const generated = await generate(config.generate, { outDir: join(dir, 'gen') });
    expect(generated.dnsFiles.length).toBeGreaterThan(10);

    const ingestor = await Ingestor.open(config);
    const summary = await ingestor.ingest({ type: 'dns', paths: [join(dir, 'gen', 'dns')] });
    await ingestor.close();
    expect(summary.quarantined).toBe(0);
    expect(summary.files.every((f) => f.decoder === 'pcap-dns')).toBe(true);

    const intended = [...generateDnsMessages(config.generate, generated.days)];
    expect(summary.rows).toBe(intended.length);
    expect(intended.length).toBe(generated.dnsMessages);

    const engine = await openEngine(config);
    try {
      const view = await engine.lakeView('dns');
      const key = (r: { frame_time: number; ip_src: unknown; sport: unknown; dns_id: unknown; dns_qr: unknown }) => `${r.frame_time}|${r.ip_src}|${r.sport}|${r.dns_id}|${r.dns_qr}`;
      const lake = new Map<string, Record<string, unknown>>();
      for await (const batch of engine.stream(`SELECT *, epoch_us(frame_time) AS us FROM ${view}`)) {
        for (const r of batch) lake.set(key({ frame_time: r.us as number, ip_src: r.ip_src, sport: r.sport, dns_id: r.dns_id, dns_qr: r.dns_qr }), r);
      }
      expect(lake.size).toBe(intended.length);
      for (const m of intended) {
        const row = lake.get(key(m));
        expect(row, `${m.ip_src}:${m.sport} id ${m.dns_id} at ${m.frame_time}`).toBeDefined();
        const { frame_time: _t, ...fields } = m;
        expect(row).toMatchObject({ ...fields, frame_time: new Date(Math.floor(m.frame_time / 1000)) });
      }
    } finally {
      await engine.close();
    }
  });
});
