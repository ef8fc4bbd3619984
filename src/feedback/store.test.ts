import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/tmp.js';
import { Feedback } from './feedback.js';
import { MIGRATIONS } from './migrations.js';
import { FeedbackStore } from './store.js';
import { changeItems, changes, ratings, rules } from './tables.js';

const newStore = () => new Feedback(new FeedbackStore(join(tempDir(), '_state', 'feedback.duckdb')));
const flow = (spec: Record<string, unknown>, rating: 1 | 2 | 3 = 3, day = '2026-03-02') => ({ type: 'flow' as const, day, rating, spec, analyst: 'ann' });

describe('feedback store', () => {
  it('migrates once, in order, to tables with the columns of their definitions', async () => {
    const f = newStore();
    await f.ratings();
    await f.ratings();
    const { versions, columns } = await f.store.transaction(async (tx) => ({
      versions: await tx.query('SELECT version, description FROM schema_version ORDER BY version'),
      columns: await tx.query<{ table_name: string; column_name: string }>(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_name IN ('ratings', 'rules', 'changes', 'change_items') ORDER BY table_name, ordinal_position",
      ),
    }));
    expect(versions).toEqual(MIGRATIONS.map((m) => ({ version: m.version, description: m.description })));
    for (const t of [ratings, rules, changes, changeItems]) expect(columns.filter((c) => c.table_name === t.name).map((c) => c.column_name)).toEqual(t.columnNames);
  });

  it('keeps one rating per spec and day, re-rating replaces it, and each write is a change', async () => {
    const f = newStore();
    const a = await f.rate(flow({ sip: '10.0.0.5', dip: '10.0.9.9', dport: '22' }));
    const b = await f.rate(flow({ dport: 22, dip: '10.0.9.9', sip: '10.0.0.5' }, 1));
    const c = await f.rate(flow({ sip: '10.0.0.5', dip: '10.0.9.9', dport: 22 }, 3, '2026-03-03'));
    expect([a.rating.id, b.rating.id, c.rating.id, b.replaced]).toEqual([1, 1, 2, true]);
    const all = await f.ratings();
    expect(all.map((r) => [r.id, r.day, r.rating, r.sip, r.dip, r.dport, r.sport])).toEqual([
      [1, '2026-03-02', 1, '10.0.0.5', '10.0.9.9', 22, null],
      [2, '2026-03-03', 3, '10.0.0.5', '10.0.9.9', 22, null],
    ]);
    expect((await f.changes()).map((ch) => [ch.id, ch.action, ch.summary])).toEqual([
      [3, 'rate', 'rate flow 2026-03-03 sip=10.0.0.5 dip=10.0.9.9 dport=22 as 3'],
      [2, 'rate', 're-rate flow 2026-03-02 sip=10.0.0.5 dip=10.0.9.9 dport=22 as 1'],
      [1, 'rate', 'rate flow 2026-03-02 sip=10.0.0.5 dip=10.0.9.9 dport=22 as 3'],
    ]);
  });

  it('refuses bad ratings with the reason', async () => {
    const f = newStore();
    await expect(f.rate(flow({ client: '10.0.0.5' }))).rejects.toThrow('a flow rating matches on sip, dip, sport, dport, proto; not on client');
    await expect(f.rate(flow({}))).rejects.toThrow('a flow rating needs at least one of sip, dip, sport, dport, proto');
    await expect(f.rate(flow({ sip: '10.0.0.300' }))).rejects.toThrow('sip "10.0.0.300" is not an IP address');
    await expect(f.rate({ ...flow({ sip: '10.0.0.5' }), day: '2026-02-30' })).rejects.toThrow('"2026-02-30" is not a day (YYYY-MM-DD)');
    await expect(f.rate({ type: 'dns', day: '2026-03-02', rating: 3, spec: { domain: 'www.example.co.uk' }, analyst: 'ann' })).rejects.toThrow(
      'domain "www.example.co.uk" is not a registered domain (that is example.co.uk)',
    );
    expect(await f.ratings()).toEqual([]);
  });

  it('undo restores: the last change, a given one, a reset as a whole, and refuses to skip a later change', async () => {
    const f = newStore();
    await f.rate(flow({ sip: '10.0.0.5' }, 3)); // change 1, rating 1
    await f.rate(flow({ sip: '10.0.0.5' }, 1)); // change 2 re-rates rating 1
    await f.rate(flow({ dip: '10.0.0.7' }, 2)); // change 3, rating 2
    const snapshot = await f.ratings();
    expect((await f.reset('flow', '2026-03-02', 'bob')).removed).toBe(2); // change 4
    expect(await f.ratings()).toEqual([]);
    expect(await f.undo('bob')).toEqual({ undo: 5, reverted: 4, items: 2 });
    expect(await f.ratings()).toEqual(snapshot);
    await expect(f.undo('bob', 1)).rejects.toThrow('change 1 cannot be undone: change 2 changed rating 1 since; undo it first');
    expect(await f.undo('bob', 2)).toEqual({ undo: 6, reverted: 2, items: 1 });
    expect((await f.ratings()).map((r) => [r.id, r.rating])).toEqual([[1, 3], [2, 2]]);
    await expect(f.undo('bob', 2)).rejects.toThrow('change 2 was already undone by change 6');
    // Undoing an undo redoes.
    await f.undo('bob', 6);
    expect((await f.ratings()).map((r) => [r.id, r.rating])).toEqual([[1, 1], [2, 2]]);
    expect((await f.changes()).map((c) => [c.id, c.action, c.undoes, c.undone_by])).toEqual([
      [7, 'undo', 6, null],
      [6, 'undo', 2, 7],
      [5, 'undo', 4, null],
      [4, 'reset', null, 5],
      [3, 'rate', null, null],
      [2, 'rate', null, 6],
      [1, 'rate', null, null],
    ]);
  });

  it('writes nothing of a transaction that fails', async () => {
    const f = newStore();
    await f.rate(flow({ sip: '10.0.0.5' }));
    await expect(
      f.store.transaction(async (tx) => {
        await tx.run("INSERT INTO changes VALUES (99, now(), 'x', 'rate', 'half', NULL, NULL)");
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await f.changes()).map((c) => c.id)).toEqual([1]);
  });

  it('rules: added, made from a low-risk rating, deleted and undone, with unique names', async () => {
    const f = newStore();
    await f.addRule({ name: 'scanner', cidr: '192.0.2.10', owner: 'sec', comment: 'Nessus', expires_at: '2027-01-01' }, 'ann');
    await expect(f.addRule({ name: 'scanner', cidr: '192.0.2.11', owner: 'sec' }, 'ann')).rejects.toThrow('a rule named "scanner" exists');
    await expect(f.addRule({ name: 'empty', owner: 'sec', type: 'flow' }, 'ann')).rejects.toThrow('a rule needs at least one condition');
    const high = await f.rate(flow({ sip: '10.0.0.9' }, 1));
    await expect(f.ruleFromRating(high.rating.id, 'ann')).rejects.toThrow('rating 1 is high risk; only a low-risk (3) rating makes a suppression rule');
    const dns = await f.rate({ type: 'dns', day: '2026-03-02', rating: 3, spec: { client: '10.0.0.8', domain: 'Example.co.uk' }, analyst: 'ann', comment: 'backup' });
    const made = await f.ruleFromRating(dns.rating.id, 'ann');
    expect(made.rule).toMatchObject({ id: 2, name: 'rating 2: dns client=10.0.0.8 domain=example.co.uk', type: 'dns', src_cidr: '10.0.0.8/32', domain: '*.example.co.uk', owner: 'ann', comment: 'backup', from_rating: 2 });
    await f.deleteRule(1, 'ann');
    expect((await f.rules()).map((r) => r.name)).toEqual(['rating 2: dns client=10.0.0.8 domain=example.co.uk']);
    await f.undo('ann');
    const back = await f.rules();
    expect(back.map((r) => [r.id, r.name, r.cidr, r.expires_at?.toISOString()])).toEqual([
      [1, 'scanner', '192.0.2.10/32', '2027-01-01T00:00:00.000Z'],
      [2, 'rating 2: dns client=10.0.0.8 domain=example.co.uk', null, undefined],
    ]);
    expect((await f.rules({ activeAt: new Date('2027-01-01T00:00:00Z') })).map((r) => r.id)).toEqual([2]);
  });
});
