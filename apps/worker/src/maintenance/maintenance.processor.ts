import { DataRightsService } from '@app/data-rights';
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
    private readonly dataRights: DataRightsService,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name as MaintenanceJob) {
      case MaintenanceJob.FlushViewCounts:
        return { views: await this.viewCounts.flush() };
      case MaintenanceJob.ReconcileConsultations:
        return { redriven: await this.reconciler.reconcile() };
      case MaintenanceJob.EraseExpiredPersonalData:
        return { erased: await this.dataRights.eraseExpired() };
      default:
        this.logger.warn({ name: job.name }, 'unknown maintenance job ignored');
        return undefined;
    }
  }
}
