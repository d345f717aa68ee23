import { createHmac } from 'node:crypto';

import { AgenciesService } from '@app/agencies';
import { AuditLog, Outbox, PersonalDataCipher, SYSTEM_ACTOR, Tx } from '@app/core';
import { JobOrdersService } from '@app/job-orders';
import { RegulationService } from '@app/regulation';
import { Injectable } from '@nestjs/common';

import { AgencyLeadsService } from './agency-leads.service';
import { ConsultationsRepository, ReceivedRequest } from './consultations.repository';
import { ConsultationQueue, LeadEvent, notifyJobId } from './consultations.queues';
import { judgeEligibility, RejectionReason } from './eligibility';
import { WebhooksRepository } from './webhooks.repository';

export type Stage = 'intake' | 'notify';

/** The worker's side: settling accepted requests and notifying agencies. */
@Injectable()
export class LeadDeliveryService {
  constructor(
    private readonly repository: ConsultationsRepository,
    private readonly webhooks: WebhooksRepository,
    private readonly outbox: Outbox,
    private readonly leads: AgencyLeadsService,
    private readonly agencies: AgenciesService,
    private readonly jobOrders: JobOrdersService,
    private readonly regulation: RegulationService,
    private readonly cipher: PersonalDataCipher,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Re-checks eligibility with the request locked and assigns it to the order's agency, or rejects it.
   * Returns undefined when the request was already handled (a job delivered twice).
   */
  settle(requestId: string): Promise<{ reject?: RejectionReason; notify: boolean } | undefined> {
    return this.audit.transaction(async (tx) => {
      const request = await this.repository.lockReceived(tx, requestId);
      if (!request) return undefined;
      let reject = await this.judge(request);
      // Judged on other connections: the licence is read again under a share lock, so a suspension that
      // commits meanwhile either waits for this assignment or is seen here.
      if (!reject && (await this.agencies.standing(request.agencyId, tx)).licenseStatus !== 'active') {
        reject = 'AGENCY_NOT_ACTIVE';
      }
      let notify = false;
      if (reject) {
        await this.repository.markRejected(tx, requestId, reject);
      } else {
        await this.repository.markAssigned(tx, requestId);
        await this.jobOrders.countConsultation(tx, request.jobOrderId);
        notify = await this.webhooks.openDelivery(tx, requestId, request.agencyId, 'consultation.assigned');
      }
      await this.audit.append(tx, {
        actor: SYSTEM_ACTOR,
        action: reject ? 'consultation.reject' : 'consultation.assign',
        entityType: 'consultation_request',
        entityId: requestId,
        before: { status: 'received' },
        after: reject ? { status: 'rejected', reason: reject } : { status: 'assigned' },
      });
      return { reject, notify };
    });
  }

  /**
   * The signed notification of an event about a lead, or undefined when there is nothing to send. Only the
   * assignment carries the lead; the later events name the request, so the agency can act on its copy.
   */
  async notification(
    requestId: string,
    event: LeadEvent,
  ): Promise<{ url: string; body: string; signature: string; deliveryId: string } | undefined> {
    const delivery = await this.webhooks.findDelivery(requestId, event);
    if (!delivery || delivery.deliveredAt) return undefined;
    let body: string;
    let deliveryId = requestId;
    if (event === 'consultation.assigned') {
      const lead = await this.leads.findLead(delivery.agencyId, requestId);
      if (!lead?.phone) return undefined;
      body = JSON.stringify({ event, deliveryId, lead });
    } else {
      deliveryId = `${event}:${requestId}`;
      body = JSON.stringify({ event, deliveryId, requestId });
    }
    const signature = createHmac('sha256', this.cipher.decrypt(delivery.secretEncrypted))
      .update(body)
      .digest('hex');
    return { url: delivery.url, body, signature: `sha256=${signature}`, deliveryId };
  }

  recordDelivery(requestId: string, event: LeadEvent, error: string | null): Promise<void> {
    return this.webhooks.recordDeliveryAttempt(requestId, event, error);
  }

  /** Tells the agency's webhook about an event of one of its leads, once `tx` commits. */
  async announce(tx: Tx, requestId: string, agencyId: string, event: LeadEvent): Promise<void> {
    if (event !== 'consultation.assigned') {
      await this.webhooks.cancelDelivery(tx, requestId, 'consultation.assigned');
    }
    if (await this.webhooks.openDelivery(tx, requestId, agencyId, event)) {
      await this.outbox.enqueue(tx, ConsultationQueue.AgencyNotifications, notifyJobId(requestId, event), {
        requestId,
        event,
      });
    }
  }

  /** Requests whose pipeline has stalled: still received, or assigned with an undelivered notification. */
  async findStalled(
    olderThanSeconds: number,
    limit: number,
  ): Promise<{ requestId: string; stage: Stage; event?: LeadEvent }[]> {
    const [intakes, deliveries] = await Promise.all([
      this.repository.findStalledIntakes(olderThanSeconds, limit),
      this.webhooks.findStalledDeliveries(olderThanSeconds, limit),
    ]);
    return [
      ...intakes.map((requestId) => ({ requestId, stage: 'intake' as const })),
      ...deliveries.map(({ requestId, event }) => ({ requestId, stage: 'notify' as const, event })),
    ];
  }

  async purgeExpired(): Promise<void> {
    await this.repository.purgeExpiredKeys();
    await this.outbox.purgeDispatched();
  }

  private async judge(request: ReceivedRequest): Promise<RejectionReason | undefined> {
    const order = await this.jobOrders.findForEligibility(request.jobOrderId);
    if (!order) return 'ORDER_NOT_OPEN';
    const reject = judgeEligibility(order, request, new Date());
    if (reject) return reject;
    const suspended = await this.regulation.isLocalitySuspended(
      { ...order, provinceCode: request.provinceCode },
      true,
    );
    return suspended ? 'LOCALITY_SUSPENDED' : undefined;
  }
}
