import { ConsultationJob, ConsultationQueue, LeadDeliveryService, notifyJobId } from '@app/consultations';
import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';

import { LoggedWorkerHost } from '../logged-worker-host';
import { JOB_OPTIONS } from '../outbox/job-options';

@Processor(ConsultationQueue.Intake, { concurrency: 8 })
export class ConsultationIntakeProcessor extends LoggedWorkerHost {
  constructor(
    private readonly delivery: LeadDeliveryService,
    @InjectQueue(ConsultationQueue.AgencyNotifications) private readonly notifications: Queue,
  ) {
    super();
  }

  async process(job: Job<ConsultationJob>): Promise<string> {
    const { requestId } = job.data;
    const decision = await this.delivery.settle(requestId);
    if (!decision) return 'already handled';
    if (decision.reject) {
      this.logger.log({ requestId, reason: decision.reject }, 'consultation rejected');
      return decision.reject;
    }
    if (decision.notify) {
      // If this add is lost (crash, Redis down), the reconciler re-drives the undelivered notification.
      await this.notifications.add(
        ConsultationQueue.AgencyNotifications,
        { requestId },
        { ...JOB_OPTIONS[ConsultationQueue.AgencyNotifications], jobId: notifyJobId(requestId) },
      );
    }
    return 'assigned';
  }
}
