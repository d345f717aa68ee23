import { Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';

import { GroupCommit, Outcome } from '../batching/group-commit';
import { ProblemException } from '../problem/problem.exception';
import { REDIS } from '../redis/redis.token';

// Fixed windows: the first hit starts a key's window. Returns hits and milliseconds left, key after key.
const HITS = `
local out = {}
for i, key in ipairs(KEYS) do
  local hits = redis.call('INCR', key)
  if hits == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
  out[2 * i - 1] = hits
  out[2 * i] = redis.call('PTTL', key)
end
return out`;

export interface RateLimit {
  key: string;
  limit: number;
}

type WithHits = Redis & {
  rateLimitHits(keyCount: number, ...keysThenWindowMs: (string | number)[]): Promise<number[]>;
};

interface HitsCall {
  keys: string[];
  windowMs: number;
}

/**
 * Redis-backed limits, so they hold across api replicas. While Redis is unreachable they let requests
 * through: refusing a job seeker because a cache is down would be worse than a burst.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly redis: WithHits;
  /**
   * The limits of requests handled in the same event-loop turn go to Redis in one pipeline: one socket
   * write and one read for all of them instead of one each.
   */
  private readonly pipeline = new GroupCommit<HitsCall, number[]>((calls) => this.hitsPipelined(calls), {
    maxBatch: 200,
    maxInFlight: 2,
  });

  constructor(@Inject(REDIS) redis: Redis) {
    // A defined command runs by EVALSHA: the script is sent once, not with every request.
    redis.defineCommand('rateLimitHits', { lua: HITS });
    this.redis = redis as WithHits;
  }

  /** Counts one event against `key` (fail-open like consume). */
  async hit(key: string, windowSeconds: number): Promise<number> {
    try {
      const [hits] = await this.hits([key], windowSeconds);
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

  /**
   * Counts one event against each limit, in one round trip, and throws a 429 RATE_LIMITED problem when any
   * of them has been hit more than its `limit` times in the window.
   */
  async consume(limits: RateLimit[], windowSeconds: number): Promise<void> {
    let result: number[];
    try {
      result = await this.hits(
        limits.map(({ key }) => key),
        windowSeconds,
      );
    } catch (error) {
      this.logger.warn({ err: error instanceof Error ? error.message : error }, 'rate limit not enforced');
      return;
    }
    const msLeft = limits
      .map(({ limit }, i) => (result[2 * i] > limit ? result[2 * i + 1] : -1))
      .reduce((longest, ms) => Math.max(longest, ms), -1);
    if (msLeft >= 0) {
      const retryAfter = String(Math.max(1, Math.ceil(msLeft / 1000)));
      throw new ProblemException(429, 'RATE_LIMITED', {}, undefined, { 'retry-after': retryAfter });
    }
  }

  private hits(keys: string[], windowSeconds: number): Promise<number[]> {
    return this.pipeline.submit({
      keys: keys.map((key) => `ratelimit:${key}`),
      windowMs: windowSeconds * 1000,
    });
  }

  private async hitsPipelined(calls: HitsCall[]): Promise<Outcome<number[]>[]> {
    if (calls.length === 1) {
      const [{ keys, windowMs }] = calls;
      return [{ ok: true, value: await this.redis.rateLimitHits(keys.length, ...keys, windowMs) }];
    }
    const pipeline = this.redis.pipeline() as unknown as {
      rateLimitHits(keyCount: number, ...keysThenWindowMs: (string | number)[]): void;
      exec(): Promise<[Error | null, unknown][] | null>;
    };
    for (const { keys, windowMs } of calls) pipeline.rateLimitHits(keys.length, ...keys, windowMs);
    const replies = await pipeline.exec();
    if (!replies) throw new Error('rate limit pipeline discarded');
    return replies.map(([error, value]) =>
      error ? { ok: false, error } : { ok: true, value: value as number[] },
    );
  }
}
