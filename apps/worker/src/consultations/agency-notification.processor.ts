import { LeadDeliveryService } from '@app/consultations';
import { AppConfig, APP_CONFIG, ConsultationJob, QueueName, unsafeUrlReason } from '@app/core';
import { Processor } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import { Job } from 'bullmq';

import { LoggedWorkerHost } from '../logged-worker-host';

const TIMEOUT_MS = 5000;

/** POSTs an assigned lead to its agency's webhook, signed; failures are retried with exponential backoff. */
@Processor(QueueName.AgencyNotifications, { concurrency: 8 })
export class AgencyNotificationProcessor extends LoggedWorkerHost {
  constructor(
    private readonly delivery: LeadDeliveryService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  async process(job: Job<ConsultationJob>): Promise<string> {
    const { requestId } = job.data;
    const notification = await this.delivery.notification(requestId);
    if (!notification) return 'nothing to send';
    let error: string | null = await unsafeUrlReason(notification.url, this.config.webhookAllowPrivate).then(
      (reason) => (reason ? `refused: ${reason}` : null),
    );
    if (!error) {
      try {
        const response = await fetch(notification.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-signature': notification.signature,
            'x-delivery-id': requestId,
          },
          body: notification.body,
          redirect: 'error',
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        if (!response.ok) error = `HTTP ${response.status}`;
      } catch (failure) {
        error = failure instanceof Error ? failure.message.slice(0, 200) : 'request failed';
      }
    }
    await this.delivery.recordDelivery(requestId, error);
    if (error) throw new Error(`webhook delivery failed: ${error}`);
    return 'delivered';
  }
}
