import { LeadDeliveryService } from '@app/consultations';
import { ConsultationJob, notifyJobId, QueueName } from '@app/core';
import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';

import { LoggedWorkerHost } from '../logged-worker-host';
import { JOB_OPTIONS } from './queue-options';

@Processor(QueueName.ConsultationIntake, { concurrency: 8 })
export class ConsultationIntakeProcessor extends LoggedWorkerHost {
  constructor(
    private readonly delivery: LeadDeliveryService,
    @InjectQueue(QueueName.AgencyNotifications) private readonly notifications: Queue,
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
        QueueName.AgencyNotifications,
        { requestId },
        { ...JOB_OPTIONS[QueueName.AgencyNotifications], jobId: notifyJobId(requestId) },
      );
    }
    return 'assigned';
  }
}
