import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';

/**
 * A processor whose worker errors (Redis gone, a job's keys flushed under it) are logged as one warning
 * each; an 'error' event without a listener would be printed as an unhandled error instead.
 */
export abstract class LoggedWorkerHost extends WorkerHost {
  protected readonly logger = new Logger(this.constructor.name);

  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.logger.warn({ err: error.message }, 'queue worker error; BullMQ retries');
  }
}
