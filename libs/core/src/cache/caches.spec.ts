import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';

import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import type { DataSource, EntitySubscriberInterface, QueryRunner } from 'typeorm';

import type { Tx } from '../audit/audit-log';
import { cacheEvent, Caches } from './caches';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CHANGED = cacheEvent('test.changed');
const OTHER = cacheEvent('test.other');
const MOVED = cacheEvent<{ ids: string[] }>('test.moved');

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Counts calls and answers the next value in turn. */
function source<T>(...values: T[]) {
  let calls = 0;
  const read = jest.fn(() => Promise.resolve(values[Math.min(calls++, values.length - 1)]));
  return read;
}

/** A transaction as TypeORM shows it to its subscribers: a query runner that commits or rolls back. */
function transaction(dataSource: { subscribers: EntitySubscriberInterface[] }) {
  const queryRunner = { isTransactionActive: true };
  const finish = async (outcome: 'commit' | 'rollback') => {
    queryRunner.isTransactionActive = false;
    for (const subscriber of dataSource.subscribers) {
      if (outcome === 'commit') await subscriber.afterTransactionCommit?.({ queryRunner } as never);
      else await subscriber.afterTransactionRollback?.({ queryRunner } as never);
    }
  };
  return {
    tx: { queryRunner: queryRunner as QueryRunner } as Tx,
    commit: () => finish('commit'),
    rollback: () => finish('rollback'),
  };
}

