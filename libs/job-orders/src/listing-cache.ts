import { createHash } from 'node:crypto';

import { AppConfig, APP_CONFIG, REDIS } from '@app/core';
import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';

const VERSION = 'listings:version';
const entryKey = (hash: string) => `listings:page:${hash}`;

/**
 * Short-lived cache of public listing pages. Every entry records the listings version it was computed
 * under; any write that changes what the public sees bumps the version, so no entry outlives the change.
 * Entry and version are read in one round trip. Redis being down only means no cache.
 */
@Injectable()
export class ListingCache {
  private readonly ttlSeconds: number;
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.ttlSeconds = config.listingCacheTtlSeconds;
  }

  async getOrCompute<T>(query: object, compute: () => Promise<T>): Promise<T> {
    if (this.ttlSeconds === 0) return compute();
    const key = entryKey(createHash('sha1').update(canonicalJson(query)).digest('base64url'));
    // Concurrent misses of one page in this process share a single computation.
    const pending = this.inFlight.get(key) as Promise<T> | undefined;
    if (pending) return pending;
    const lookup = this.lookup(key, compute).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, lookup);
    return lookup;
  }

  private async lookup<T>(key: string, compute: () => Promise<T>): Promise<T> {
    let version = '0';
    try {
      const [entry, current] = await this.redis.mget(key, VERSION);
      version = current ?? '0';
      if (entry) {
        const cached = JSON.parse(entry) as { version: string; value: T };
        if (cached.version === version) return cached.value;
      }
    } catch {
      return compute();
    }
    const value = await compute();
    this.redis.set(key, JSON.stringify({ version, value }), 'EX', this.ttlSeconds).catch(() => undefined);
    return value;
  }

  /**
   * Call after any change to what the public listings show (licence status, publication, takedown). It never
   * fails the change it follows: with Redis away there is no cache to serve, and entries expire with their TTL.
   */
  async invalidate(): Promise<void> {
    await this.redis.incr(VERSION).catch(() => undefined);
  }
}

function canonicalJson(value: object): string {
  return JSON.stringify(
    Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}
