import { keysetBatches } from './keyset-batches';

/** A table of `count` numbered rows read in key order, recording each read. */
function table(count: number) {
  const rows = Array.from({ length: count }, (_, i) => ({ id: i + 1 }));
  const reads: (number | undefined)[] = [];
  const read = (size: number) => (after: { id: number } | undefined) => {
    reads.push(after?.id);
    const start = after ? rows.findIndex((row) => row.id === after.id) + 1 : 0;
    return Promise.resolve(rows.slice(start, start + size));
  };
  return { rows, reads, read };
}

async function collect<R>(batches: AsyncGenerator<R[]>): Promise<R[][]> {
  const all: R[][] = [];
  for await (const batch of batches) all.push(batch);
  return all;
}

describe('keysetBatches', () => {
  it('reads every row once, in order, in batches of the size', async () => {
    const { rows, reads, read } = table(10);
    const batches = await collect(keysetBatches(read(4), 4));
    expect(batches.map((batch) => batch.length)).toEqual([4, 4, 2]);
    expect(batches.flat()).toEqual(rows);
    expect(reads).toEqual([undefined, 4, 8]);
  });

  it('reads once more after a full last batch, and never for an empty table', async () => {
    const full = table(8);
    expect((await collect(keysetBatches(full.read(4), 4))).map((b) => b.length)).toEqual([4, 4]);
    expect(full.reads).toEqual([undefined, 4, 8]);
    const empty = table(0);
    expect(await collect(keysetBatches(empty.read(4), 4))).toEqual([]);
    expect(empty.reads).toEqual([undefined]);
  });

  it('reads the next batch while the caller handles the current one', async () => {
    const { reads, read } = table(10);
    const batches = keysetBatches(read(4), 4);
    await batches.next();
    // The caller holds the first batch: the second is already asked for.
    expect(reads).toEqual([undefined, 4]);
    await batches.return();
  });

  it('stops reading when the caller stops, and drops a failed read nobody waits for', async () => {
    let calls = 0;
    const read = (after: number | undefined) => {
      calls++;
      return after === undefined ? Promise.resolve([1, 2]) : Promise.reject(new Error('gone'));
    };
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      for await (const batch of keysetBatches(read, 2)) {
        expect(batch).toEqual([1, 2]);
        break;
      }
      await new Promise((resolve) => setImmediate(resolve));
      expect(calls).toBe(2);
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it('fails with the read that fails when the caller waits for it', async () => {
    const read = (after: number | undefined) =>
      after === undefined ? Promise.resolve([1, 2]) : Promise.reject(new Error('connection lost'));
    await expect(collect(keysetBatches(read, 2))).rejects.toThrow('connection lost');
  });
});