describe('Caches', () => {
  const opened: { caches: Caches; redis: Redis; live: boolean }[] = [];
  let prefix: string;

  /** One process's cache: its own Redis connections under the test's prefix. */
  async function startProcess(url = REDIS_URL) {
    const redis = new Redis(url, { keyPrefix: prefix, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    redis.on('error', () => undefined);
    const dataSource = { subscribers: [] as EntitySubscriberInterface[] };
    const caches = new Caches(redis, dataSource as unknown as DataSource);
    opened.push({ caches, redis, live: url === REDIS_URL });
    if (url === REDIS_URL) await listening(opened.filter((item) => item.live).length);
    return { caches, redis, dataSource };
  }

  async function listening(count: number): Promise<void> {
    const probe = new Redis(REDIS_URL);
    try {
      for (;;) {
        const [, subscribers] = (await probe.pubsub('NUMSUB', `${prefix}cache:ended`)) as [string, number];
        if (subscribers >= count) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    } finally {
      probe.disconnect();
    }
  }

  const eventually = async (check: () => Promise<boolean>) => {
    const deadline = Date.now() + 2000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('condition not met within 2 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  beforeEach(() => {
    prefix = `test-cache-${randomBytes(6).toString('hex')}:`;
  });

  afterEach(async () => {
    for (const { caches, redis } of opened.splice(0)) {
      caches.onApplicationShutdown();
      const keys = redis.status === 'ready' ? await redis.keys(`${prefix}*`) : [];
      if (keys.length) await redis.del(...keys.map((key) => key.slice(prefix.length)));
      redis.disconnect();
    }
  });

  describe('in memory', () => {
    it('serves an entry until its max age, and one computation to concurrent misses', async () => {
      const { caches } = await startProcess();
      const cache = caches.define<string>({ name: 'facts', maxAgeMs: 100 });
      const read = source('first', 'second');
      expect(await Promise.all([cache.get('a', read), cache.get('a', read)])).toEqual(['first', 'first']);
      expect(await cache.get('a', read)).toBe('first');
      expect(read).toHaveBeenCalledTimes(1);
      await new Promise((resolve) => setTimeout(resolve, 110));
      expect(await cache.get('a', read)).toBe('second');
    });

    it('keeps neither undefined nor a failure, and drops the oldest key past its size', async () => {
      const { caches } = await startProcess();
      const cache = caches.define<string | undefined>({ name: 'facts', maxAgeMs: 60_000, maxEntries: 2 });
      const unknown = source<string | undefined>(undefined, 'found');
      expect(await cache.get('a', unknown)).toBeUndefined();
      expect(await cache.get('a', unknown)).toBe('found');

      await expect(cache.get('b', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
      expect(await cache.get('b', source('up'))).toBe('up');

      await cache.get('c', source('c'));
      const again = source('a again');
      expect(await cache.get('a', again)).toBe('a again');
      expect(await cache.get('c', source('not read'))).toBe('c');

      // A lookup that finds nothing pushes nothing out, however many there are.
      for (const key of ['x', 'y', 'z']) expect(await cache.get(key, source(undefined))).toBeUndefined();
      expect(await cache.get('c', source('not read'))).toBe('c');
      expect(await cache.get('a', source('not read'))).toBe('a again');
    });

    it('recomputes an entry near its max age behind the reads, never serving it past its max age', async () => {
      const { caches } = await startProcess();
      const cache = caches.define<string>({
        name: 'facts',
        maxAgeMs: 1000,
        refreshAheadMs: 600,
        endedBy: [CHANGED],
      });
      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      const finishes: ((value: string) => void)[] = [];
      const slow = jest.fn(() => new Promise<string>((resolve) => finishes.push(resolve)));

      expect(await cache.get('a', source('first'))).toBe('first');
      await sleep(500);
      // In its last 600 ms: served at once while one recomputation runs, however many read.
      expect(await Promise.all([cache.get('a', slow), cache.get('a', slow)])).toEqual(['first', 'first']);
      expect(slow).toHaveBeenCalledTimes(1);
      finishes[0]('second');
      await sleep(0);
      expect(await cache.get('a', source('not read'))).toBe('second');

      // A recomputation still running at the max age does not stretch it: the next read computes itself.
      await sleep(500);
      expect(await cache.get('a', slow)).toBe('second');
      await sleep(600);
      const own = cache.get('a', slow);
      expect(slow).toHaveBeenCalledTimes(3);
      finishes[2]('third');
      expect(await own).toBe('third');
      finishes[1]('late');
      await sleep(0);
      expect(await cache.get('a', source('not read'))).toBe('third');

      // Nor does one survive an event announced while it ran.
      await sleep(500);
      expect(await cache.get('a', slow)).toBe('third');
      await caches.announce(CHANGED);
      finishes[3]('read before the change');
      await sleep(0);
      expect(await cache.get('a', source('read after'))).toBe('read after');
    });

    it('ends entries at an announcement of one of their events, here and in the other processes', async () => {
      const here = await startProcess();
      const there = await startProcess();
      const define = (caches: Caches) =>
        caches.define<string>({ name: 'facts', maxAgeMs: Infinity, endedBy: [CHANGED] });
      const [mine, theirs] = [define(here.caches), define(there.caches)];
      await mine.get('a', source('old'));
      await theirs.get('a', source('old'));

      await here.caches.announce(OTHER);
      expect(await mine.get('a', source('new'))).toBe('old');

      await here.caches.announce(CHANGED);
      expect(await mine.get('a', source('new'))).toBe('new');
      await eventually(async () => (await theirs.get('a', source('new'))) === 'new');
    });

    it('does not keep what a computation running across an announcement returns', async () => {
      const { caches } = await startProcess();
      const cache = caches.define<string>({ name: 'facts', maxAgeMs: Infinity, endedBy: [CHANGED] });
      let finish!: (value: string) => void;
      const running = cache.get('a', () => new Promise<string>((resolve) => (finish = resolve)));
      await caches.announce(CHANGED);
      finish('read before the change');
      expect(await running).toBe('read before the change');
      expect(await cache.get('a', source('read after'))).toBe('read after');
    });

    it('drops event-ended entries when its subscription comes back, since it may have missed some', async () => {
      const { caches } = await startProcess();
      const ended = caches.define<string>({ name: 'facts', maxAgeMs: Infinity, endedBy: [CHANGED] });
      const kept = caches.define<string>({ name: 'constants', maxAgeMs: Infinity });
      await ended.get('a', source('old'));
      await kept.get('a', source('old'));
      (caches as unknown as { subscriber: Redis }).subscriber.disconnect(true);
      await eventually(async () => (await ended.get('a', source('new'))) === 'new');
      expect(await kept.get('a', source('new'))).toBe('old');
    });
  });

  describe('in a transaction', () => {
    it('ends caches when it commits, and not if it rolls back', async () => {
      const { caches, dataSource } = await startProcess();
      const cache = caches.define<string>({ name: 'facts', maxAgeMs: Infinity, endedBy: [CHANGED] });
      await cache.get('a', source('old'));

      const rolledBack = transaction(dataSource);
      await caches.announce(CHANGED, rolledBack.tx);
      await rolledBack.rollback();
      expect(await cache.get('a', source('new'))).toBe('old');

      const committed = transaction(dataSource);
      await caches.announce(CHANGED, committed.tx);
      expect(await cache.get('a', source('new'))).toBe('old');
      await committed.commit();
      expect(await cache.get('a', source('new'))).toBe('new');
    });

    it('runs the reactions to an event in the announcer’s transaction, and fails with them', async () => {
      const { caches, dataSource } = await startProcess();
      const reactions: [Tx, string[]][] = [];
      caches.react(MOVED, async (tx, { ids }) => {
        reactions.push([tx, ids]);
        await caches.announce(CHANGED, tx);
      });
      const cache = caches.define<string>({ name: 'items', maxAgeMs: Infinity, endedBy: [CHANGED] });
      await cache.get('a', source('old'));

      const { tx, commit } = transaction(dataSource);
      await caches.announce(MOVED, tx, { ids: ['a1'] });
      expect(reactions).toEqual([[tx, ['a1']]]);
      await commit();
      expect(await cache.get('a', source('new'))).toBe('new');

      caches.react(MOVED, () => Promise.reject(new Error('reaction failed')));
      await expect(caches.announce(MOVED, transaction(dataSource).tx, { ids: [] })).rejects.toThrow(
        'reaction failed',
      );
      await expect(caches.announce(MOVED as never)).rejects.toThrow(/in a transaction/);
    });
  });

  describe('shared', () => {
    it('serves one entry to every process until an event ends it', async () => {
      const here = await startProcess();
      const there = await startProcess();
      const options = { name: 'items', shared: true, maxAgeMs: 60_000, endedBy: [CHANGED] };
      const [mine, theirs] = [here.caches.define<object>(options), there.caches.define<object>(options)];
      const read = source({ page: 1 }, { page: 2 });
      expect(await mine.get('q=a', read)).toEqual({ page: 1 });
      await eventually(async () => (await here.redis.keys(`${prefix}cache:items:*`)).length === 1);
      expect(await theirs.get('q=a', source({ page: 'not read' }))).toEqual({ page: 1 });
      expect(await theirs.get('q=b', source({ page: 'b' }))).toEqual({ page: 'b' });

      await here.caches.announce(CHANGED);
      expect(await theirs.get('q=a', read)).toEqual({ page: 2 });
    });

    it('stores what a computation running across an announcement returns as already stale', async () => {
      const { caches, redis } = await startProcess();
      const cache = caches.define<string>({
        name: 'items',
        shared: true,
        maxAgeMs: 60_000,
        endedBy: [CHANGED],
      });
      let finish!: (value: string) => void;
      const running = cache.get('q', () => new Promise<string>((resolve) => (finish = resolve)));
      await eventually(() => Promise.resolve(finish !== undefined));
      await caches.announce(CHANGED);
      finish('read before the change');
      expect(await running).toBe('read before the change');
      await eventually(async () => (await redis.keys(`${prefix}cache:items:*`)).length === 1);
      expect(await cache.get('q', source('read after'))).toBe('read after');
    });

    it('computes every read when its max age is 0', async () => {
      const { caches } = await startProcess();
      const cache = caches.define<string>({ name: 'items', shared: true, maxAgeMs: 0 });
      const read = source('a', 'b');
      expect([await cache.get('q', read), await cache.get('q', read)]).toEqual(['a', 'b']);
    });
  });

  describe('version', () => {
    it('changes with each committed announcement of its events, in every process, and only then', async () => {
      const here = await startProcess();
      const there = await startProcess();
      const before = await there.caches.version([CHANGED, MOVED]);
      expect(before).toEqual({ token: expect.any(String), changedAt: null });
      // Asking again changes nothing; another event changes nothing.
      expect(await here.caches.version([CHANGED, MOVED])).toEqual(before);
      await here.caches.announce(OTHER);
      expect((await there.caches.version([CHANGED, MOVED]))!.token).toBe(before!.token);

      const { tx, commit } = transaction(here.dataSource);
      const started = Date.now();
      await here.caches.announce(CHANGED, tx);
      expect((await there.caches.version([CHANGED, MOVED]))!.token).toBe(before!.token);
      await commit();
      const after = await there.caches.version([CHANGED, MOVED]);
      expect(after!.token).not.toBe(before!.token);
      expect(after!.changedAt!.getTime()).toBeGreaterThanOrEqual(started);
      expect(after!.changedAt!.getTime()).toBeLessThanOrEqual(Date.now());
    });

    it('never repeats a token once Redis has lost its generations', async () => {
      const { caches, redis } = await startProcess();
      await caches.announce(CHANGED);
      const before = await caches.version([CHANGED]);
      // A flushed Redis: the generation would start again from 0 and meet an old token, but for the epoch.
      await redis.del('cache:event:test.changed', 'cache:event-at:test.changed', 'cache:epoch');
      await caches.announce(CHANGED);
      const after = await caches.version([CHANGED]);
      expect(after!.token.split(':').pop()).toBe(before!.token.split(':').pop());
      expect(after!.token).not.toBe(before!.token);
    });

    it('is undefined while Redis is away', async () => {
      const { caches } = await startProcess(`redis://127.0.0.1:${await closedPort()}`);
      expect(await caches.version([CHANGED])).toBeUndefined();
    });
  });

  it('never fails a read or an announcement while Redis is away', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { caches } = await startProcess(`redis://127.0.0.1:${await closedPort()}`);
    const shared = caches.define<string>({
      name: 'items',
      shared: true,
      maxAgeMs: 60_000,
      endedBy: [CHANGED],
    });
    const local = caches.define<string>({ name: 'facts', maxAgeMs: Infinity, endedBy: [CHANGED] });
    const read = source('a', 'b');
    expect([await shared.get('q', read), await shared.get('q', read)]).toEqual(['a', 'b']);
    await local.get('q', source('old'));
    await expect(caches.announce(CHANGED)).resolves.toBeUndefined();
    expect(await local.get('q', source('new'))).toBe('new');
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ events: ['test.changed'] }),
      expect.any(String),
    );
    warn.mockRestore();
  });
});
