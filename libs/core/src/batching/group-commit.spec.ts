import { GroupCommit, Outcome } from './group-commit';

/** A run function whose batches the test finishes by hand. */
function controlledRun() {
  const batches: {
    items: number[];
    finish: (outcomes: Outcome<string>[]) => void;
    fail: (e: Error) => void;
  }[] = [];
  const run = (items: number[]) =>
    new Promise<Outcome<string>[]>((resolve, reject) => {
      batches.push({ items, finish: resolve, fail: reject });
    });
  return { batches, run };
}

const ok = (items: number[]): Outcome<string>[] => items.map((i) => ({ ok: true, value: `v${i}` }));

/** Resolves once `check` holds, polling the event loop; fails after `ms`. */
async function until(check: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('GroupCommit', () => {
  it('sends the items of one event-loop turn as one batch and answers each with its own outcome', async () => {
    const { batches, run } = controlledRun();
    const commit = new GroupCommit(run, { maxBatch: 10, maxInFlight: 1 });
    const answers = [1, 2, 3].map((i) => commit.submit(i));
    await until(() => batches.length === 1);
    expect(batches[0].items).toEqual([1, 2, 3]);
    batches[0].finish(ok([1, 2, 3]));
    await expect(Promise.all(answers)).resolves.toEqual(['v1', 'v2', 'v3']);
  });

  it('queues what arrives while a batch runs for the next batch, and respects maxBatch', async () => {
    const { batches, run } = controlledRun();
    const commit = new GroupCommit(run, { maxBatch: 2, maxInFlight: 1 });
    const first = commit.submit(1);
    await until(() => batches.length === 1);
    const later = [2, 3, 4].map((i) => commit.submit(i));
    expect(commit.queued).toBe(3);
    batches[0].finish(ok([1]));
    await expect(first).resolves.toBe('v1');
    await until(() => batches.length === 2);
    expect(batches[1].items).toEqual([2, 3]);
    batches[1].finish(ok([2, 3]));
    await until(() => batches.length === 3);
    expect(batches[2].items).toEqual([4]);
    batches[2].finish(ok([4]));
    await expect(Promise.all(later)).resolves.toEqual(['v2', 'v3', 'v4']);
  });

  it('fails only the item whose outcome is an error', async () => {
    const { batches, run } = controlledRun();
    const commit = new GroupCommit(run, { maxBatch: 10, maxInFlight: 1 });
    const answers = [1, 2, 3].map((i) => commit.submit(i));
    await until(() => batches.length === 1);
    batches[0].finish([
      { ok: true, value: 'v1' },
      { ok: false, error: new Error('bad item') },
      { ok: true, value: 'v3' },
    ]);
    const settled = await Promise.allSettled(answers);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason.message).toBe('bad item');
  });

  it('fails every caller of a failed batch and still runs the next one', async () => {
    const { batches, run } = controlledRun();
    const commit = new GroupCommit(run, { maxBatch: 10, maxInFlight: 1 });
    const doomed = [1, 2].map((i) => commit.submit(i));
    await until(() => batches.length === 1);
    const next = commit.submit(3);
    batches[0].fail(new Error('connection lost'));
    for (const answer of doomed) await expect(answer).rejects.toThrow('connection lost');
    await until(() => batches.length === 2);
    batches[1].finish(ok([3]));
    await expect(next).resolves.toBe('v3');
  });

  it('fails every caller when the batch answers with the wrong number of outcomes', async () => {
    const { batches, run } = controlledRun();
    const commit = new GroupCommit(run, { maxBatch: 10, maxInFlight: 1 });
    const answers = [1, 2].map((i) => commit.submit(i));
    await until(() => batches.length === 1);
    batches[0].finish(ok([1]));
    for (const answer of answers) await expect(answer).rejects.toThrow('a batch of 2 got 1 outcomes');
  });

  it('fails the callers of a run that throws synchronously', async () => {
    const commit = new GroupCommit<number, string>(
      () => {
        throw new Error('no pool');
      },
      { maxBatch: 10, maxInFlight: 1 },
    );
    await expect(commit.submit(1)).rejects.toThrow('no pool');
    await expect(commit.submit(2)).rejects.toThrow('no pool');
  });

  it('runs up to maxInFlight batches at once', async () => {
    const { batches, run } = controlledRun();
    const commit = new GroupCommit(run, { maxBatch: 1, maxInFlight: 2 });
    const answers = [1, 2, 3].map((i) => commit.submit(i));
    await until(() => batches.length === 2);
    expect(commit.queued).toBe(1);
    batches[1].finish(ok([2]));
    await until(() => batches.length === 3);
    batches[0].finish(ok([1]));
    batches[2].finish(ok([3]));
    await expect(Promise.all(answers)).resolves.toEqual(['v1', 'v2', 'v3']);
  });
});
