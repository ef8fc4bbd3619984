import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Feedback, FeedbackStore } from '../../src/feedback/index.js';
import { REPO_ROOT } from '../helpers/shared-data.js';
import { tempDir } from '../helpers/tmp.js';

/*
 * The store across processes: two writers at once lose nothing, and a process killed (SIGKILL) inside a
 * transaction, or at any moment of a stream of commits, leaves a consistent store that others can open at once.
 */

const CHILD = `
import { Feedback, FeedbackStore, rate } from ${JSON.stringify(join(REPO_ROOT, 'src/feedback/index.ts'))};
const [mode, path, who, count] = process.argv.slice(2);
const fb = new Feedback(new FeedbackStore(path, { lockTimeoutMs: 60000 }));
const spec = (i) => ({ type: 'flow', day: '2026-03-02', rating: 3, spec: { sip: '10.' + (who === 'a' ? 1 : 2) + '.' + (i >> 8) + '.' + (i & 255) }, analyst: who });
if (mode === 'write') {
  for (let i = 0; i < Number(count); i++) await fb.rate(spec(i));
} else if (mode === 'hang') {
  await fb.store.transaction(async (tx) => {
    for (let i = 0; i < Number(count); i++) await rate(tx, spec(i));
    process.stdout.write('inside\\n');
    await new Promise(() => {});
  });
} else {
  for (let i = 0; ; i++) { await fb.rate(spec(i)); if (i === 2) process.stdout.write('running\\n'); }
}
`;

function child(dir: string, args: string[]) {
  const script = join(dir, 'child.mts');
  writeFileSync(script, CHILD);
  const p = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => p.on('exit', (code, signal) => resolve({ code, signal, stderr })));
  const said = (word: string) =>
    new Promise<void>((resolve) => {
      let out = '';
      p.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes(word)) resolve();
      });
    });
  return { process: p, exited, said };
}

async function consistency(f: Feedback) {
  return f.store.transaction(async (tx) => {
    const [row] = await tx.query<Record<string, number>>(`SELECT
      (SELECT count(*) FROM ratings) AS ratings,
      (SELECT count(*) FROM changes) AS changes,
      (SELECT count(*) FROM change_items) AS items,
      (SELECT count(*) FROM change_items AS i LEFT JOIN changes AS c ON c.id = i.change_id WHERE c.id IS NULL) AS orphan_items,
      (SELECT count(*) FROM ratings AS r LEFT JOIN change_items AS i ON i.target = 'rating' AND i.target_id = r.id WHERE i.target_id IS NULL) AS unaudited,
      (SELECT count(DISTINCT id) FROM ratings) AS distinct_ids`);
    return row!;
  });
}

describe('feedback store across processes', () => {
  it('two processes writing 25 ratings each at once lose none', async () => {
    const dir = tempDir();
    const path = join(dir, 'feedback.duckdb');
    const a = child(dir, ['write', path, 'a', '25']);
    const b = child(dir, ['write', path, 'b', '25']);
    const [ra, rb] = await Promise.all([a.exited, b.exited]);
    expect([ra.code, rb.code, ra.stderr, rb.stderr]).toEqual([0, 0, '', '']);
    const f = new Feedback(new FeedbackStore(path));
    expect(await consistency(f)).toEqual({ ratings: 50, changes: 50, items: 50, orphan_items: 0, unaudited: 0, distinct_ids: 50 });
    const by = await f.ratings();
    expect([by.filter((r) => r.analyst === 'a').length, by.filter((r) => r.analyst === 'b').length]).toEqual([25, 25]);
  });

  it('a process killed inside a transaction leaves nothing of it, and the store opens at once', async () => {
    const dir = tempDir();
    const path = join(dir, 'feedback.duckdb');
    const f = new Feedback(new FeedbackStore(path, { lockTimeoutMs: 5000 }));
    for (const sip of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) await f.rate({ type: 'flow', day: '2026-03-02', rating: 2, spec: { sip }, analyst: 'ann' });
    const c = child(dir, ['hang', path, 'a', '200']);
    await c.said('inside');
    c.process.kill('SIGKILL');
    expect((await c.exited).signal).toBe('SIGKILL');
    expect(await consistency(f)).toEqual({ ratings: 3, changes: 3, items: 3, orphan_items: 0, unaudited: 0, distinct_ids: 3 });
    await f.rate({ type: 'flow', day: '2026-03-02', rating: 1, spec: { sip: '192.0.2.9' }, analyst: 'ann' });
    expect((await f.ratings()).map((r) => r.sip)).toEqual(['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.9']);
  });

  it('a process killed at any moment of a stream of commits leaves every committed rating with its audit', async () => {
    const dir = tempDir();
    const path = join(dir, 'feedback.duckdb');
    const c = child(dir, ['stream', path, 'a', '0']);
    await c.said('running');
    await new Promise((r) => setTimeout(r, 300 + Math.random() * 700));
    c.process.kill('SIGKILL');
    await c.exited;
    const f = new Feedback(new FeedbackStore(path, { lockTimeoutMs: 5000 }));
    const state = await consistency(f);
    expect(state.ratings).toBeGreaterThanOrEqual(3);
    expect(state).toEqual({ ratings: state.ratings, changes: state.ratings, items: state.ratings, orphan_items: 0, unaudited: 0, distinct_ids: state.ratings });
    // Ratings were committed in order: no gap in their numbers.
    expect((await f.ratings()).map((r) => r.id)).toEqual(Array.from({ length: state.ratings! }, (_, i) => i + 1));
  });
});
