import { MaintenanceJob, QueueName } from '@app/core';
import { ViewCountsService } from '@app/job-orders';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';

import { ConsultationReconciler } from '../consultations/consultation-reconciler';

@Processor(QueueName.Maintenance)
export class MaintenanceProcessor extends WorkerHost {
  private readonly logger = new Logger(MaintenanceProcessor.name);

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
