import { ConsultationJob, ConsultationQueue, LeadDeliveryService } from '@app/consultations';
import { Processor } from '@nestjs/bullmq';
import { Job } from 'bullmq';

import { LoggedWorkerHost } from '../logged-worker-host';
import { WebhookDispatcher } from './webhook-dispatcher';

/**
 * Jobs in flight at once: their settles are grouped into one transaction each time one ends (see
 * LeadDeliveryService.settle), so this is also the largest batch the queue can feed.
 */
const CONCURRENCY = 64;

@Processor(ConsultationQueue.Intake, { concurrency: CONCURRENCY })
export class ConsultationIntakeProcessor extends LoggedWorkerHost {
  constructor(
    private readonly delivery: LeadDeliveryService,
    private readonly dispatcher: WebhookDispatcher,
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
    // The delivery row committed with the assignment; the dispatcher (of any worker) sends it.
    if (decision.notify) this.dispatcher.wake();
    return 'assigned';
  }
}
