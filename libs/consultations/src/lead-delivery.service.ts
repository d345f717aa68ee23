import { AgenciesService } from '@app/agencies';
import {
  AuditLog,
  AuditRecord,
  GroupCommit,
  Outbox,
  Outcome,
  PersonalDataCipher,
  SYSTEM_ACTOR,
  Tx,
} from '@app/core';
import { JobOrdersService, OrderEligibilityRow } from '@app/job-orders';
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

export interface Settled {
  reject?: RejectionReason;
  /** A webhook delivery was opened with the assignment. */
  notify: boolean;
}

interface JudgeMemo {
  orders: Map<string, Promise<OrderEligibilityRow | undefined>>;
  suspended: Map<string, Promise<boolean>>;
}

/** Requests settled in one transaction at most (the intake processor's concurrent jobs fill a batch). */
const SETTLE_BATCH = 100;

/** The worker's side: settling accepted requests and notifying agencies. */
@Injectable()
export class LeadDeliveryService {
  /**
   * Settles that arrive while one batch runs go together in the next one: one transaction, one pass of
   * the audit chain's lock and one commit for them all, instead of one each, which kept the intake at
   * about a hundred a second.
   */
  private readonly settler = new GroupCommit<string, Settled | undefined>((ids) => this.settleBatch(ids), {
    maxBatch: SETTLE_BATCH,
    maxInFlight: 1,
  });

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
   * Returns undefined when the request was already handled (a job delivered twice). Concurrent calls are
   * settled together (see `settleBatch`).
   */
  settle(requestId: string): Promise<Settled | undefined> {
    return this.settler.submit(requestId);
  }

  /**
   * Settles several requests in one transaction with the same rules as `settleOne`: requests locked in id
   * order, each judged on fresh rows, the licences share-locked, then the assignments, the orders' counts,
   * the delivery rows and the audit entries written together. If the batch fails, each request is settled
   * alone, so one bad request fails alone.
   */
  private async settleBatch(ids: string[]): Promise<Outcome<Settled | undefined>[]> {
    if (ids.length > 1) {
      try {
        const settled = await this.audit.transaction((tx) => this.settleTogether(tx, ids));
        return settled.map((value) => ({ ok: true, value }));
      } catch {
        // Each alone below.
      }
    }
    return Promise.all(
      ids.map((id) =>
        this.settleOne(id).then(
          (value): Outcome<Settled | undefined> => ({ ok: true, value }),
          (error: unknown): Outcome<Settled | undefined> => ({ ok: false, error }),
        ),
      ),
    );
  }

  private async settleTogether(tx: Tx, ids: string[]): Promise<(Settled | undefined)[]> {
    const requests = await this.repository.lockReceivedMany(tx, ids);
    const verdicts = new Map<string, RejectionReason | undefined>();
    const memo: JudgeMemo = { orders: new Map(), suspended: new Map() };
    await Promise.all(
      [...requests].map(async ([id, request]) => verdicts.set(id, await this.judge(request, memo))),
    );
    // The licences, share-locked in a fixed order (see settleOne).
    const agencies = [...new Set([...requests.values()].map((request) => request.agencyId))].sort();
    const inactive = new Set<string>();
    for (const agencyId of agencies) {
      if ((await this.agencies.standing(agencyId, tx)).licenseStatus !== 'active') inactive.add(agencyId);
    }
    const assigned = new Set<string>();
    const perOrder = new Map<string, number>();
    const records: AuditRecord[] = [];
    for (const [id, request] of requests) {
      let reject = verdicts.get(id);
      if (!reject && inactive.has(request.agencyId)) reject = 'AGENCY_NOT_ACTIVE';
      verdicts.set(id, reject);
      if (reject) {
        await this.repository.markRejected(tx, id, reject);
      } else {
        assigned.add(id);
        perOrder.set(request.jobOrderId, (perOrder.get(request.jobOrderId) ?? 0) + 1);
      }
      records.push(settleRecord(id, reject));
    }
    if (assigned.size) await this.repository.markAssignedMany(tx, [...assigned]);
    for (const [jobOrderId, count] of [...perOrder].sort(([a], [b]) => (a < b ? -1 : 1))) {
      await this.jobOrders.countConsultation(tx, jobOrderId, count);
    }
    // In the order the jobs came, which is the order the requests were accepted in.
    const inOrder = [...new Set(ids)].filter((id) => assigned.has(id));
    const opened = inOrder.length
      ? await this.webhooks.openDeliveries(
          tx,
          inOrder.map((id) => ({ requestId: id, agencyId: requests.get(id)!.agencyId })),
          'consultation.assigned',
        )
      : new Set<string>();
    await this.audit.appendMany(tx, records);
    return ids.map((id) =>
      requests.has(id) ? { reject: verdicts.get(id), notify: opened.has(id) } : undefined,
    );
  }

  /** One request in its own transaction. */
  private settleOne(requestId: string): Promise<Settled | undefined> {
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
      await this.audit.append(tx, settleRecord(requestId, reject));
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
    const assigned = claimed.filter((row) => row.event === 'consultation.assigned');
    const [webhook, leads] = await Promise.all([
      this.webhooks.findWebhook(agencyId),
      assigned.length
        ? this.leads.findLeads(
            agencyId,
            assigned.map((row) => row.requestId),
          )
        : new Map<string, never>(),
    ]);
    if (!webhook) {
      await this.webhooks.release(claimed);
      return [];
    }
    const secret = this.cipher.decrypt(webhook.secretEncrypted);
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

  /**
   * Judges a request on fresh rows. `memo` (one per batch) reads each order, and each order's suspensions
   * in a province, once.
   */
  private async judge(request: ReceivedRequest, memo?: JudgeMemo): Promise<RejectionReason | undefined> {
    const once = <T>(map: Map<string, Promise<T>> | undefined, key: string, read: () => Promise<T>) => {
      if (!map) return read();
      if (!map.has(key)) map.set(key, read());
      return map.get(key)!;
    };
    const order = await once(memo?.orders, request.jobOrderId, () =>
      this.jobOrders.findForEligibility(request.jobOrderId),
    );
    if (!order) return 'ORDER_NOT_OPEN';
    const reject = judgeEligibility(order, request, new Date());
    if (reject) return reject;
    const suspended = await once(memo?.suspended, `${request.jobOrderId}|${request.provinceCode}`, () =>
      this.regulation.isLocalitySuspended({ ...order, provinceCode: request.provinceCode }, true),
    );
    return suspended ? 'LOCALITY_SUSPENDED' : undefined;
  }
}

/** The audit entry of the system's decision on a request. */
function settleRecord(requestId: string, reject: RejectionReason | undefined): AuditRecord {
  return {
    actor: SYSTEM_ACTOR,
    action: reject ? 'consultation.reject' : 'consultation.assign',
    entityType: 'consultation_request',
    entityId: requestId,
    before: { status: 'received' },
    after: reject ? { status: 'rejected', reason: reject } : { status: 'assigned' },
  };
}
