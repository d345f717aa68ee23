import {
  CONSULTATION_SETTINGS,
  ConsultationQueue,
  ConsultationSettings,
  intakeJobId,
  LeadDeliveryService,
  notifyJobId,
} from '@app/consultations';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';

import { JOB_OPTIONS } from '../outbox/job-options';

const BATCH = 500;

/**
 * Re-drives requests stuck past their deadline: lost jobs (Redis flushed or restarted without data) are
 * re-added, failed ones retried. A lost Redis costs time, never a request.
 */
@Injectable()
export class ConsultationReconciler {
  private readonly logger = new Logger(ConsultationReconciler.name);

  constructor(
    private readonly delivery: LeadDeliveryService,
    @InjectQueue(ConsultationQueue.Intake) private readonly intake: Queue,
    @InjectQueue(ConsultationQueue.AgencyNotifications) private readonly notifications: Queue,
    @Inject(CONSULTATION_SETTINGS.token) private readonly config: ConsultationSettings,
  ) {}

  async reconcile(): Promise<number> {
    const stalled = await this.delivery.findStalled(this.config.reconcileAfterSeconds, BATCH);
    let redriven = 0;
    for (const { requestId, stage, event } of stalled) {
      const [queue, jobId] =
        stage === 'intake'
          ? [this.intake, intakeJobId(requestId)]
          : [this.notifications, notifyJobId(requestId, event)];
      const job = await queue.getJob(jobId);
      if (!job) {
        await queue.add(queue.name, event ? { requestId, event } : { requestId }, {
          ...JOB_OPTIONS[queue.name as ConsultationQueue],
          jobId,
        });
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
