import { describe, expect, it } from 'vitest';
import { strobeDetector, strobeOptions } from './strobe.js';
import { at, detect, hosts, telemetry, withEngine } from './sql-fixtures.js';

const flow = (sip: string, dip: string, t: Date, ibyt: number, more: Record<string, unknown> = {}) => ({
  sip, dip, sport: 50000, dport: 443, proto: 'TCP', ipkt: 5, ibyt, tstart: t, tend: new Date(t.getTime() + 1000), ...more,
});

describe('strobe', () => {
  it('reports pairs with a connection a second or more, scaled to the window', () =>
    withEngine(async (e) => {
      const rows = Array.from({ length: 400 }, (_, i) => flow('10.0.0.5', '203.0.113.1', at(3, 0, i), 60));
      const view = await telemetry(e, 'flow', rows);
      await hosts(e, ['10.0.0.5', '203.0.113.1']);
      // 360 a day, the window is a day: 400 connections score 0.5 + 0.5·log10(400/360).
      const found = await detect(e, strobeDetector, strobeOptions.parse({ perDay: 360 }), { flow: view });
      expect(found.map((f) => [f.entity, f.peer, f.score, f.events])).toEqual([['10.0.0.5', '203.0.113.1', Math.round((0.5 + 0.5 * Math.log10(400 / 360)) * 1000) / 1000, 400]]);
      expect(await detect(e, strobeDetector, strobeOptions.parse({}), { flow: view })).toEqual([]);
    }));
});
