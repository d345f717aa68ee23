/**
 * One way to cache a read and one way to end it: by events that the writer announces once.
 *
 * An event is declared once, by the lib that owns the data it is about, and announced by the code that
 * writes that data, inside the transaction that writes it:
 *
 *   export const PRODUCT_CHANGED = cacheEvent('catalogue.product');
 *   await caches.announce(PRODUCT_CHANGED, tx);
 *
 * With `tx` in a transaction, caches end when it commits (not at all if it rolls back); without, at once.
 * Either way they end in this process first, then in every other process (api replicas, the worker).
 *
 * A cached read names its key, its max age and the events that end it. A service defines its caches once, in
 * its constructor, and reads through them (bypassing one is just calling `compute` yourself):
 *
 *   this.pages = caches.define<Page>({ name: 'pages', maxAgeMs: 1000, endedBy: [PRODUCT_CHANGED] });
 *   return this.pages.get(`${category}:${limit}`, () => this.readPage(category, limit));
 *
 * - In this process's memory (the default): an entry is returned as it was stored, not copied, so treat it
 *   as immutable (memoising something derived from it on it is fine). Concurrent misses of a key share one
 *   computation. Other processes hear of an announcement through Redis pub/sub; a process that lost its
 *   subscription drops every event-ended entry when it is back, since it may have missed some.
 * - `shared: true`: entries live in Redis as JSON, one copy for every process, read in one round trip
 *   together with the generations of their events; an announcement increments those generations, so no
 *   entry computed before it is served after it. Keys are hashed, so any string will do.
 * - `maxAgeMs`: how long an entry is served. `Infinity` keeps it until an event ends it (memory only);
 *   0 turns the cache off.
 * - A value of `undefined` is never kept: an unknown id is asked again next time.
 * - A cache never fails the read or the write it serves. With Redis away, shared reads compute every time,
 *   and an announcement ends this process's entries only: elsewhere they last their max age.
 *
 * What cannot be cached (an export of a million rows) can still be versioned: `caches.version(events)` is a
 * token that changes with every announcement of those events, for an HTTP ETag, without reading the data.
 *
 * A lib that must write when another's data changes reacts to the event inside the announcer's
 * transaction; the announcer awaits every reaction and fails with it, and never names the reacting lib:
 *
 *   export const PRICES_CHANGED = cacheEvent<{ skus: string[] }>('catalogue.prices');
 *   caches.react(PRICES_CHANGED, (tx, { skus }) => this.repository.recomputeTotals(tx, skus));
 *   await caches.announce(PRICES_CHANGED, tx, { skus });
 */
import { createHash, randomUUID } from 'node:crypto';

