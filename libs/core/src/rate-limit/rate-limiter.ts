import { Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';

import { GroupCommit, Outcome } from '../batching/group-commit';
import { ProblemException } from '../problem/problem.exception';
import { REDIS } from '../redis/redis.token';

// Fixed windows: the first hit starts a key's window, ARGV[i] milliseconds long for KEYS[i]. Returns hits
// and milliseconds left, key after key.
const HITS = `
local out = {}
for i, key in ipairs(KEYS) do
  local hits = redis.call('INCR', key)
  if hits == 1 then redis.call('PEXPIRE', key, ARGV[i]) end
  out[2 * i - 1] = hits
  out[2 * i] = redis.call('PTTL', key)
end
return out`;

// Reserves one attempt: refused (the milliseconds to wait) while a limit is full or the backoff key's
// delay runs; otherwise counts it against every limit and the backoff key, whose failures from the
// ARGV[2]-th on each set a delay doubling from ARGV[3] ms up to ARGV[4] ms. KEYS: limits, then backoff.
// ARGV: window ms, free attempts, first delay ms, longest delay ms, backoff memory ms, then each limit.
const RESERVE = `
local backoff = KEYS[#KEYS]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local wait = 0
for i = 1, #KEYS - 1 do
  if tonumber(redis.call('GET', KEYS[i]) or '0') >= tonumber(ARGV[5 + i]) then
    wait = math.max(wait, redis.call('PTTL', KEYS[i]), 1)
  end
end
local nextAt = tonumber(redis.call('HGET', backoff, 'next') or '0')
if nextAt > now then wait = math.max(wait, nextAt - now) end
if wait > 0 then return wait end
for i = 1, #KEYS - 1 do
  if redis.call('INCR', KEYS[i]) == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[1]) end
end
local failures = redis.call('HINCRBY', backoff, 'failures', 1)
local free = tonumber(ARGV[2])
if failures >= free then
  local delay = math.min(tonumber(ARGV[4]), tonumber(ARGV[3]) * 2 ^ (failures - free))
  redis.call('HSET', backoff, 'next', string.format('%d', now + delay))
end
redis.call('PEXPIRE', backoff, ARGV[5])
return 0`;

// Gives back a reservation that succeeded: its count in each limit, and the backoff key's failures.
const RELEASE = `
for i = 1, #KEYS - 1 do
  if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then redis.call('DECR', KEYS[i]) end
end
redis.call('DEL', KEYS[#KEYS])
return 0`;

export interface RateLimit {
  key: string;
  limit: number;
}

/** Failures of one kind (one account from one address) that make each further attempt wait longer. */
export interface Backoff {
  key: string;
  /** Attempts without delay; each failure from this one on doubles the wait before the next attempt. */
  freeAttempts: number;
  firstDelaySeconds: number;
  longestDelaySeconds: number;
  /** How long the failures are remembered after the last attempt. */
  memorySeconds: number;
}

/** An attempt counted in advance: release it when it succeeded, so that only failures count. */
export interface Reservation {
  release(): Promise<void>;
}

type WithHits = Redis & {
  rateLimitHits(keyCount: number, ...keysThenWindowsMs: (string | number)[]): Promise<number[]>;
  rateLimitReserve(keyCount: number, ...keysThenArgs: (string | number)[]): Promise<number>;
  rateLimitRelease(keyCount: number, ...keys: string[]): Promise<number>;
};

interface HitsCall {
  keys: string[];
  windowMs: number;
}

/**
 * Redis-backed limits, so they hold across api replicas. While Redis is unreachable they let requests
 * through: refusing a user because a cache is down would be worse than a burst.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly redis: WithHits;
  /**
   * The limits of requests handled in the same event-loop turn go to Redis in one script call: one command
   * to encode, run and answer for all of them instead of one each.
   */
  private readonly pipeline = new GroupCommit<HitsCall, number[]>((calls) => this.hitsBatched(calls), {
    maxBatch: 200,
    maxInFlight: 2,
  });

  constructor(@Inject(REDIS) redis: Redis) {
    // A defined command runs by EVALSHA: the script is sent once, not with every request.
    redis.defineCommand('rateLimitHits', { lua: HITS });
    redis.defineCommand('rateLimitReserve', { lua: RESERVE });
    redis.defineCommand('rateLimitRelease', { lua: RELEASE });
    this.redis = redis as WithHits;
  }

  /**
   * Reserves an attempt before it is judged, atomically, so that concurrent attempts cannot all pass a
   * limit that none of them has reached yet: it counts as a failure against each limit (per window) and
   * the backoff until released. Throws a 429 RATE_LIMITED problem, with how long to wait, while a limit is
   * full or the backoff's delay runs.
   */
  async reserve(limits: RateLimit[], windowSeconds: number, backoff: Backoff): Promise<Reservation> {
    const keys = [...limits.map(({ key }) => `ratelimit:${key}`), `ratelimit:${backoff.key}`];
    let waitMs: number;
    try {
      waitMs = await this.redis.rateLimitReserve(
        keys.length,
        ...keys,
        windowSeconds * 1000,
        backoff.freeAttempts,
        backoff.firstDelaySeconds * 1000,
        backoff.longestDelaySeconds * 1000,
        backoff.memorySeconds * 1000,
        ...limits.map(({ limit }) => limit),
      );
    } catch (error) {
      this.logger.warn({ err: error instanceof Error ? error.message : error }, 'rate limit not enforced');
      return { release: () => Promise.resolve() };
    }
    if (waitMs > 0) throw tooMany(waitMs);
    return {
      release: async () => {
        try {
          await this.redis.rateLimitRelease(keys.length, ...keys);
        } catch (error) {
          this.logger.warn({ err: error instanceof Error ? error.message : error }, 'reservation kept');
        }
      },
    };
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
    if (msLeft >= 0) throw tooMany(msLeft);
  }

  private hits(keys: string[], windowSeconds: number): Promise<number[]> {
    return this.pipeline.submit({
      keys: keys.map((key) => `ratelimit:${key}`),
      windowMs: windowSeconds * 1000,
    });
  }

  private async hitsBatched(calls: HitsCall[]): Promise<Outcome<number[]>[]> {
    const keys = calls.flatMap((call) => call.keys);
    const windows = calls.flatMap((call) => call.keys.map(() => call.windowMs));
    const replies = await this.redis.rateLimitHits(keys.length, ...keys, ...windows);
    let offset = 0;
    return calls.map((call) => {
      const value = replies.slice(offset, offset + 2 * call.keys.length);
      offset += value.length;
      return { ok: true, value };
    });
  }
}

function tooMany(msLeft: number): ProblemException {
  const retryAfter = String(Math.max(1, Math.ceil(msLeft / 1000)));
  return new ProblemException(429, 'RATE_LIMITED', {}, undefined, { 'retry-after': retryAfter });
}
