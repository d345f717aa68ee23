import {
  CONSULTATION_SETTINGS,
  ConsultationQueue,
  ConsultationSettings,
  intakeJobId,
  LeadDeliveryService,
} from '@app/consultations';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';

import { JOB_OPTIONS } from '../outbox/job-options';

const BATCH = 500;

/**
 * Re-drives requests stuck past their deadline: lost intake jobs (Redis flushed or restarted without data)
 * are re-added, failed ones retried. A lost Redis costs time, never a request. Webhook deliveries need no
 * re-driving: the dispatcher reads them from PostgreSQL.
 */
@Injectable()
export class ConsultationReconciler {
  private readonly logger = new Logger(ConsultationReconciler.name);

  constructor(
    private readonly delivery: LeadDeliveryService,
    @InjectQueue(ConsultationQueue.Intake) private readonly intake: Queue,
    @Inject(CONSULTATION_SETTINGS.token) private readonly config: ConsultationSettings,
  ) {}

  async reconcile(): Promise<number> {
    const stalled = await this.delivery.findStalled(this.config.reconcileAfterSeconds, BATCH);
    let redriven = 0;
    for (const requestId of stalled) {
      const jobId = intakeJobId(requestId);
      const job = await this.intake.getJob(jobId);
      if (!job) {
        await this.intake.add(
          this.intake.name,
          { requestId },
          { ...JOB_OPTIONS[ConsultationQueue.Intake], jobId },
        );
        redriven++;
      } else if (await job.isFailed()) {
        await job.retry('failed');
        redriven++;
      }
    }
    await this.delivery.purgeExpired();
    if (redriven > 0) this.logger.warn({ redriven }, 'stalled consultations re-driven');
    return redriven;
  }
}
