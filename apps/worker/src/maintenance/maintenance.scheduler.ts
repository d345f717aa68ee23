import { AppConfig, APP_CONFIG, MaintenanceJob, QueueName } from '@app/core';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';

import { ReassertedSchedules, Schedule } from '../reasserted-schedules';

const RECONCILE_EVERY_MS = 5000;

/** View-count flushing and the consultation reconciler. */
@Injectable()
export class MaintenanceScheduler extends ReassertedSchedules {
  constructor(
    @InjectQueue(QueueName.Maintenance) queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super(queue);
  }

  protected schedules(): Schedule[] {
    return [
      { name: MaintenanceJob.FlushViewCounts, everyMs: this.config.viewFlushIntervalMs },
      { name: MaintenanceJob.ReconcileConsultations, everyMs: RECONCILE_EVERY_MS },
    ];
  }
}
