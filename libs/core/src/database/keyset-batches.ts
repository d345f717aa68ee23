/**
 * Reads a result too large to hold in memory as a series of keyset batches: `read(after)` answers up to
 * `size` rows that follow the row `after` in the key order (from the start when `after` is undefined), and a
 * batch shorter than `size` is the last.
 *
 * Each batch is its own short query, so no connection or snapshot is held between batches: a reader that
 * consumes slowly (an export streamed to a phone on 3G) costs the pool nothing while it waits. The batch
 * after the current one is read while the caller handles the current one (at most two batches are in
 * memory), so the database and the caller work at the same time. A caller that stops early (`break`, or
 * the stream being destroyed) leaves at most one read in flight, whose outcome is dropped.
 */
export async function* keysetBatches<R>(
  read: (after: R | undefined) => Promise<R[]>,
  size: number,
): AsyncGenerator<R[], void, undefined> {
  if (!Number.isInteger(size) || size < 1)
    throw new Error(`keysetBatches needs a positive size, not ${size}`);
  let batch = await read(undefined);
  while (batch.length > 0) {
    const last = batch.length === size ? batch[batch.length - 1] : undefined;
    const next = last === undefined ? undefined : read(last);
    // A read whose batch nobody will take (the caller stopped) must not become an unhandled rejection.
    next?.catch(() => undefined);
    yield batch;
    if (!next) return;
    batch = await next;
  }
}
