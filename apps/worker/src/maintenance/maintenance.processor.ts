import { ViewCountsService } from '@app/job-orders';
import { Processor } from '@nestjs/bullmq';
import { Job } from 'bullmq';

import { ConsultationReconciler } from '../consultations/consultation-reconciler';
import { LoggedWorkerHost } from '../logged-worker-host';
import { MAINTENANCE_QUEUE, MaintenanceJob } from './maintenance.queue';

@Processor(MAINTENANCE_QUEUE)
export class MaintenanceProcessor extends LoggedWorkerHost {
  constructor(
    private readonly viewCounts: ViewCountsService,
    private readonly reconciler: ConsultationReconciler,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name as MaintenanceJob) {
      case MaintenanceJob.FlushViewCounts:
        return { views: await this.viewCounts.flush() };
      case MaintenanceJob.ReconcileConsultations:
        return { redriven: await this.reconciler.reconcile() };
      default:
        this.logger.warn({ name: job.name }, 'unknown maintenance job ignored');
        return undefined;
    }
  }
}
