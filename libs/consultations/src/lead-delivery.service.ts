import { AgenciesService } from '@app/agencies';
import { AuditLog, Outbox, PersonalDataCipher, SYSTEM_ACTOR, Tx } from '@app/core';
import { JobOrdersService } from '@app/job-orders';
import { RegulationService } from '@app/regulation';
import { Injectable } from '@nestjs/common';

import { AgencyLeadsService } from './agency-leads.service';
import { ConsultationsRepository, ReceivedRequest } from './consultations.repository';
import { LeadEvent } from './consultations.queues';
import { judgeEligibility, RejectionReason } from './eligibility';
import { signWebhookBody, WebhookMessage } from './webhook-sender';
import {
  AttemptOutcome,
  CircuitAfter,
  CircuitRules,
  ClaimedDelivery,
  DeliveryKey,
  DueLane,
  WebhooksRepository,
} from './webhooks.repository';

/** A claimed delivery with the signed message to send. */
export interface PreparedDelivery extends ClaimedDelivery {
  message: WebhookMessage;
}

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

  /** Agencies with deliveries to send now (see WebhooksRepository.findDueLanes). */
  dueLanes(): Promise<DueLane[]> {
    return this.webhooks.findDueLanes();
  }

  /** Leases up to `limit` of the agency's due deliveries, oldest first (one, whatever its backoff, for a probe). */
  claim(agencyId: string, limit: number, leaseSeconds: number, probe = false): Promise<ClaimedDelivery[]> {
    return this.webhooks.claim(agencyId, limit, leaseSeconds, probe);
  }

  grantProbe(agencyId: string, intervalSeconds: number): Promise<boolean> {
    return this.webhooks.grantProbe(agencyId, intervalSeconds);
  }

  release(keys: DeliveryKey[]): Promise<void> {
    return this.webhooks.release(keys);
  }

  recordOutcomes(
    agencyId: string,
    outcomes: AttemptOutcome[],
    rules: CircuitRules,
  ): Promise<CircuitAfter | undefined> {
    return this.webhooks.recordOutcomes(agencyId, outcomes, rules);
  }

  /**
   * The signed messages of claimed deliveries of one agency, in their order. Only the assignment carries the
   * lead; the later events name the request, so the agency can act on its copy. A delivery with nothing left
   * to send (its lead's personal data is gone) is dropped; one whose agency has no webhook any more is
   * released.
   */
  async prepare(agencyId: string, claimed: ClaimedDelivery[]): Promise<PreparedDelivery[]> {
    const webhook = await this.webhooks.findWebhook(agencyId);
    if (!webhook) {
      await this.webhooks.release(claimed);
      return [];
    }
    const secret = this.cipher.decrypt(webhook.secretEncrypted);
    const assigned = claimed.filter((row) => row.event === 'consultation.assigned');
    const leads = assigned.length
      ? await this.leads.findLeads(
          agencyId,
          assigned.map((row) => row.requestId),
        )
      : new Map<string, never>();
    const prepared: PreparedDelivery[] = [];
    const unsendable: ClaimedDelivery[] = [];
    for (const row of claimed) {
      let body: string;
      let deliveryId = row.requestId;
      if (row.event === 'consultation.assigned') {
        const lead = leads.get(row.requestId);
        if (!lead?.phone) {
          unsendable.push(row);
          continue;
        }
        body = JSON.stringify({ event: row.event, deliveryId, lead });
      } else {
        deliveryId = `${row.event}:${row.requestId}`;
        body = JSON.stringify({ event: row.event, deliveryId, requestId: row.requestId });
      }
      const message = { url: webhook.url, body, signature: signWebhookBody(secret, body), deliveryId };
      prepared.push({ ...row, message });
    }
    if (unsendable.length) await this.webhooks.dropDeliveries(unsendable);
    return prepared;
  }

  /**
   * Tells the agency's webhook about an event of one of its leads, once `tx` commits: the delivery row is
   * the queue the worker's dispatcher reads, so nothing goes through Redis.
   */
  async announce(tx: Tx, requestId: string, agencyId: string, event: LeadEvent): Promise<void> {
    if (event !== 'consultation.assigned') {
      await this.webhooks.cancelDelivery(tx, requestId, 'consultation.assigned');
    }
    await this.webhooks.openDelivery(tx, requestId, agencyId, event);
  }

  /**
   * Requests still `received` after `olderThanSeconds`: their intake job was lost or failed. (Deliveries need
   * no such search: their rows are the dispatcher's queue.)
   */
  findStalled(olderThanSeconds: number, limit: number): Promise<string[]> {
    return this.repository.findStalledIntakes(olderThanSeconds, limit);
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
