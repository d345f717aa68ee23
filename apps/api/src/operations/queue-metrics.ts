import { metricsRegistry } from '@app/core';
import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { Gauge } from 'prom-client';

import { SYSTEM_QUEUES, SystemQueues } from './system-queues';

/** A scrape waits at most this long for Redis; the queue series are then left out, and `up` says 0. */
export const QUEUE_SCRAPE_TIMEOUT_MS = 1000;

export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * Every queue's counts and its oldest waiting job, in one round trip whatever the number of jobs: O(1)
 * commands per queue, read atomically. ARGV[1] is the key prefix with its separator, then the queue names.
 * Waiting is BullMQ's `wait` list plus its `prioritized` set (and the `paused` list of older BullMQ data);
 * the oldest waiting job is the tail of `wait` (jobs are pushed at the head, taken from the tail).
 */
const READ_QUEUES = `
local out = {}
for i = 2, #ARGV do
  local base = ARGV[1] .. ARGV[i] .. ':'
  local waiting = redis.call('LLEN', base .. 'wait') + redis.call('ZCARD', base .. 'prioritized')
    + redis.call('LLEN', base .. 'paused')
  local oldest = redis.call('LINDEX', base .. 'wait', -1)
  local fields = {false, false, false}
  if oldest then
    fields = redis.call('HMGET', base .. oldest, 'timestamp', 'opts', 'processedOn')
  end
  out[#out + 1] = {
    waiting, redis.call('LLEN', base .. 'active'), redis.call('ZCARD', base .. 'delayed'),
    redis.call('ZCARD', base .. 'failed'), fields[1], fields[2], fields[3]
  }
end
return out
`;

type Reply = [number, number, number, number, string | null, string | null, string | null][];

export interface QueueReading {
  queue: string;
  counts: Record<(typeof QUEUE_STATES)[number], number>;
  /** Seconds since the oldest waiting job became due; 0 when none waits. */
  oldestWaitingSeconds: number;
}

/**
 * When a waiting job became due, from its hash: added at `timestamp`, due `opts.delay` later (a scheduled
 * job is added with the delay to its next run), and not before its last attempt started (`processedOn`; a
 * retried job waits again after a failed attempt). BullMQ keeps no record of the moment a job entered `wait`,
 * so a job retried after a backoff counts from its last attempt's start: the lag errs long, never short.
 */
export function dueAt(
  timestamp: string | null,
  opts: string | null,
  processedOn: string | null,
): number | undefined {
  const added = Number(timestamp);
  if (!timestamp || !Number.isFinite(added)) return undefined;
  let delay = 0;
  try {
    const parsed = JSON.parse(opts ?? '{}') as { delay?: unknown };
    if (typeof parsed.delay === 'number' && parsed.delay > 0) delay = parsed.delay;
  } catch {
    // a job without readable options is due when added
  }
  return Math.max(added + delay, Number(processedOn) || 0);
}

export function readingsOf(reply: Reply, queues: readonly string[], now: number): QueueReading[] {
  return reply.map(([waiting, active, delayed, failed, timestamp, opts, processedOn], i) => {
    const due = waiting > 0 ? dueAt(timestamp, opts, processedOn) : undefined;
    return {
      queue: queues[i],
      counts: { waiting, active, delayed, failed },
      oldestWaitingSeconds: due === undefined ? 0 : Math.max(0, (now - due) / 1000),
    };
  });
}

/** Reads every system queue in one script call; rejects after `timeoutMs`. */
export async function readQueues(
  redis: Redis,
  prefix: string,
  queues: readonly string[],
  timeoutMs = QUEUE_SCRAPE_TIMEOUT_MS,
): Promise<QueueReading[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const reply = (await Promise.race([
      redis.eval(READ_QUEUES, 0, `${prefix}:`, ...queues),
      timeout,
    ])) as Reply;
    return readingsOf(reply, queues, Date.now());
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The queues in `/metrics`, read when Prometheus scrapes (prom-client's `collect`), one script call per
 * scrape shared by the three gauges:
 * - `xkld_queue_jobs{queue,state}`: jobs waiting, active, delayed and failed (used up their attempts; kept
 *   for inspection up to the queue's `removeOnFail`);
 * - `xkld_queue_oldest_waiting_seconds{queue}`: the job lag;
 * - `xkld_queue_metrics_up`: 1 when the scrape read the queues, 0 when Redis failed or took longer than
 *   QUEUE_SCRAPE_TIMEOUT_MS, in which case the queue series are left out rather than repeated stale.
 */
@Injectable()
export class QueueMetrics implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(QueueMetrics.name);
  private owner = false;
  private reading?: Promise<QueueReading[] | undefined>;

  constructor(private readonly queues: SystemQueues) {}

  onModuleInit(): void {
    // Two apps in one process (some tests) share the registry: the first one registers.
    if (metricsRegistry.getSingleMetric('xkld_queue_jobs')) return;
    this.owner = true;
    const read = () => this.read();
    new Gauge({
      name: 'xkld_queue_jobs',
      help: 'Jobs in each BullMQ queue by state (waiting includes prioritized; failed: attempts used up, kept)',
      labelNames: ['queue', 'state'],
      registers: [metricsRegistry],
      // Read from Redis, the same in every api process: taken once when the processes' metrics are added up.
      aggregator: 'first',
      async collect() {
        const readings = await read();
        this.reset();
        for (const { queue, counts } of readings ?? []) {
          for (const state of QUEUE_STATES) this.set({ queue, state }, counts[state]);
        }
      },
    });
    new Gauge({
      name: 'xkld_queue_oldest_waiting_seconds',
      help: 'Seconds the oldest waiting job of each queue has been due (job lag); 0 when none waits',
      labelNames: ['queue'],
      registers: [metricsRegistry],
      // Read from Redis, the same in every api process: taken once when the processes' metrics are added up.
      aggregator: 'first',
      async collect() {
        const readings = await read();
        this.reset();
        for (const { queue, oldestWaitingSeconds } of readings ?? [])
          this.set({ queue }, oldestWaitingSeconds);
      },
    });
    new Gauge({
      name: 'xkld_queue_metrics_up',
      help: `1 when this scrape read the queues from Redis, 0 when Redis failed or took over ${QUEUE_SCRAPE_TIMEOUT_MS} ms`,
      registers: [metricsRegistry],
      // Read from Redis, the same in every api process: taken once when the processes' metrics are added up.
      aggregator: 'first',
      async collect() {
        this.set((await read()) ? 1 : 0);
      },
    });
  }

  onModuleDestroy(): void {
    if (!this.owner) return;
    for (const name of ['xkld_queue_jobs', 'xkld_queue_oldest_waiting_seconds', 'xkld_queue_metrics_up'])
      metricsRegistry.removeSingleMetric(name);
    this.owner = false;
  }

  /** One read per scrape, shared by the three gauges; undefined when Redis did not answer in time. */
  private read(): Promise<QueueReading[] | undefined> {
    this.reading ??= readQueues(this.queues.redis, this.queues.prefix, SYSTEM_QUEUES)
      .catch((error: unknown) => {
        this.logger.warn({ err: error instanceof Error ? error.message : error }, 'queue metrics unread');
        return undefined;
      })
      .finally(() => (this.reading = undefined));
    return this.reading;
  }
}
