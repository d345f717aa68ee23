import { ConsultationQueue } from '@app/consultations';
import { Processor } from '@nestjs/bullmq';

import { LoggedWorkerHost } from '../logged-worker-host';
import { WebhookDispatcher } from './webhook-dispatcher';

/**
 * Jobs of the `agency-notifications` queue (queued before deliveries were read from PostgreSQL, or by an
 * older worker) only wake the dispatcher: the delivery row, not the job, says what to send, so a job is
 * never a second copy.
 */
@Processor(ConsultationQueue.AgencyNotifications, { concurrency: 8 })
export class AgencyNotificationProcessor extends LoggedWorkerHost {
  constructor(private readonly dispatcher: WebhookDispatcher) {
    super();
  }

  process(): Promise<string> {
    this.dispatcher.wake();
    return Promise.resolve('handed to the webhook dispatcher');
  }
}
