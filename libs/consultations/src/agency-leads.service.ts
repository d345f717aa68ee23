import { randomUUID } from 'node:crypto';

import {
  Actor,
  AuditLog,
  decodeKeyset,
  isUuid,
  Page,
  PersonalDataCipher,
  ProblemException,
  RateLimiter,
  toPage,
  unsafeUrlReason,
} from '@app/core';
import { ApplicantCipher, Opener } from '@app/applicants';
import { HttpStatus, Inject, Injectable } from '@nestjs/common';

import { ConsultationsRepository, LeadRow } from './consultations.repository';
import { CONSULTATION_SETTINGS, ConsultationSettings } from './consultations.settings';
import {
  AgencyLeadDto,
  AgencyLeadQueryDto,
  UpdateLeadDto,
  WebhookRedeliveryDto,
  WebhookStatusDto,
  WebhookTestResultDto,
} from './dto/consultation.dto';
import { signWebhookBody, WebhookSender } from './webhook-sender';
import { WebhooksRepository } from './webhooks.repository';

/** Test events an agency may send per minute. */
const WEBHOOK_TESTS_PER_MINUTE = 10;

/** The agency's side: its leads, their follow-up, and the webhook they are pushed to. */
@Injectable()
export class AgencyLeadsService {
  constructor(
    private readonly repository: ConsultationsRepository,
    private readonly webhooks: WebhooksRepository,
    private readonly cipher: PersonalDataCipher,
    private readonly applicantCipher: ApplicantCipher,
    private readonly audit: AuditLog,
    private readonly sender: WebhookSender,
    private readonly limiter: RateLimiter,
    @Inject(CONSULTATION_SETTINGS.token) private readonly config: ConsultationSettings,
  ) {}

  /** The agency's leads with the applicants' names and phones; every read of them is audited. */
  async listLeads(actor: Actor, agencyId: string, query: AgencyLeadQueryDto): Promise<Page<AgencyLeadDto>> {
    const after = decodeKeyset(query.cursor);
    const rows = (await this.repository.findLeadsForAgency(agencyId, {
      status: query.status,
      after: after && { createdAt: after.key, id: after.id },
      limit: query.limit + 1,
    })) as (LeadRow & { sortKey: string })[];
    const openers = await this.applicantCipher.openersFor(rows.map((row) => row.phoneHash));
    const page = toPage(
      rows,
      query.limit,
      (row) => toLead(row, openers.get(row.phoneHash)!),
      (row) => [row.sortKey, row.id],
    );
    if (page.items.length) {
      await this.recordRead(
        actor,
        agencyId,
        page.items.map((lead) => lead.id),
      );
    }
    return page;
  }

  /** One lead as its agency sees it, or undefined while it is not (or no longer) the agency's lead. */
  async findLead(agencyId: string, requestId: string): Promise<AgencyLeadDto | undefined> {
    const [row] = await this.repository.findLeadForAgency(agencyId, requestId);
    if (!row) return undefined;
    const openers = await this.applicantCipher.openersFor([row.phoneHash]);
    return toLead(row, openers.get(row.phoneHash)!);
  }

  /** Several of the agency's leads by id, as `findLead` gives each (for the webhook dispatcher). */
  async findLeads(agencyId: string, requestIds: string[]): Promise<Map<string, AgencyLeadDto>> {
    const rows = await this.repository.findLeadsForAgencyByIds(agencyId, requestIds);
    const openers = await this.applicantCipher.openersFor(rows.map((row) => row.phoneHash));
    return new Map(rows.map((row) => [row.id, toLead(row, openers.get(row.phoneHash)!)]));
  }

  async updateLead(
    actor: Actor,
    agencyId: string,
    requestId: string,
    dto: UpdateLeadDto,
  ): Promise<AgencyLeadDto> {
    if (dto.status === 'closed' && !dto.outcome) {
      throw ProblemException.validation([{ field: 'outcome', constraint: 'isDefined' }]);
    }
    if (!isUuid(requestId)) throw ProblemException.notFound();
    await this.audit.transaction(async (tx) => {
      const current = await this.repository.lockLeadForAgency(tx, agencyId, requestId);
      if (!current) throw ProblemException.notFound();
      const change = { status: dto.status, outcome: dto.outcome ?? null };
      if (!(await this.repository.updateLeadForAgency(tx, agencyId, requestId, change))) {
        throw new ProblemException(HttpStatus.CONFLICT, 'CONFLICT');
      }
      await this.audit.append(tx, {
        actor,
        action: `consultation.${dto.status === 'contacted' ? 'contact' : 'close'}`,
        entityType: 'consultation_request',
        entityId: requestId,
        before: { status: current.status, outcome: current.outcome },
        after: { ...change, agencyId },
      });
    });
    return (await this.findLead(agencyId, requestId))!;
  }

