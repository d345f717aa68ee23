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
  it('counts the limits of requests sent in one turn together, in one pipeline, and refuses those over', async () => {
    const prefix = `test-ratelimit-${randomBytes(6).toString('hex')}:`;
    const redis = new Redis(REDIS_URL, { keyPrefix: prefix, maxRetriesPerRequest: 1 });
    try {
      const limiter = new RateLimiter(redis);
      const pipeline = jest.spyOn(redis, 'pipeline');
      const settled = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) =>
          limiter.consume(
            [
              { key: 'ip:198.51.100.7', limit: 5 },
              { key: `phone:${i}`, limit: 1 },
            ],
            60,
          ),
        ),
      );
      expect(pipeline).toHaveBeenCalledTimes(1);
      expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(5);
      for (const refused of settled.filter((s) => s.status === 'rejected')) {
        expect(refused.reason).toBeInstanceOf(ProblemException);
        expect((refused.reason as ProblemException).code).toBe('RATE_LIMITED');
      }
      expect(await redis.get('ratelimit:ip:198.51.100.7')).toBe('8');
    } finally {
      await redis.del(
        'ratelimit:ip:198.51.100.7',
        ...Array.from({ length: 8 }, (_, i) => `ratelimit:phone:${i}`),
      );
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
      await expect(limiter.hit('login:x', 60)).resolves.toBe(0);
    } finally {
      redis.disconnect();
    }
  });
});
