import { Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';

import { ProblemException } from '../problem/problem.exception';
import { REDIS } from '../redis/redis.token';

// Fixed window: the first hit starts the window; returns [hits, milliseconds left].
const HIT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { hits, redis.call('PTTL', KEYS[1]) }`;

/**
 * Redis-backed limits, so they hold across api replicas. While Redis is unreachable they let requests
 * through: refusing a job seeker because a cache is down would be worse than a burst.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger(RateLimiter.name);

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** Counts one event against `key` (fail-open like consume). */
  async hit(key: string, windowSeconds: number): Promise<number> {
    try {
      const [hits] = (await this.redis.eval(HIT, 1, `ratelimit:${key}`, windowSeconds * 1000)) as [
        number,
        number,
      ];
      return hits;
    } catch (error) {
      this.logger.warn({ err: error instanceof Error ? error.message : error }, 'rate limit not recorded');
      return 0;
    }
  }

  /** Whether `key` has reached `limit` events in its current window. */
  async isOver(key: string, limit: number): Promise<boolean> {
    try {
      return Number((await this.redis.get(`ratelimit:${key}`)) ?? 0) >= limit;
    } catch {
      return false;
    }
  }

  /** Throws a 429 RATE_LIMITED problem once `key` has been hit more than `limit` times in the window. */
  async consume(key: string, limit: number, windowSeconds: number): Promise<void> {
    let result: [number, number];
    try {
      result = (await this.redis.eval(HIT, 1, `ratelimit:${key}`, windowSeconds * 1000)) as [number, number];
    } catch (error) {
      this.logger.warn({ err: error instanceof Error ? error.message : error }, 'rate limit not enforced');
      return;
    }
    const [hits, msLeft] = result;
    if (hits > limit) {
      const retryAfter = String(Math.max(1, Math.ceil(msLeft / 1000)));
      throw new ProblemException(429, 'RATE_LIMITED', {}, undefined, { 'retry-after': retryAfter });
    }
  }
}
