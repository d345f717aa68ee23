import { AppConfig, APP_CONFIG, MaintenanceJob, QueueName } from '@app/core';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';

const RECONCILE_EVERY_MS = 5000;
/** How often the schedules are asserted again: a flushed or replaced Redis loses them with everything else. */
const REASSERT_EVERY_MS = 5000;

/**
 * Registers the repeating maintenance jobs; upserting keeps one schedule however many workers start. The
 * reconciler is one of them, so the schedules are re-asserted on a local timer: after a FLUSHALL the
 * pipeline would otherwise have nothing left to re-drive what Redis lost.
 */
@Injectable()
export class MaintenanceScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MaintenanceScheduler.name);
  private timer?: NodeJS.Timeout;
  private asserting?: Promise<void>;

  constructor(
    @InjectQueue(QueueName.Maintenance) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.assertSchedules();
    this.timer = setInterval(() => {
      this.asserting ??= this.assertSchedules()
        .catch((error: unknown) =>
          this.logger.warn(
            { err: error instanceof Error ? error.message : error },
            'could not re-assert maintenance schedules; retrying',
          ),
        )
        .finally(() => (this.asserting = undefined));
    }, REASSERT_EVERY_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.asserting;
  }

  private async assertSchedules(): Promise<void> {
    await this.queue.upsertJobScheduler(
      MaintenanceJob.FlushViewCounts,
      { every: this.config.viewFlushIntervalMs },
      { name: MaintenanceJob.FlushViewCounts },
    );
    await this.queue.upsertJobScheduler(
      MaintenanceJob.ReconcileConsultations,
      { every: RECONCILE_EVERY_MS },
      { name: MaintenanceJob.ReconcileConsultations },
    );
  }
}
