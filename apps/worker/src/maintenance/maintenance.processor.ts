import { MaintenanceJob, QueueName } from '@app/core';
import { ViewCountsService } from '@app/job-orders';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';

@Processor(QueueName.Maintenance)
export class MaintenanceProcessor extends WorkerHost {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(private readonly viewCounts: ViewCountsService) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name as MaintenanceJob) {
      case MaintenanceJob.FlushViewCounts: {
        const views = await this.viewCounts.flush();
        if (views > 0) this.logger.debug({ views }, 'view counts flushed');
        return { views };
      }
      default:
        this.logger.warn({ name: job.name }, 'unknown maintenance job ignored');
        return undefined;
    }
  }
}
