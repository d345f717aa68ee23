import { JOB_ORDER_SETTINGS, JobOrderSettings } from '@app/job-orders';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';

import { ReassertedSchedules, Schedule } from '../reasserted-schedules';
import { MAINTENANCE_QUEUE, MaintenanceJob } from './maintenance.queue';

const RECONCILE_EVERY_MS = 5000;
const RETENTION_EVERY_MS = 3_600_000;

/** View-count flushing, the consultation reconciler and the retention of personal data. */
@Injectable()
export class MaintenanceScheduler extends ReassertedSchedules {
  constructor(
    @InjectQueue(MAINTENANCE_QUEUE) queue: Queue,
    @Inject(JOB_ORDER_SETTINGS.token) private readonly jobOrders: JobOrderSettings,
  ) {
    super(queue);
  }

  protected schedules(): Schedule[] {
    return [
      { name: MaintenanceJob.FlushViewCounts, everyMs: this.jobOrders.viewFlushIntervalMs },
      { name: MaintenanceJob.ReconcileConsultations, everyMs: RECONCILE_EVERY_MS },
      { name: MaintenanceJob.EraseExpiredPersonalData, everyMs: RETENTION_EVERY_MS },
    ];
  }
}
