import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';

import Redis from 'ioredis';

import { ProblemException } from '../problem/problem.exception';
import { RateLimiter } from './rate-limiter';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('RateLimiter', () => {
  it('counts the limits of requests sent in one turn together, in one script call, and refuses those over', async () => {
    const prefix = `test-ratelimit-${randomBytes(6).toString('hex')}:`;
    const redis = new Redis(REDIS_URL, { keyPrefix: prefix, maxRetriesPerRequest: 1 });
    try {
      const limiter = new RateLimiter(redis);
      const calls = jest.spyOn(
        redis as unknown as { rateLimitHits: () => Promise<number[]> },
        'rateLimitHits',
      );
      const [settled] = await Promise.all([
        Promise.allSettled(
          Array.from({ length: 8 }, (_, i) =>
            limiter.consume(
              [
                { key: 'ip:198.51.100.7', limit: 5 },
                { key: `phone:${i}`, limit: 1 },
              ],
              60,
            ),
          ),
        ),
        limiter.consume([{ key: 'short', limit: 1 }], 10),
      ]);
      expect(calls).toHaveBeenCalledTimes(1);
      // Each limit keeps its own window in a shared call.
      expect(await redis.pttl('ratelimit:short')).toBeLessThanOrEqual(10_000);
      expect(await redis.pttl('ratelimit:phone:0')).toBeGreaterThan(10_000);
      expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(5);
      for (const refused of settled.filter((s) => s.status === 'rejected')) {
        expect(refused.reason).toBeInstanceOf(ProblemException);
        expect((refused.reason as ProblemException).code).toBe('RATE_LIMITED');
      }
      expect(await redis.get('ratelimit:ip:198.51.100.7')).toBe('8');
    } finally {
      await redis.del(
        'ratelimit:ip:198.51.100.7',
        'ratelimit:short',
        ...Array.from({ length: 8 }, (_, i) => `ratelimit:phone:${i}`),
      );
      redis.disconnect();
    }
  });

  it('reserves concurrent attempts atomically, makes failures wait longer each time, and forgets a success', async () => {
    const prefix = `test-ratelimit-${randomBytes(6).toString('hex')}:`;
    const redis = new Redis(REDIS_URL, { keyPrefix: prefix, maxRetriesPerRequest: 1 });
    const backoff = (key: string) => ({
      key,
      freeAttempts: 3,
      firstDelaySeconds: 2,
      longestDelaySeconds: 5,
      memorySeconds: 60,
    });
    const retryAfter = (settled: PromiseSettledResult<unknown>) =>
      settled.status === 'rejected' ? (settled.reason as ProblemException).headers['retry-after'] : 'none';
    try {
      const limiter = new RateLimiter(redis);
      const burst = await Promise.allSettled(
        Array.from({ length: 20 }, () =>
          limiter.reserve([{ key: 'ip:a', limit: 10 }], 60, backoff('pair:a')),
        ),
      );
      expect(burst.filter((s) => s.status === 'fulfilled')).toHaveLength(3);
      expect(retryAfter(burst[3])).toBe('2');

      // The address's own limit holds over every pair.
      for (const pair of ['pair:b', 'pair:c', 'pair:d']) {
        for (let i = 0; i < 2; i++) await limiter.reserve([{ key: 'ip:a', limit: 10 }], 60, backoff(pair));
      }
      await limiter.reserve([{ key: 'ip:a', limit: 10 }], 60, backoff('pair:e'));
      const full = await Promise.allSettled([
        limiter.reserve([{ key: 'ip:a', limit: 10 }], 60, backoff('pair:e')),
      ]);
      expect(Number(retryAfter(full[0]))).toBeGreaterThan(50);

      // Each further failure doubles the delay, up to the longest.
      await redis.hset('ratelimit:pair:f', 'failures', 3);
      await limiter.reserve([], 60, backoff('pair:f'));
      expect(retryAfter((await Promise.allSettled([limiter.reserve([], 60, backoff('pair:f'))]))[0])).toBe(
        '4',
      );
      await redis.hset('ratelimit:pair:f', 'failures', 9, 'next', 0);
      await limiter.reserve([], 60, backoff('pair:f'));
      expect(retryAfter((await Promise.allSettled([limiter.reserve([], 60, backoff('pair:f'))]))[0])).toBe(
        '5',
      );

      // A released attempt no longer counts.
      const success = await limiter.reserve([{ key: 'ip:g', limit: 1 }], 60, backoff('pair:g'));
      await success.release();
      expect(await redis.get('ratelimit:ip:g')).toBe('0');
      expect(await redis.exists('ratelimit:pair:g')).toBe(0);
    } finally {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys.map((key) => key.slice(prefix.length)));
      redis.disconnect();
    }
  });

  it('lets every concurrent request through while Redis is unreachable', async () => {
    const redis = new Redis({
      host: '127.0.0.1',
      port: await closedPort(),
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: true,
    });
    redis.on('error', () => undefined);
    try {
      const limiter = new RateLimiter(redis);
      const calls = Array.from({ length: 6 }, (_, i) =>
        limiter.consume([{ key: `phone:${i}`, limit: 1 }], 60),
      );
      await expect(Promise.all(calls)).resolves.toHaveLength(6);
      const backoff = {
        key: 'login:x',
        freeAttempts: 1,
        firstDelaySeconds: 1,
        longestDelaySeconds: 1,
        memorySeconds: 60,
      };
      await expect(limiter.reserve([{ key: 'ip:x', limit: 1 }], 60, backoff)).resolves.toBeDefined();
    } finally {
      redis.disconnect();
    }
  });
});
