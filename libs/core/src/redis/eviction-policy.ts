import Redis from 'ioredis';

import { redisOptions } from './redis.module';

/** What the worker does about the Redis it was given: start, start with a warning, or refuse. */
export type EvictionPolicyVerdict =
  | { action: 'start'; policy: 'noeviction' }
  | { action: 'warn'; message: string }
  | { action: 'refuse'; policy: string; message: string };

const FIX =
  'Fix: run `redis-cli CONFIG SET maxmemory-policy noeviction` (then `CONFIG REWRITE` to keep it), or put ' +
  '`maxmemory-policy noeviction` in redis.conf and restart Redis; on a managed Redis, set the parameter ' +
  'group or configuration to noeviction.';

/**
 * Judges the answer to `CONFIG GET maxmemory-policy`: the pair `['maxmemory-policy', value]`, or the error
 * Redis answered with.
 *
 * Only `noeviction` is safe: under any other policy Redis, when full, deletes keys to make room, and a
 * deleted queue key is a lost job (a `volatile-*` policy too, since BullMQ's locks and some of its keys carry
 * a TTL). A Redis that will not answer CONFIG (managed services rename or forbid it; an ACL may deny
 * `config|get`) cannot be checked from here: the worker starts and says so, and the operator checks the
 * service's own setting.
 */
export function judgeEvictionPolicy(answer: unknown): EvictionPolicyVerdict {
  if (answer instanceof Error) {
    return {
      action: 'warn',
      message:
        `Redis refused CONFIG GET maxmemory-policy (${answer.message.split('\n')[0].slice(0, 200)}), ` +
        'as managed Redis services often do: the eviction policy cannot be checked. Make sure it is ' +
        'noeviction, or queued jobs may be evicted and lost. Starting anyway.',
    };
  }
  const pair: unknown[] = Array.isArray(answer) ? answer : [];
  const policy = pair[0] === 'maxmemory-policy' ? pair[1] : undefined;
  if (typeof policy !== 'string') {
    return {
      action: 'warn',
      message:
        'Redis did not report maxmemory-policy (CONFIG GET answered nothing): the eviction policy cannot be ' +
        'checked. Make sure it is noeviction, or queued jobs may be evicted and lost. Starting anyway.',
    };
  }
  if (policy === 'noeviction') return { action: 'start', policy };
  return {
    action: 'refuse',
    policy,
    message:
      `Redis maxmemory-policy is "${policy}": when Redis is full it evicts keys, and an evicted queue key is ` +
      `a lost job. The worker refuses to start. ${FIX}`,
  };
}

/**
 * Asks the Redis at `url` for its eviction policy and judges it. Waits for Redis if it is down (the worker can
 * do nothing without it), telling `onWait` once, rather than starting unchecked.
 */
export async function checkEvictionPolicy(
  url: string,
  onWait: (message: string) => void = () => undefined,
): Promise<EvictionPolicyVerdict> {
  const client = new Redis({
    ...redisOptions(url),
    lazyConnect: true,
    // Commands wait in the offline queue until Redis answers, however long that takes.
    maxRetriesPerRequest: null,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 500, 5000),
  });
  let told = false;
  client.on('error', (error: Error) => {
    if (told) return;
    told = true;
    onWait(`Redis is not reachable (${error.message}); waiting for it to check maxmemory-policy`);
  });
  try {
    client.connect().catch(() => undefined);
    return judgeEvictionPolicy(await client.config('GET', 'maxmemory-policy').catch((error: Error) => error));
  } finally {
    client.disconnect();
  }
}
