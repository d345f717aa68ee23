import { createHash } from 'node:crypto';

import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Pool, PoolConfig } from 'pg';
import { Counter, Gauge } from 'prom-client';
import { DataSource } from 'typeorm';

import type { CacheEvent } from '../cache/caches';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.token';
import { metricsRegistry } from '../metrics/metrics';
import { primaryPool } from './primary-pool';

/** How often the primary's WAL position and each replica's replay position are read. */
const CHECK_EVERY_MS = 500;
/** A replica that does not answer its check within this is taken out until it does. */
const CHECK_TIMEOUT_MS = 2000;
/** A replica that cannot be connected to within this fails the read, which the primary then serves. */
const CONNECT_TIMEOUT_MS = 2000;
/**
 * Distinct statements run as named prepared statements, parsed and planned once per connection; further ones
 * run unnamed, so that a connection never holds more than this many (each costs its server process memory).
 */
const MAX_PREPARED_STATEMENTS = 200;

/** Whether a read may be served by a streaming replica ('replica') or must see every commit ('primary'). */
export type ReadFrom = 'primary' | 'replica';

/** What runs a read: the `query` of a DataSource, of a transaction's manager, or of a replica reader. */
export interface Reader {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the same signature as DataSource.query
  query<T = any>(sql: string, parameters?: unknown[]): Promise<T>;
}

export interface ReplicaReadOptions {
  /**
   * The cache events that announce changes of what the read shows: a replica serves it only once it has
   * replayed the commit of their last announcement, so a change that ended a cache never comes back from a
   * replica.
   */
  after?: readonly CacheEvent<unknown>[];
}

