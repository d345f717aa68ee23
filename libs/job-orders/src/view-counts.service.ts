import { randomUUID } from 'node:crypto';

import { REDIS } from '@app/core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';

import { JobOrdersRepository } from './job-orders.repository';

const PENDING = 'views:pending';
const BATCHES = 'views:batches';
const batchKey = (id: string) => `views:batch:${id}`;

// Moves the pending counters into a named batch and records the batch, atomically.
const SEAL_BATCH = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('SADD', KEYS[3], ARGV[1])
return 1`;

/**
 * Views are counted in Redis and written to Postgres in batches by the worker, never one UPDATE per view.
 * A batch stays in Redis until Postgres has it, and Postgres remembers applied batch ids, so a crash at
 * any point neither loses nor double-counts a sealed batch.
 */
@Injectable()
export class ViewCountsService {
  private readonly logger = new Logger(ViewCountsService.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly repository: JobOrdersRepository,
  ) {}

  /** Best effort: a view that cannot reach Redis is dropped rather than slowing the page. */
  record(jobOrderId: string): void {
    this.redis.hincrby(PENDING, jobOrderId, 1).catch((error: unknown) => {
      this.logger.warn({ err: error instanceof Error ? error.message : error }, 'view not counted');
    });
  }

  /** Returns the number of views written to Postgres. */
  async flush(): Promise<number> {
    const id = randomUUID();
    await this.redis.eval(SEAL_BATCH, 3, PENDING, batchKey(id), BATCHES, id);
    let written = 0;
    for (const batchId of await this.redis.smembers(BATCHES)) {
      const raw = await this.redis.hgetall(batchKey(batchId));
      const counts = new Map(
        Object.entries(raw).map(([orderId, n]): [string, number] => [orderId, Number(n)]),
      );
      if (counts.size > 0 && (await this.repository.applyViewBatch(batchId, counts))) {
        written += [...counts.values()].reduce((sum, n) => sum + n, 0);
      }
      await this.redis.multi().del(batchKey(batchId)).srem(BATCHES, batchId).exec();
    }
    return written;
  }
}
