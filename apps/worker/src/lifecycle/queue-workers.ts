import { within } from '@app/core';
import { WorkerHost } from '@nestjs/bullmq';
import { INestApplicationContext, Injectable, Logger, Module } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService } from '@nestjs/core';
import { Worker } from 'bullmq';

/** The BullMQ workers of this process: one per processor (every `@Processor` class is a WorkerHost). */
@Injectable()
export class QueueWorkers {
  private readonly logger = new Logger('Shutdown');

  constructor(private readonly discovery: DiscoveryService) {}

  all(): Worker[] {
    return this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is WorkerHost => instance instanceof WorkerHost)
      .map((host) => host.worker);
  }

  /**
   * Stops taking jobs and waits up to `graceMs` for the running ones to finish (BullMQ's `close()` without
   * force). 'timeout' leaves jobs running: once the process is gone their locks expire and BullMQ's stalled-job
   * check hands them to another worker, so a job is not lost but run again (at least once, as after a crash).
   */
  async close(graceMs: number): Promise<'closed' | 'timeout'> {
    const workers = this.all();
    const closed = await within(Promise.all(workers.map((worker) => worker.close())), graceMs);
    if (closed === 'done') return 'closed';
    this.logger.warn(
      { graceMs },
      'jobs still running after the grace period: leaving them to another worker',
    );
    return 'timeout';
  }
}

@Module({ imports: [DiscoveryModule], providers: [QueueWorkers], exports: [QueueWorkers] })
export class WorkerLifecycleModule {}

/**
 * The worker's part of a graceful stop (libs/core/src/lifecycle/shutdown.ts calls it on SIGTERM or SIGINT):
 * the queue workers stop taking jobs and finish the running ones, then the application closes (the outbox
 * relay, the schedulers, the webhook dispatcher, the database and Redis). Resolves with the exit code: 1 when
 * jobs were still running after `graceMs` (the application is then not closed: its hooks would wait for them).
 */
export async function drainWorker(app: INestApplicationContext, graceMs: number): Promise<number> {
  if ((await app.get(QueueWorkers).close(graceMs)) === 'timeout') return 1;
  await app.close();
  return 0;
}