import { Inject, Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Redis from 'ioredis';
import type { DataSource, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';

import type { Tx } from '../audit/audit-log';
import { ReplicaReads } from '../database/replica-reads';
import { REDIS } from '../redis/redis.token';

/** A change that ends caches; `P` is what its reactions are given. */
export interface CacheEvent<P = void> {
  readonly name: string;
  /** Never set: it only tells the compiler what the event carries. */
  readonly payloadType?: P;
}

export function cacheEvent<P = void>(name: string): CacheEvent<P> {
  return { name };
}

export interface CacheOptions {
  /** Unique per cache: part of its Redis keys. */
  name: string;
  maxAgeMs: number;
  /** The events after which no entry computed before them is served. */
  endedBy?: readonly CacheEvent<unknown>[];
  /** In Redis for every process, instead of in this process's memory. */
  shared?: boolean;
  /** Memory only: past this many keys the oldest entry is dropped. */
  maxEntries?: number;
  /**
   * Memory only: the first read within this many milliseconds of an entry's max age is still served the entry
   * and recomputes it in the background, so that under steady reads nobody waits for a hot entry's
   * recomputation. No entry is served past its max age either way.
   */
  refreshAheadMs?: number;
}

export interface CachedRead<T> {
  /** The entry under `key` if younger than the max age and not ended by an event; else `compute()`. */
  get(key: string, compute: () => Promise<T>): Promise<T>;
}

type Reaction = (tx: Tx, payload: unknown) => Promise<void>;

const DEFAULT_MAX_ENTRIES = 1000;
const generationKey = (event: string) => `cache:event:${event}`;
const changedAtKey = (event: string) => `cache:event-at:${event}`;
/** The primary's WAL position after an event's last announcement (only with read replicas). */
const positionKey = (event: string) => `cache:event-wal:${event}`;
// Positions only grow: an announcement that committed earlier but reports later leaves the later one.
const RAISE_POSITION = `
local current = redis.call('GET', KEYS[1])
if not current or current < ARGV[1] then redis.call('SET', KEYS[1], ARGV[1]) end
return 0`;
/** Names this Redis's generations: a flushed Redis starts them again from 0 under a new epoch. */
const EPOCH_KEY = 'cache:epoch';

/** Where a set of events stands: see `Caches.version`. */
export interface EventsVersion {
  /** Changes with every announcement of any of the events, once its transaction has committed. */
  token: string;
  /** When one of them was last announced; null when none has been since Redis last started afresh. */
  changedAt: Date | null;
}

@Injectable()
export class Caches implements OnApplicationShutdown {
  private readonly logger = new Logger(Caches.name);
  /** Names this process in its own broadcasts, which it has already acted on. */
  private readonly origin = randomUUID();
  private readonly channel: string;
  private readonly subscriber: Redis;
  private readonly endedBy = new Map<string, Endable[]>();
  private readonly reactions = new Map<string, Reaction[]>();
  /** Events announced inside a transaction that is still open, by its query runner. */
  private readonly pending = new WeakMap<QueryRunner, Set<string>>();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Optional() @InjectDataSource() dataSource?: DataSource,
    @Optional() private readonly replicas?: ReplicaReads,
  ) {
    this.channel = `${redis.options.keyPrefix ?? ''}cache:ended`;
    this.subscriber = this.subscribe();
    dataSource?.subscribers.push({
      afterTransactionCommit: (event: TransactionCommitEvent) => this.committed(event.queryRunner),
      afterTransactionRollback: (event: TransactionRollbackEvent) => this.rolledBack(event.queryRunner),
    });
  }

  define<T>(options: CacheOptions): CachedRead<T> {
    const cache = options.shared
      ? new SharedCache<T>(this.redis, options, this.replicas)
      : new MemoryCache<T>(
          options.maxAgeMs,
          options.maxEntries ?? DEFAULT_MAX_ENTRIES,
          options.refreshAheadMs ?? 0,
        );
    for (const event of options.endedBy ?? []) {
      this.endedBy.set(event.name, [...(this.endedBy.get(event.name) ?? []), cache]);
    }
    return cache;
  }

  /** Runs `reaction` in the transaction of every announcement of `event`, in this process. */
  react<P>(event: CacheEvent<P>, reaction: (tx: Tx, payload: P) => Promise<void>): void {
    this.reactions.set(event.name, [...(this.reactions.get(event.name) ?? []), reaction as Reaction]);
  }

  /** Fails only if a reaction fails; ending the caches never does. */
  announce(event: CacheEvent, tx?: Tx): Promise<void>;
  announce<P>(event: CacheEvent<P>, tx: Tx, payload: P): Promise<void>;
  async announce(event: CacheEvent<unknown>, tx?: Tx, payload?: unknown): Promise<void> {
    const reactions = this.reactions.get(event.name) ?? [];
    if (reactions.length > 0 && !tx) {
      throw new Error(`${event.name} has reactions: announce it in a transaction`);
    }
    for (const reaction of reactions) await reaction(tx!, payload);
    const runner = tx?.queryRunner;
    if (runner?.isTransactionActive) {
      const events = this.pending.get(runner) ?? new Set<string>();
      this.pending.set(runner, events.add(event.name));
      return;
    }
    await this.end([event.name]);
  }

  /**
   * A token for what `events` have announced so far, to version data too large to read just to tell whether
   * they changed (the HTTP ETag of an export, say). It changes after every announcement of one of them has committed, so read
   * it before the data it stands for (data read after it are at least as new). One Redis round trip;
   * undefined when Redis is away, when no version can be vouched for. An announcement that Redis missed
   * (it was away at that moment) leaves the token as it was: bound how long a caller trusts it.
   */
  async version(events: readonly CacheEvent<unknown>[]): Promise<EventsVersion | undefined> {
    try {
      const results = await this.redis
        .pipeline()
        .set(EPOCH_KEY, randomUUID(), 'NX')
        .mget(
          EPOCH_KEY,
          ...events.map((event) => generationKey(event.name)),
          ...events.map((event) => changedAtKey(event.name)),
        )
        .exec();
      const [error, values] = results?.[1] ?? [new Error('no answer')];
      if (error) throw error;
      const [epoch, ...rest] = values as (string | null)[];
      const generations = rest.slice(0, events.length).map((generation) => generation ?? '0');
      const times = rest
        .slice(events.length)
        .map(Number)
        .filter((time) => time > 0);
      return {
        token: `${epoch}:${generations.join(',')}`,
        changedAt: times.length ? new Date(Math.max(...times)) : null,
      };
    } catch {
      return undefined;
    }
  }

  onApplicationShutdown(): void {
    this.subscriber.disconnect();
  }

  private async committed(runner: QueryRunner): Promise<void> {
    // A savepoint released inside the transaction: nothing is visible to others yet.
    if (runner.isTransactionActive) return;
    const events = this.pending.get(runner);
    this.pending.delete(runner);
    if (events) await this.end([...events]);
  }

  private rolledBack(runner: QueryRunner): void {
    if (!runner.isTransactionActive) this.pending.delete(runner);
  }

  private async end(events: string[]): Promise<void> {
    // With read replicas: reads after these events wait for a replica to replay this commit (ReplicaReads),
    // fenced here before the entries end, and in other processes before the announcement reaches them.
    const position = await this.replicas?.positionAfter(events);
    this.endHere(events);
    try {
      const pipeline = this.redis.pipeline();
      const now = String(Date.now());
      for (const event of events) {
        if (position) pipeline.eval(RAISE_POSITION, 1, positionKey(event), position);
        pipeline.incr(generationKey(event)).set(changedAtKey(event), now);
      }
      pipeline.publish(this.channel, JSON.stringify({ origin: this.origin, events, position }));
      const results = await pipeline.exec();
      const failed = results?.find(([error]) => error)?.[0];
      if (failed) throw failed;
    } catch (error) {
      this.logger.warn(
        { err: error instanceof Error ? error.message : error, events },
        'Cache events not sent: other processes keep their entries until they expire',
      );
    }
  }

  private endHere(events: string[]): void {
    for (const event of events) for (const cache of this.endedBy.get(event) ?? []) cache.end();
  }

  private subscribe(): Redis {
    const subscriber = this.redis.duplicate();
    let subscribedBefore = false;
    subscriber.on('error', () => undefined);
    subscriber.on('ready', () => {
      subscriber
        .subscribe(this.channel)
        .then(() => {
          // Announcements made while this process was not listening may have been missed.
          if (subscribedBefore) this.endHere([...this.endedBy.keys()]);
          subscribedBefore = true;
        })
        .catch(() => undefined);
    });
    subscriber.on('message', (_channel: string, message: string) => {
      try {
        const { origin, events, position } = JSON.parse(message) as {
          origin: string;
          events: string[];
          position?: string;
        };
        if (origin === this.origin) return;
        if (position) this.replicas?.raiseFences(events, position);
        this.endHere(events);
      } catch {
        // Not one of ours.
      }
    });
    return subscriber;
  }
}

interface Endable {
  end(): void;
}

interface MemoryEntry<T> {
  value: Promise<T>;
  /** When its computation started. */
  at: number;
  refreshing?: boolean;
}

class MemoryCache<T> implements CachedRead<T>, Endable {
  private readonly entries = new Map<string, MemoryEntry<T>>();

  constructor(
    private readonly maxAgeMs: number,
    private readonly maxEntries: number,
    private readonly refreshAheadMs: number,
  ) {}

  get(key: string, compute: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.maxAgeMs) {
      const due = now - hit.at >= this.maxAgeMs - this.refreshAheadMs;
      if (due && !hit.refreshing) this.refresh(key, hit, compute);
      return hit.value;
    }
    if (this.maxAgeMs <= 0) return compute();
    const entry: MemoryEntry<T> = { value: compute(), at: now };
    this.entries.delete(key);
    this.entries.set(key, entry);
    const forget = () => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    };
    // Only a value that is kept pushes the oldest out: a lookup that finds nothing evicts nothing.
    entry.value.then((value) => (value === undefined ? forget() : this.trim()), forget);
    return entry.value;
  }

  /** Replaces `stale` with a new computation's value once it has one, unless an event ended `stale` meanwhile. */
  private refresh(key: string, stale: MemoryEntry<T>, compute: () => Promise<T>): void {
    stale.refreshing = true;
    const at = Date.now();
    compute().then(
      (value) => {
        if (this.entries.get(key) !== stale) return;
        this.entries.delete(key);
        if (value !== undefined) this.entries.set(key, { value: Promise.resolve(value), at });
      },
      // It ages out as usual, and the next read past its max age computes (and fails) in the open.
      () => undefined,
    );
  }

  private trim(): void {
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Pending computations go too: they may have read what the event changed. */
  end(): void {
    this.entries.clear();
  }
}

