import { describe, expect, it } from 'vitest';
import { withEngine } from '../../test/helpers/engine.js';
import { columnDecls, type Engine } from '../engine/index.js';
import { flow } from '../schema/index.js';
import { rankedResults, scoreEvents } from './score.js';
import { eventsView } from './testing.js';
import { WORDS } from './words/index.js';

const A = '10.0.0.1';
const B = '10.0.0.2';
const C = '2001:db8::2';
const at = (hour: number) => new Date(Date.UTC(2026, 10, 27, hour));

/** θ (K = 2) of three documents, φ of four words; the events' words are worked out in the comments. */
const THETA: Record<string, [number, number]> = { [A]: [0.75, 0.25], [B]: [0.5, 0.5], [C]: [0.1, 0.9] };
const PHI: Record<string, [number, number]> = {
  '23_UDP_12_8_2': [0.2, 0.4],
  '-1_23_UDP_12_8_2': [0.1, 0.3],
  '443_TCP_9_10_3': [0.05, 0.01],
  '-1_443_TCP_9_10_3': [0.02, 0.5],
};
const dot = (t: [number, number], p: [number, number]) => t[0] * p[0] + t[1] * p[1];
/** E1: A → B, Spot's example: src 23_UDP_12_8_2 (A), dst -1_23_UDP_12_8_2 (B). */
const E1 = Math.min(dot(THETA[A]!, PHI['23_UDP_12_8_2']!), dot(THETA[B]!, PHI['-1_23_UDP_12_8_2']!));
/** E2: A → C:443 at 9h, 1,000 bytes, 5 packets: src 443_TCP_9_10_3 (A), dst -1_443_TCP_9_10_3 (C, IPv6). */
const E2 = Math.min(dot(THETA[A]!, PHI['443_TCP_9_10_3']!), dot(THETA[C]!, PHI['-1_443_TCP_9_10_3']!));

function withScoring<T>(fn: (e: Engine, score: (threshold: number, maxResults: number) => Promise<{ id: number; score: number; rank: number }[]>) => Promise<T>): Promise<T> {
  return withEngine(async (e) => {
    await eventsView(e, 'flow', 'events', {
      columns: [
        ...columnDecls(flow, ['tstart', 'sip', 'dip', 'sport', 'dport', 'proto', 'ibyt', 'ipkt', 'sensor']),
      ],
      rows: [
        [at(12), A, B, 2132, 23, 'UDP', 222, 3, 'E1'],
        [at(9), A, C, 50000, 443, 'TCP', 1000, 5, 'E2'],
        [at(10), A, B, 123, 123, 'TCP', 1000, 5, 'E3'], // 111111_TCP_10_…: a word φ does not hold
        [at(12), '10.0.0.9', B, 2132, 23, 'UDP', 222, 3, 'E4'], // E1's words, from a document θ does not hold
      ],
    });
    await e.registerTable('ml_theta', [{ name: 'doc', type: 'text' }, { name: 't0', type: 'double' }, { name: 't1', type: 'double' }], Object.entries(THETA).map(([d, t]) => [d, ...t]));
    await e.registerTable('ml_phi', [{ name: 'word', type: 'text' }, { name: 'p0', type: 'double' }, { name: 'p1', type: 'double' }], Object.entries(PHI).map(([w, p]) => [w, ...p]));
    return await fn(e, async (threshold, maxResults) => {
      const n = await scoreEvents(e, { spec: WORDS.flow, table: flow, events: 'events', topics: 2, threshold, maxResults });
      const rows = await e.query<{ sensor: string; score: number; rank: number }>(`SELECT sensor, score, rank FROM (${rankedResults(flow, e.dialect)}) AS r`);
      expect(rows).toHaveLength(n);
      return rows.map((r) => ({ id: Number(r.sensor.slice(1)), score: r.score, rank: r.rank }));
    });
  });
}

describe('scoring with θ and φ', () => {
  it('scores Σ_k θ·φ, a flow the lower of its sides, an unknown word or document 0; ascending, ties by time', () =>
    withScoring(async (_, score) => {
      expect(E1).toBeCloseTo(0.2, 16); // dst: 0.5·0.1 + 0.5·0.3 below src: 0.75·0.2 + 0.25·0.4 = 0.25
      expect(E2).toBeCloseTo(0.04, 16); // src: 0.75·0.05 + 0.25·0.01 below dst: 0.1·0.02 + 0.9·0.5
      expect(await score(1, 100)).toEqual([
        { id: 3, score: 0, rank: 1 },
        { id: 4, score: 0, rank: 2 },
        { id: 2, score: E2, rank: 3 },
        { id: 1, score: E1, rank: 4 },
      ]);
    }));

  it('keeps scores at or under the threshold, at most maxResults', () =>
    withScoring(async (_, score) => {
      expect((await score(E1, 100)).map((r) => r.id)).toEqual([3, 4, 2, 1]);
      expect((await score(0.19999, 100)).map((r) => r.id)).toEqual([3, 4, 2]);
      expect((await score(0, 100)).map((r) => r.id)).toEqual([3, 4]);
      expect((await score(1, 3)).map((r) => r.id)).toEqual([3, 4, 2]);
      expect(await score(1, 1)).toEqual([{ id: 3, score: 0, rank: 1 }]);
    }));

  it('writes each side\'s word with the event', () =>
    withScoring(async (e, score) => {
      await score(1, 100);
      expect(await e.query('SELECT sip, dip, src_word, dst_word FROM ml_scored ORDER BY tstart, sip')).toEqual([
        { sip: A, dip: C, src_word: '443_TCP_9_10_3', dst_word: '-1_443_TCP_9_10_3' },
        { sip: A, dip: B, src_word: '111111_TCP_10_10_3', dst_word: '111111_TCP_10_10_3' },
        { sip: A, dip: B, src_word: '23_UDP_12_8_2', dst_word: '-1_23_UDP_12_8_2' },
        { sip: '10.0.0.9', dip: B, src_word: '23_UDP_12_8_2', dst_word: '-1_23_UDP_12_8_2' },
      ]);
    }));
});