  async setWebhook(actor: Actor, agencyId: string, url: string, secret: string): Promise<void> {
    if (await unsafeUrlReason(url, this.config.webhookAllowPrivate)) {
      throw ProblemException.validation([{ field: 'url', constraint: 'isPublicUrl' }]);
    }
    await this.audit.transaction(async (tx) => {
      await this.webhooks.saveWebhook(tx, agencyId, url, this.cipher.encrypt(secret));
      await this.audit.append(tx, {
        actor,
        action: 'agency.webhook_set',
        entityType: 'agency',
        entityId: agencyId,
        after: { webhookUrl: url },
      });
    });
  }

  /** The webhook's health as its agency sees it: circuit, last failures (never bodies) and backlog. */
  async webhookStatus(agencyId: string): Promise<WebhookStatusDto> {
    const row = await this.webhooks.status(agencyId);
    if (!row) {
      return {
        url: null,
        state: 'not_set',
        circuit: null,
        lastSuccessAt: null,
        lastFailureAt: null,
        recentErrors: [],
        backlog: { pending: 0, retrying: 0, oldestCreatedAt: null },
      };
    }
    const iso = (date: Date | null) => date?.toISOString() ?? null;
    return {
      url: row.url,
      state:
        row.circuitState === 'open' ? 'circuit_open' : row.consecutiveFailures > 0 ? 'failing' : 'healthy',
      circuit: {
        state: row.circuitState,
        openedAt: iso(row.circuitOpenedAt),
        nextProbeAt: iso(row.nextProbeAt),
        consecutiveFailures: row.consecutiveFailures,
        failureThreshold: this.config.webhooks.circuitFailures,
      },
      lastSuccessAt: iso(row.lastSuccessAt),
      lastFailureAt: iso(row.lastFailureAt),
      recentErrors: row.recentErrors,
      backlog: { pending: row.pending, retrying: row.retrying, oldestCreatedAt: iso(row.oldestPendingAt) },
    };
  }

  /**
   * Sends a signed `webhook.test` event now and says how the endpoint answered. It does not count towards
   * the circuit; when it succeeds, an open circuit probes at once.
   */
  async testWebhook(agencyId: string): Promise<WebhookTestResultDto> {
    const webhook = await this.webhooks.findWebhook(agencyId);
    if (!webhook) throw ProblemException.notFound();
    await this.limiter.consume([{ key: `webhook-test:${agencyId}`, limit: WEBHOOK_TESTS_PER_MINUTE }], 60);
    const deliveryId = `webhook.test:${randomUUID()}`;
    const body = JSON.stringify({ event: 'webhook.test', deliveryId, sentAt: new Date().toISOString() });
    const secret = this.cipher.decrypt(webhook.secretEncrypted);
    const result = await this.sender.send({
      url: webhook.url,
      body,
      signature: signWebhookBody(secret, body),
      deliveryId,
    });
    if (result.ok) await this.webhooks.probeNow(agencyId);
    return {
      delivered: result.ok,
      status: result.status ?? null,
      error: result.error ?? null,
      durationMs: result.durationMs,
      deliveryId,
    };
  }

  /** Makes every undelivered event due now, parked ones included (an open circuit probes at once). */
  async redeliver(agencyId: string): Promise<WebhookRedeliveryDto> {
    return { pending: await this.webhooks.redeliverNow(agencyId) };
  }

  /** Reading applicants' personal data is itself a recorded act (who saw which leads, when). */
  private recordRead(actor: Actor, agencyId: string, requestIds: string[]): Promise<void> {
    return this.audit.transaction((tx) =>
      this.audit.append(tx, {
        actor,
        action: 'consultation.read_personal_data',
        entityType: 'agency',
        entityId: agencyId,
        after: { requestIds },
      }),
    );
  }
}

/** A lead as its agency sees it; a withdrawn or erased request keeps no personal field. */
function toLead(row: LeadRow, open: Opener): AgencyLeadDto {
  const personal = row.status !== 'withdrawn';
  return {
    id: row.id,
    jobOrderId: row.jobOrderId,
    fullName: personal ? open(row.fullNameEncrypted) : null,
    phone: personal ? open(row.phoneEncrypted) : null,
    province: row.provinceName,
    birthYear: row.birthYear,
    gender: row.gender,
    message: personal ? open(row.messageEncrypted) : null,
    status: row.status,
    outcome: row.outcome,
    createdAt: row.createdAt.toISOString(),
    assignedAt: row.assignedAt?.toISOString() ?? null,
    firstContactedAt: row.firstContactedAt?.toISOString() ?? null,
  };
}
