import { ApplicantQueue } from '@app/applicants';
import { ConsultationQueue } from '@app/consultations';
import { APP_CONFIG, AppConfig, MAINTENANCE_QUEUE, queuePrefix, redisOptions } from '@app/core';
import { DataRightsQueue } from '@app/data-rights';
import { JobAlertQueue } from '@app/job-alerts';
import { OPEN_DATA_QUEUE } from '@app/open-data';
import { RANKING_QUEUE } from '@app/ranking';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import Redis from 'ioredis';

/**
 * Every BullMQ queue the system defines: each lib's (`<lib>.queues.ts`) and the worker's maintenance queue.
 * The worker registers its own list (apps/worker/src/worker.module.ts); test/operations.e2e-spec.ts fails
 * when the two differ, so a new queue cannot be missing from the Bull Board and `/metrics`.
 */
export const SYSTEM_QUEUES: readonly string[] = [
  MAINTENANCE_QUEUE,
  ...Object.values(ConsultationQueue),
  RANKING_QUEUE,
  ...Object.values(ApplicantQueue),
  ...Object.values(DataRightsQueue),
  OPEN_DATA_QUEUE,
  ...Object.values(JobAlertQueue),
];

/**
 * The api's read-only view of the worker's queues, for the operator's tools (the Bull Board at /admin/queues
 * and the queue gauges of /metrics). One Redis connection of its own, failing fast while Redis is away (no
 * offline queue) so that neither a scrape nor a board page hangs on it.
 */
@Injectable()
export class SystemQueues implements OnApplicationShutdown {
  readonly prefix: string;
  readonly redis: Redis;
  private queues?: Queue[];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.prefix = queuePrefix(config);
    this.redis = new Redis({
      ...redisOptions(config.redis.url),
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
    });
    // Reported by the cache client's own outage warning (libs/core/src/redis/redis.module.ts), not twice.
    this.redis.on('error', () => undefined);
  }

  /** BullMQ's Queue of each system queue, made once; they only read (no queue metadata is written). */
  all(): Queue[] {
    this.queues ??= SYSTEM_QUEUES.map((name) => {
      const queue = new Queue(name, { connection: this.redis, prefix: this.prefix, skipMetasUpdate: true });
      // A Queue re-emits its connection's errors: already reported once, as above, not as a stack per queue.
      queue.on('error', () => undefined);
      return queue;
    });
    return this.queues;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all((this.queues ?? []).map((queue) => queue.close().catch(() => undefined)));
    this.redis.disconnect();
  }
}
