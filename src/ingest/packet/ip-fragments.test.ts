import { describe, expect, it } from 'vitest';
import { IpFragments } from './ip-fragments.js';

const PAYLOAD = Buffer.from(Array.from({ length: 40 }, (_, i) => i));
const part = (from: number, to: number) => PAYLOAD.subarray(from, to);

describe('IpFragments', () => {
  it('gives the datagram once every fragment has come, in any order, overlaps allowed', () => {
    const fragments = new IpFragments();
    expect(fragments.add('a', 16, true, part(16, 32), 1)).toBeNull();
    expect(fragments.add('a', 32, false, part(32, 40), 2)).toBeNull();
    expect(fragments.add('b', 0, true, part(0, 8), 2)).toBeNull();
    expect(fragments.add('a', 0, true, part(0, 24), 3)).toEqual(PAYLOAD);
    expect(fragments.pending).toBe(1);
    expect(fragments.add('b', 8, false, part(8, 12), 4)).toEqual(part(0, 12));
    expect(fragments.pending).toBe(0);
    expect(fragments.dropped).toBe(0);
  });

  it('gives up datagrams that time out, exceed the limits or are bogus', () => {
    const limits = { datagrams: 2, bytes: 1024, fragments: 3, timeoutMicros: 1000 };
    const timeout = new IpFragments(limits);
    timeout.add('old', 0, true, part(0, 8), 0);
    timeout.add('new', 0, true, part(0, 8), 1001);
    expect([timeout.pending, timeout.dropped]).toEqual([1, 1]);
    expect(timeout.add('old', 8, false, part(8, 12), 1002)).toBeNull();

    const count = new IpFragments(limits);
    for (const key of ['a', 'b', 'c']) count.add(key, 0, true, part(0, 8), 0);
    expect([count.pending, count.dropped]).toEqual([2, 1]);
    expect(count.add('a', 8, false, part(8, 12), 1)).toBeNull();

    const bytes = new IpFragments({ ...limits, bytes: 16 });
    for (const key of ['a', 'b', 'c']) bytes.add(key, 0, true, part(0, 8), 0);
    expect([bytes.pending, bytes.dropped]).toEqual([2, 1]);

    const many = new IpFragments(limits);
    for (const offset of [0, 8, 16, 24]) many.add('a', offset, true, part(0, 8), 0);
    expect([many.pending, many.dropped]).toEqual([0, 1]);

    const bogus = new IpFragments(limits);
    bogus.add('beyond 65535 bytes', 65528, false, part(0, 16), 0);
    bogus.add('a middle fragment not a multiple of 8', 0, true, part(0, 5), 0);
    expect([bogus.pending, bogus.dropped]).toEqual([0, 2]);
  });
});
