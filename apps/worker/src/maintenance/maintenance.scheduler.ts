import { AppConfig, APP_CONFIG, MaintenanceJob, QueueName } from '@app/core';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';

const RECONCILE_EVERY_MS = 5000;

/** Registers the repeating maintenance jobs; upserting keeps one schedule however many workers start. */
@Injectable()
export class MaintenanceScheduler implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QueueName.Maintenance) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
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
