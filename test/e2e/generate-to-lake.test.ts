import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/index.js';
import { openEngine } from '../../src/engine/index.js';
import { COLLECTOR_IDENT, generate, generateRecords, type FlowRecord } from '../../src/generate/index.js';
import { Ingestor } from '../../src/ingest/index.js';
import { hasTool } from '../helpers/shared-data.js';
import { tempDir } from '../helpers/tmp.js';

const tools = hasTool('nfcapd') && hasTool('nfdump');

describe.skipIf(!tools)('generator → nfcapd on loopback → nfdump → lake', () => {
  it('lands every flow that was sent, each field as generated', async () => {
    const dir = tempDir();
    const config = configSchema.parse({
      lake: { path: join(dir, 'lake') },
      generate: { date: '2026-11-24', workstations: 20, scale: 0.3, seed: 11 },
      ingest: { chunkRows: 5_000 },
    });
    const generated = await generate(config.generate, { outDir: join(dir, 'gen') });
    expect(generated.collector.sequenceFailures).toBe(0);
    expect(generated.collector.flows).toBe(generated.recordsSent);
    expect(generated.recordsSent).toBeGreaterThan(10_000);

    const ingestor = await Ingestor.open(config);
    const summary = await ingestor.ingest({ type: 'flow', paths: [join(dir, 'gen', 'nfcapd')] });
    await ingestor.close();
    expect(summary.rows).toBe(generated.recordsSent);
    expect(summary.quarantined).toBe(0);

    // The generator is deterministic: the same config gives the records that were sent.
    const sent: FlowRecord[] = [...generateRecords(config.generate, generated.days)];
    expect(sent.length).toBe(generated.recordsSent);
    const engine = await openEngine(config);
    try {
      const view = await engine.lakeView('flow');
      const [stats] = await engine.query<{ n: number; sensors: number; rip: string }>(`SELECT count(*) AS n, count(DISTINCT sensor) AS sensors, any_value(rip) AS rip FROM ${view}`);
      expect(stats).toEqual({ n: sent.length, sensors: 1, rip: '127.0.0.1' });
      const key = (r: { sip: unknown; dip: unknown; sport: unknown; dport: unknown; proto: unknown; tstart: number }) => `${r.sip}|${r.dip}|${r.sport}|${r.dport}|${r.proto}|${r.tstart}`;
      const lake = new Map<string, Record<string, unknown>>();
      for await (const batch of engine.stream(`SELECT * FROM ${view}`)) {
        for (const r of batch) lake.set(key({ sip: r.sip, dip: r.dip, sport: r.sport, dport: r.dport, proto: r.proto, tstart: (r.tstart as Date).getTime() }), r);
      }
      const sample = sent.filter((_, i) => i % 97 === 0 || sent[i]!.label !== null);
      expect(sample.length).toBeGreaterThan(500);
      for (const s of sample) {
        const row = lake.get(key(s));
        expect(row, `${s.sip} → ${s.dip}:${s.dport} at ${new Date(s.tstart).toISOString()}`).toBeDefined();
        expect(row).toMatchObject({
          tstart: new Date(s.tstart),
          tend: new Date(s.tend),
          proto: s.proto,
          flag: s.flag,
          stos: s.stos,
          dtos: s.dtos,
          ipkt: s.ipkt,
          ibyt: s.ibyt,
          input: s.input,
          output: s.output,
          sas: s.sas,
          das: s.das,
          dir: s.dir,
          fwd: s.fwd,
          opkt: 0,
          obyt: 0,
          sensor: COLLECTOR_IDENT,
        });
        expect(row!.tdur).toBeCloseTo((s.tend - s.tstart) / 1000, 6);
      }
      // Times are the simulated day's (nfcapd's receive time is the wall clock, by design).
      const [days] = await engine.query<{ first: Date; last: Date }>(`SELECT min(tstart) AS first, max(tstart) AS last FROM ${view}`);
      expect(days!.first.toISOString().slice(0, 10)).toBe('2026-11-24');
      expect(days!.last.getTime()).toBeLessThan(Date.UTC(2026, 10, 25, 0, 5));
    } finally {
      await engine.close();
    }
  });
});
