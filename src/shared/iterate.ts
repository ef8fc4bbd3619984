/** Small helpers over async iterables. */

/**
 * The items that pass the test, each with whether it is the last of them: a short last line is
 * a truncated file, not a bad record. One generator, not two chained: it runs once per line.
 */
export async function* markLast<T>(items: AsyncIterable<T>, keep: (item: T) => boolean = () => true): AsyncGenerator<{ readonly item: T; readonly last: boolean }> {
  let held: { item: T } | null = null;
  for await (const item of items) {
    if (!keep(item)) continue;
    if (held) yield { item: held.item, last: false };
    held = { item };
  }
  if (held) yield { item: held.item, last: true };
}
