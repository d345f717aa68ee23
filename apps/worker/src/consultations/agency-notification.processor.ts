import {
  CONSULTATION_SETTINGS,
  ConsultationJob,
  ConsultationQueue,
  ConsultationSettings,
  LeadDeliveryService,
} from '@app/consultations';
import { createOutboundDispatcher, safeFetch, UnsafeAddressError } from '@app/core';
import { Processor } from '@nestjs/bullmq';
import { Inject, OnModuleDestroy } from '@nestjs/common';
import { Job } from 'bullmq';
import { Agent } from 'undici';

import { LoggedWorkerHost } from '../logged-worker-host';

const TIMEOUT_MS = 5000;

/** POSTs a lead's events to its agency's webhook, signed; failures are retried with exponential backoff. */
@Processor(ConsultationQueue.AgencyNotifications, { concurrency: 8 })
export class AgencyNotificationProcessor extends LoggedWorkerHost implements OnModuleDestroy {
  private readonly dispatcher: Agent;

  constructor(
    private readonly delivery: LeadDeliveryService,
    @Inject(CONSULTATION_SETTINGS.token) private readonly config: ConsultationSettings,
  ) {
    super();
    this.dispatcher = createOutboundDispatcher({
      allowPrivate: config.webhookAllowPrivate,
      connectTimeout: TIMEOUT_MS,
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.dispatcher.close();
  }

  async process(job: Job<ConsultationJob>): Promise<string> {
    const { requestId, event = 'consultation.assigned' } = job.data;
    const notification = await this.delivery.notification(requestId, event);
    if (!notification) return 'nothing to send';
    let error: string | null = null;
    try {
      // The address is checked when the connection is made, and only that address is connected to.
      const response = await safeFetch(
        notification.url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-signature': notification.signature,
            'x-delivery-id': notification.deliveryId,
          },
          body: notification.body,
          signal: AbortSignal.timeout(TIMEOUT_MS),
        },
        { allowPrivate: this.config.webhookAllowPrivate, dispatcher: this.dispatcher },
      );
      await response.body?.cancel();
      if (!response.ok) error = `HTTP ${response.status}`;
    } catch (failure) {
      if (failure instanceof UnsafeAddressError) error = `refused: ${failure.reason}`;
      else error = failure instanceof Error ? failure.message.slice(0, 200) : 'request failed';
    }
    await this.delivery.recordDelivery(requestId, event, error);
    if (error) throw new Error(`webhook delivery failed: ${error}`);
    return 'delivered';
  }
}
