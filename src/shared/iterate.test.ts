import { expect, it } from 'vitest';
import { markLast } from './iterate.js';

async function* items<T>(...values: T[]): AsyncGenerator<T> {
  yield* values;
}

it('marks the last kept item', async () => {
  const got = [];
  for await (const x of markLast(items(1, 2, 3, 4), (n) => n !== 4)) got.push([x.item, x.last]);
  expect(got).toEqual([
    [1, false],
    [2, false],
    [3, true],
  ]);
  for await (const _ of markLast(items())) throw new Error('nothing expected');
});