class SharedCache<T> implements CachedRead<T>, Endable {
  private readonly keyPrefix: string;
  private readonly events: string[];
  private readonly generationKeys: string[];
  private readonly positionKeys: string[];
  private readonly inFlight = new Map<string, Promise<T>>();

  constructor(
    private readonly redis: Redis,
    private readonly options: CacheOptions,
    private readonly replicas?: ReplicaReads,
  ) {
    if (!Number.isFinite(options.maxAgeMs))
      throw new Error(`Shared cache ${options.name} needs a finite max age`);
    this.keyPrefix = `cache:${options.name}:`;
    this.events = (options.endedBy ?? []).map((event) => event.name);
    this.generationKeys = this.events.map(generationKey);
    this.positionKeys = replicas?.enabled ? this.events.map(positionKey) : [];
  }

  get(key: string, compute: () => Promise<T>): Promise<T> {
    if (this.options.maxAgeMs <= 0) return compute();
    const redisKey = this.keyPrefix + createHash('sha1').update(key).digest('base64url');
    // Concurrent misses of one key in this process share a single computation.
    const pending = this.inFlight.get(redisKey);
    if (pending) return pending;
    const lookup = this.lookup(redisKey, compute).finally(() => {
      if (this.inFlight.get(redisKey) === lookup) this.inFlight.delete(redisKey);
    });
    this.inFlight.set(redisKey, lookup);
    return lookup;
  }

  /** Entries are checked against the generations in Redis; only new lookups need to start afresh. */
  end(): void {
    this.inFlight.clear();
  }

  private async lookup(redisKey: string, compute: () => Promise<T>): Promise<T> {
    let generations: string;
    try {
      const [entry, ...rest] = await this.redis.mget(redisKey, ...this.generationKeys, ...this.positionKeys);
      const current = rest.slice(0, this.generationKeys.length);
      // Read before computing: an event announced meanwhile leaves what is stored below already stale.
      generations = current.map((generation) => generation ?? '0').join(',');
      // The generations may be newer than this process has heard of: its replica reads must be as new.
      rest.slice(this.generationKeys.length).forEach((position, i) => {
        if (position) this.replicas!.raiseFences([this.events[i]], position);
      });
      if (entry) {
        const cached = JSON.parse(entry) as { generations: string; value: T };
        if (cached.generations === generations) return cached.value;
      }
    } catch {
      return compute();
    }
    const value = await compute();
    if (value !== undefined) {
      this.redis
        .set(redisKey, JSON.stringify({ generations, value }), 'PX', this.options.maxAgeMs)
        .catch(() => undefined);
    }
    return value;
  }
}
