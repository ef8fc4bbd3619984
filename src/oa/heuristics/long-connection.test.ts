import { describe, expect, it } from 'vitest';
import { longConnectionDetector, longConnectionOptions } from './long-connection.js';
import { at, detect, hosts, telemetry, withEngine } from './sql-fixtures.js';

const flow = (sip: string, dip: string, t: Date, ibyt: number, more: Record<string, unknown> = {}) => ({
  sip, dip, sport: 50000, dport: 443, proto: 'TCP', ipkt: 5, ibyt, tstart: t, tend: new Date(t.getTime() + 1000), ...more,
});

describe('long-connection', () => {
  it('joins the records an exporter cut a session into and scores the time it stayed open', () =>
    withEngine(async (e) => {
      // A reverse shell held 5 h, exported every 30 minutes; overlapping records count once.
      const shell = Array.from({ length: 10 }, (_, i) => flow('10.0.0.5', '203.0.113.178', at(10, i * 30), 2000, { dport: 4444, tend: at(10, i * 30 + 30) }));
      const overlap = flow('10.0.0.5', '203.0.113.178', at(10, 10), 100, { dport: 4444, tend: at(10, 20) });
      // Two short sessions an hour apart: 20 minutes open in all.
      const short = [flow('10.0.0.6', '198.51.100.1', at(9), 10, { tend: at(9, 10) }), flow('10.0.0.6', '198.51.100.1', at(10), 10, { tend: at(10, 10) })];
      const rows = [...shell, overlap, ...short];
      const view = await telemetry(e, 'flow', rows);
      await hosts(e, rows.flatMap((r) => [r.sip, r.dip]));
      const found = await detect(e, longConnectionDetector, longConnectionOptions.parse({}), { flow: view });
      expect(found.map((f) => [f.entity, f.peer, f.score, f.events])).toEqual([['10.0.0.5', '203.0.113.178', Math.round((Math.log(5) / Math.log(8)) * 1000) / 1000, 11]]);
      expect(found[0]!.measures).toMatchObject({ open_s: 18000, longest_s: 18000, dport: 4444 });
      expect(found[0]!.explanation).toBe('10.0.0.5 kept TCP/4444 to 203.0.113.178 open for 5.0 h in 11 flow records (longest stretch 5.0 h)');
      expect(await detect(e, longConnectionDetector, longConnectionOptions.parse({ ignorePorts: [4444] }), { flow: view })).toEqual([]);
    }));
});
