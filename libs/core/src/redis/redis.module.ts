import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis, { RedisOptions } from 'ioredis';

import { Caches } from '../cache/caches';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { RateLimiter } from '../rate-limit/rate-limiter';
import { REDIS } from './redis.token';

export { REDIS };

export function redisOptions(url: string): RedisOptions {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username || undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
  };
}

/** One warning when Redis goes away and one line when it is back, instead of an error per reconnect attempt. */
function reportOutages(redis: Redis): Redis {
  const logger = new Logger('Redis');
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn({ err: error.message }, 'Redis unavailable: cache, counters and rate limits degrade');
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    logger.log('Redis available again');
  });
  return redis;
}

/**
 * The cache and counter client. It fails fast instead of queueing while Redis is away, so callers
 * degrade (no cache, counters written later) rather than hang a request.
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        reportOutages(
          new Redis({
            ...redisOptions(config.redis.url),
            keyPrefix: `${config.redis.prefix}:`,
            enableOfflineQueue: false,
            maxRetriesPerRequest: 1,
            connectTimeout: 2000,
          }),
        ),
    },
    RateLimiter,
    Caches,
  ],
  exports: [REDIS, RateLimiter, Caches],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