/** A write-ahead log position (`pg_lsn`, written `16/B374D848`) as a number. */
export function parseLsn(text: string): bigint {
  const match = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i.exec(text);
  if (!match) throw new Error(`not a WAL position: ${text}`);
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

/** A WAL position as 16 hex digits: positions compare as strings do (Redis scripts compare them so). */
export function lsnText(lsn: bigint): string {
  return lsn.toString(16).toUpperCase().padStart(16, '0');
}

/**
 * What the primary had flushed, when: a replica is as old as the newest of these it has replayed. On an idle
 * primary the position stands still and a replica that has replayed it is current however long ago that
 * was, which the replay timestamp (`pg_last_xact_replay_timestamp()`, the time of the last commit) would
 * not tell.
 */
export class PrimaryPositions {
  private samples: { at: number; lsn: bigint }[] = [];

  constructor(private readonly keepMs: number) {}

  /** `lsn` was flushed at `at` at the latest (the time the question was sent). */
  record(at: number, lsn: bigint): void {
    this.samples.push({ at, lsn });
    const oldest = at - this.keepMs;
    while (this.samples.length > 1 && this.samples[0].at < oldest) this.samples.shift();
  }

  /** Milliseconds since the primary's newest state that `replayed` includes; Infinity when none is known. */
  lagMs(replayed: bigint, now: number): number {
    for (let i = this.samples.length - 1; i >= 0; i--) {
      if (this.samples[i].lsn <= replayed) return Math.max(0, now - this.samples[i].at);
    }
    return Infinity;
  }
}

/** One replica as the last check found it. */
export interface ReplicaStatus {
  up: boolean;
  /** Replayed up to here (0 before the first check). */
  replayed: bigint;
  lagMs: number;
}

/** The replica to read from: one that is up, within the lag bound and past `required`, taken in turn. */
export function chooseReplica<R extends ReplicaStatus>(
  replicas: readonly R[],
  required: bigint,
  maxLagMs: number,
  turn: number,
): R | undefined {
  const usable = replicas.filter((r) => r.up && r.lagMs <= maxLagMs && r.replayed >= required);
  return usable.length ? usable[turn % usable.length] : undefined;
}

/**
 * Whether a failed read should be served by the primary instead: anything but an error of the statement
 * itself (syntax, data, constraint: SQLSTATE classes 22, 23, 42), which the primary would answer the same.
 * Lost or refused connections, a replica shutting down or not yet holding the database, and hot standby
 * conflicts (`canceling statement due to conflict with recovery`) all are.
 */
export function isReplicaFailure(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return !(typeof code === 'string' && /^(22|23|42)[0-9A-Z]{3}$/.test(code));
}

interface Replica extends ReplicaStatus {
  /** host:port/database, for logs (never the password). */
  readonly name: string;
  readonly pool: Pool;
  /** One connection of its own for the checks, so that they never queue behind reads. */
  readonly checks: Pool;
  usable: boolean;
}

const lagGauge = new Gauge({
  name: 'xkld_db_replica_lag_seconds',
  help: 'How far each read replica is behind the primary, as last checked (-1: down)',
  labelNames: ['replica'] as const,
  registers: [metricsRegistry],
  // Each api process checks on its own: the worst of them.
  aggregator: 'max',
});
const reads = new Counter({
  name: 'xkld_db_replica_reads_total',
  help: 'Reads that could go to a replica, by where they were served',
  labelNames: ['served_by'] as const,
  registers: [metricsRegistry],
});

/**
 * Public reads on streaming replicas (DATABASE_REPLICA_URLS), everything else on the primary.
 *
 * Only reads that may show slightly older data go through here (the libs choose them: public pages). Writes,
 * a user's reads of what they just wrote and every read a write decides on use the DataSource, which is the
 * primary. A read goes to a replica that answered its last check,
 * is no further behind than DATABASE_REPLICA_MAX_LAG_SECONDS and has replayed the last announcement of the
 * read's events (`after`); otherwise, or when the replica fails it, to the primary. So a change whose event
 * the read names is seen by the next read whatever the replicas' lag, and other data are at most the lag
 * bound old.
 *
 * The replicas' pools are this class's own rather than TypeORM's `replication.slaves`: TypeORM connects to
 * every slave when the data source starts (one replica down stops the api from starting), picks one at
 * random whatever its state, and sends query-builder reads outside transactions to slaves by default.
 */
@Injectable()
export class ReplicaReads implements OnApplicationShutdown {
  private readonly logger = new Logger(ReplicaReads.name);
  readonly enabled: boolean;
  private readonly replicas: Replica[];
  private readonly maxLagMs: number;
  /** The WAL position each event's last announcement committed at, as far as this process has heard. */
  private readonly fences = new Map<string, bigint>();
  private readonly primary: PrimaryPositions;
  private readonly primaryChecks?: Pool;
  private timer?: NodeJS.Timeout;
  private checking?: Promise<void>;
  private turn = 0;
  /** Statement text → its prepared statement's name (see MAX_PREPARED_STATEMENTS). */
  private readonly statementNames = new Map<string, string>();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    const { urls, maxLagSeconds } = config.databaseReplicas;
    this.maxLagMs = maxLagSeconds * 1000;
    this.primary = new PrimaryPositions(this.maxLagMs + 10 * CHECK_EVERY_MS);
    this.enabled = urls.length > 0;
    this.replicas = this.enabled ? urls.map((url) => replica(url, this.logger)) : [];
    if (this.enabled) this.primaryChecks = pool(config.databaseUrl, 1, this.logger);
  }

  /** A reader for repositories: `(reader ?? this.dataSource).query(sql, params)`. */
  reader(options: ReplicaReadOptions = {}): Reader {
    return { query: (sql, parameters) => this.query(sql, parameters, options) };
  }

  /**
   * Runs a read on a replica when one qualifies (see the class), else on the primary; returns its rows. Reads
   * skip TypeORM's query runner and run as prepared statements: the public pages repeat a few statements.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the same signature as DataSource.query
  async query<T = any>(sql: string, parameters?: unknown[], options: ReplicaReadOptions = {}): Promise<T> {
    const statement = { text: sql, values: parameters, name: this.statementName(sql) };
    const replica = this.choose(options.after ?? []);
    if (replica) {
      try {
        const result = await replica.pool.query(statement);
        reads.inc({ served_by: 'replica' });
        return result.rows as T;
      } catch (error) {
        if (!isReplicaFailure(error)) throw error;
        replica.up = false;
        this.report(replica, `read failed: ${message(error)}`);
      }
    }
    if (this.enabled) reads.inc({ served_by: 'primary' });
    return (await primaryPool(this.dataSource).query(statement)).rows as T;
  }

  private statementName(sql: string): string | undefined {
    let name = this.statementNames.get(sql);
    if (!name && this.statementNames.size < MAX_PREPARED_STATEMENTS) {
      name = `read_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
      this.statementNames.set(sql, name);
    }
    return name;
  }

  /**
   * Where the primary's WAL is now, after a commit that announced `events`: replicas serve reads after them
   * only from this position on. Raises the fences in this process and returns the position to pass on to
   * the others (`raiseFences`); undefined without replicas, or when the primary did not answer (reads after
   * the events are then bounded by the lag alone).
   */
  async positionAfter(events: readonly string[]): Promise<string | undefined> {
    if (!this.enabled) return undefined;
    try {
      const [{ lsn }]: { lsn: string }[] = await this.dataSource.query(
        'SELECT pg_current_wal_insert_lsn()::text AS lsn',
      );
      const position = lsnText(parseLsn(lsn));
      this.raiseFences(events, position);
      return position;
    } catch (error) {
      this.logger.warn(
        { err: message(error), events },
        'WAL position unknown: replicas may lag these events',
      );
      return undefined;
    }
  }

  /** What another process announced (`positionAfter`), or what Redis holds for a cache's events. */
  raiseFences(events: readonly string[], position: string): void {
    if (!this.enabled || !/^[0-9A-F]{16}$/.test(position)) return;
    const lsn = BigInt(`0x${position}`);
    for (const event of events) {
      if ((this.fences.get(event) ?? 0n) < lsn) this.fences.set(event, lsn);
    }
  }

  /** Each replica as the last check found it: whether it is read, and how far behind it was. */
  status(): { replica: string; used: boolean; lagSeconds: number | null }[] {
    return this.replicas.map((replica) => ({
      replica: replica.name,
      used: replica.usable,
      lagSeconds: replica.up && Number.isFinite(replica.lagMs) ? replica.lagMs / 1000 : null,
    }));
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.checking;
    await Promise.all(
      [...this.replicas.flatMap((r) => [r.pool, r.checks]), this.primaryChecks]
        .filter((p) => !!p)
        .map((p) => p.end().catch(() => undefined)),
    );
  }

  private choose(after: readonly CacheEvent<unknown>[]): Replica | undefined {
    if (!this.enabled) return undefined;
    // Checks start with the first read that could use a replica: a worker that never reads costs nothing.
    if (!this.timer) {
      this.timer = setInterval(() => this.startCheck(), CHECK_EVERY_MS).unref();
      this.startCheck();
    }
    let required = 0n;
    for (const event of after) {
      const fence = this.fences.get(event.name);
      if (fence !== undefined && fence > required) required = fence;
    }
    return chooseReplica(this.replicas, required, this.maxLagMs, this.turn++);
  }

  private startCheck(): void {
    this.checking ??= this.check().finally(() => (this.checking = undefined));
  }

  private async check(): Promise<void> {
    const asked = Date.now();
    try {
      const { rows } = await withTimeout(
        this.primaryChecks!.query<{ lsn: string }>('SELECT pg_current_wal_flush_lsn()::text AS lsn'),
      );
      this.primary.record(asked, parseLsn(rows[0].lsn));
    } catch (error) {
      // Without the primary's position the lags grow from the last one known, as they should.
      this.logger.warn({ err: message(error) }, 'primary WAL position not read');
    }
    await Promise.all(
      this.replicas.map(async (replica) => {
        let reason: string | undefined;
        try {
          const { rows } = await withTimeout(
            replica.checks.query<{ standby: boolean; replayed: string | null }>(
              'SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS replayed',
            ),
          );
          const [{ standby, replayed }] = rows;
          if (!standby || !replayed) {
            replica.up = false;
            reason = 'not a standby (promoted, or not a replica)';
          } else {
            replica.up = true;
            replica.replayed = parseLsn(replayed);
            replica.lagMs = this.primary.lagMs(replica.replayed, Date.now());
            if (replica.lagMs > this.maxLagMs) reason = `lags ${formatLag(replica.lagMs)}`;
          }
        } catch (error) {
          replica.up = false;
          reason = `check failed: ${message(error)}`;
        }
        lagGauge.set({ replica: replica.name }, replica.up ? Math.min(replica.lagMs / 1000, 1e6) : -1);
        this.report(replica, reason);
      }),
    );
  }

  /** One log line when a replica stops or starts being read, not one per check. */
  private report(replica: Replica, reason: string | undefined): void {
    const usable = replica.up && replica.lagMs <= this.maxLagMs;
    if (usable === replica.usable) return;
    replica.usable = usable;
    if (usable) this.logger.log({ replica: replica.name }, 'read replica in use');
    else
      this.logger.warn({ replica: replica.name, reason }, 'read replica not used: reads go to the primary');
  }
}

function replica(url: string, logger: Logger): Replica {
  const { hostname, port, pathname } = new URL(url);
  return {
    name: `${hostname}:${port || 5432}${pathname}`,
    pool: pool(url, 20, logger),
    checks: pool(url, 1, logger),
    up: false,
    usable: false,
    replayed: 0n,
    lagMs: Infinity,
  };
}

function pool(url: string, max: number, logger: Logger): Pool {
  const options: PoolConfig = {
    connectionString: url,
    max,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'xkld',
  };
  const created = new Pool(options);
  // An idle connection that breaks (a replica restarting) must not end the process.
  created.on('error', (error) => logger.warn({ err: error.message }, 'replica connection lost'));
  return created;
}

async function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function formatLag(ms: number): string {
  return Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : 'by more than it has been watched';
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
