import { createHash, createHmac, randomInt, randomUUID } from 'node:crypto';

import {
  Actor,
  APP_CONFIG,
  AppConfig,
  AuditLog,
  decodeKeyset,
  isUuid,
  normalizeVietnamesePhone,
  Page,
  PersonalDataCipher,
  ProblemException,
  SYSTEM_ACTOR,
  toPage,
  unsafeUrlReason,
} from '@app/core';
import { JobOrdersService, OrderEligibilityRow } from '@app/job-orders';
import { ReferenceService } from '@app/reference';
import { RegulationService } from '@app/regulation';
import { HttpStatus, Inject, Injectable } from '@nestjs/common';

import {
  AgencyLeadDto,
  AgencyLeadQueryDto,
  ConsultationAcceptedDto,
  ConsultationTrackingDto,
  CreateConsultationDto,
  UpdateLeadDto,
} from './dto/consultation.dto';
import { judgeEligibility, RejectionReason } from './eligibility';
import { ConsultationsRepository, LeadRow } from './consultations.repository';

/** The version of the consent text shown next to "Tư vấn giúp tôi". */
export const CONSENT_POLICY_VERSION = '2025-07';

const TRACKING_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const TRACKING_CODE = /^[2-9A-HJKMNP-Z]{10}$/;

export function newTrackingCode(): string {
  return Array.from({ length: 10 }, () => TRACKING_ALPHABET[randomInt(TRACKING_ALPHABET.length)]).join('');
}

/**
 * How long the api may judge a request on an order's facts read earlier. The worker judges again on fresh
 * rows with the request locked, so a suspension within this window still ends in AGENCY_NOT_ACTIVE.
 */
const ORDER_FACTS_MAX_AGE_MS = 1000;
const ORDER_FACTS_MAX_ENTRIES = 10_000;

@Injectable()
export class ConsultationsService {
  private readonly orderFacts = new Map<string, { row: OrderEligibilityRow; readAt: number }>();

  constructor(
    private readonly repository: ConsultationsRepository,
    private readonly jobOrders: JobOrdersService,
    private readonly reference: ReferenceService,
    private readonly regulation: RegulationService,
    private readonly cipher: PersonalDataCipher,
    private readonly audit: AuditLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Normalised phone, or a 400 naming the field. */
  normalizePhone(phone: string): string {
    const e164 = normalizeVietnamesePhone(phone);
    if (!e164) throw ProblemException.validation([{ field: 'phone', constraint: 'isPhone' }]);
    return e164;
  }

  phoneHash(e164: string): string {
    return this.cipher.lookupHash(e164);
  }

  async accept(
    dto: CreateConsultationDto,
    context: { ip: string; idempotencyKey?: string },
  ): Promise<ConsultationAcceptedDto> {
    const phone = this.normalizePhone(dto.phone);
    const province = await this.reference.resolveProvince(dto.province);
    if (!province) throw ProblemException.validation([{ field: 'province', constraint: 'isProvince' }]);
    const order = await this.recentOrderFacts(dto.jobOrderId);
    if (!order) throw ProblemException.notFound();
    const reason =
      judgeEligibility(order, dto, new Date()) ??
      ((await this.regulation.isLocalitySuspended({ ...order, provinceCode: province.code }))
        ? 'LOCALITY_SUSPENDED'
        : undefined);
    if (reason) throw rejection(reason);

    const fullName = dto.fullName.trim().replace(/\s+/g, ' ');
    const message = dto.message?.trim() || null;
    const requestHash = createHash('sha256')
      .update(
        JSON.stringify([
          dto.jobOrderId,
          fullName,
          phone,
          province.code,
          dto.birthYear,
          dto.gender ?? null,
          message,
        ]),
      )
      .digest('hex');
    const result = await this.repository.accept(
      {
        id: randomUUID(),
        trackingCode: newTrackingCode(),
        jobOrderId: order.id,
        agencyId: order.agencyId,
        fullNameEncrypted: this.cipher.encrypt(fullName),
        phoneEncrypted: this.cipher.encrypt(phone),
        phoneHash: this.phoneHash(phone),
        provinceCode: province.code,
        birthYear: dto.birthYear,
        gender: dto.gender ?? null,
        messageEncrypted: message ? this.cipher.encrypt(message) : null,
        ipHash: this.cipher.lookupHash(`ip:${context.ip}`),
        consentPolicyVersion: CONSENT_POLICY_VERSION,
      },
      context.idempotencyKey ? { key: context.idempotencyKey, requestHash } : undefined,
    );
    if (result.kind === 'key-reused') {
      throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, 'IDEMPOTENCY_KEY_REUSED');
    }
    if (result.kind === 'in-progress') throw new ProblemException(HttpStatus.CONFLICT, 'CONFLICT');
    return result.response;
  }

  /** Status and timeline for the job seeker; a wrong phone is indistinguishable from an unknown code. */
  async track(trackingCode: string, phone: string): Promise<ConsultationTrackingDto> {
    const e164 = normalizeVietnamesePhone(phone);
    const code = trackingCode.toUpperCase();
    const row = TRACKING_CODE.test(code) && e164 ? await this.repository.findByTrackingCode(code) : undefined;
    if (!row || row.phoneHash !== this.phoneHash(e164!)) throw ProblemException.notFound();
    const timeline = await this.repository.findTimeline(row.id);
    return {
      trackingCode: row.trackingCode,
      status: row.status,
      ...(row.rejectionReason ? { reason: row.rejectionReason } : {}),
      jobOrder: { id: row.jobOrderId, title: row.jobOrderTitle },
      agency: { id: row.agencyId, name: row.agencyName, licenseNumber: row.agencyLicenseNumber },
      timeline: timeline.map((entry) => ({ status: entry.status, at: entry.at.toISOString() })),
    };
  }

  /**
   * The worker's step: re-checks eligibility with the request locked and assigns it to the order's agency,
   * or rejects it. Returns undefined when the request was already handled.
   */
  settle(requestId: string): Promise<{ reject?: RejectionReason; notify: boolean } | undefined> {
    return this.audit.transaction(async (tx) => {
      const settled = await this.repository.settleReceived(tx, requestId, async (request) => {
        const order = await this.jobOrders.findForEligibility(request.jobOrderId);
        const reject = order ? judgeEligibility(order, request, new Date()) : 'ORDER_NOT_OPEN';
        if (reject || !order) return { reject };
        const suspended = await this.regulation.isLocalitySuspended(
          { ...order, provinceCode: request.provinceCode },
          true,
        );
        return { reject: suspended ? ('LOCALITY_SUSPENDED' as const) : undefined };
      });
      if (settled) {
        await this.audit.append(tx, {
          actor: SYSTEM_ACTOR,
          action: settled.reject ? 'consultation.reject' : 'consultation.assign',
          entityType: 'consultation_request',
          entityId: requestId,
          before: { status: 'received' },
          after: settled.reject ? { status: 'rejected', reason: settled.reject } : { status: 'assigned' },
        });
      }
      return settled;
    });
  }

  /** The agency's leads with the applicants' names and phones; every read of them is audited. */
  async listLeads(actor: Actor, agencyId: string, query: AgencyLeadQueryDto): Promise<Page<AgencyLeadDto>> {
    const after = decodeKeyset(query.cursor);
    const rows = (await this.repository.findLeadsForAgency(agencyId, {
      status: query.status,
      after: after && { createdAt: after.key, id: after.id },
      limit: query.limit + 1,
    })) as (LeadRow & { sortKey: string })[];
    const page = toPage(
      rows,
      query.limit,
      (row) => this.toLead(row),
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
    const [updated] = await this.repository.findLeadForAgency(agencyId, requestId);
    return this.toLead(updated);
  }

  async setWebhook(actor: Actor, agencyId: string, url: string, secret: string): Promise<void> {
    if (await unsafeUrlReason(url, this.config.webhookAllowPrivate)) {
      throw ProblemException.validation([{ field: 'url', constraint: 'isPublicUrl' }]);
    }
    await this.audit.transaction(async (tx) => {
      await this.repository.saveWebhook(tx, agencyId, url, this.cipher.encrypt(secret));
      await this.audit.append(tx, {
        actor,
        action: 'agency.webhook_set',
        entityType: 'agency',
        entityId: agencyId,
        after: { webhookUrl: url },
      });
    });
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

  /** The signed notification for an assigned request, or undefined when there is nothing to send. */
  async notification(
    requestId: string,
  ): Promise<{ url: string; body: string; signature: string } | undefined> {
    const delivery = await this.repository.findDelivery(requestId);
    if (!delivery || delivery.deliveredAt) return undefined;
    const [lead] = await this.repository.findLeadForAgency(delivery.agencyId, requestId);
    if (!lead) return undefined;
    const body = JSON.stringify({
      event: 'consultation.assigned',
      deliveryId: requestId,
      lead: this.toLead(lead),
    });
    const signature = createHmac('sha256', this.cipher.decrypt(delivery.secretEncrypted))
      .update(body)
      .digest('hex');
    return { url: delivery.url, body, signature: `sha256=${signature}` };
  }

  recordDelivery(requestId: string, error: string | null): Promise<void> {
    return this.repository.recordDeliveryAttempt(requestId, error);
  }

  relayOutbox(...args: Parameters<ConsultationsRepository['relayOutbox']>): Promise<number> {
    return this.repository.relayOutbox(...args);
  }

  findStalled(
    olderThanSeconds: number,
    limit: number,
  ): Promise<{ requestId: string; stage: 'intake' | 'notify' }[]> {
    return this.repository.findStalled(olderThanSeconds, limit);
  }

  purgeExpired(): Promise<void> {
    return this.repository.purgeExpired();
  }

  /** An order's eligibility facts, read at most ORDER_FACTS_MAX_AGE_MS ago; unknown orders are not kept. */
  private async recentOrderFacts(id: string): Promise<OrderEligibilityRow | undefined> {
    const now = Date.now();
    const cached = this.orderFacts.get(id);
    if (cached && now - cached.readAt < ORDER_FACTS_MAX_AGE_MS) return cached.row;
    const row = await this.jobOrders.findForEligibility(id);
    if (this.orderFacts.size >= ORDER_FACTS_MAX_ENTRIES) this.orderFacts.clear();
    if (row) this.orderFacts.set(id, { row, readAt: now });
    else this.orderFacts.delete(id);
    return row;
  }

  private toLead(row: LeadRow): AgencyLeadDto {
    return {
      id: row.id,
      jobOrderId: row.jobOrderId,
      fullName: this.cipher.decrypt(row.fullNameEncrypted),
      phone: this.cipher.decrypt(row.phoneEncrypted),
      province: row.provinceName,
      birthYear: row.birthYear,
      gender: row.gender,
      message: row.messageEncrypted ? this.cipher.decrypt(row.messageEncrypted) : null,
      status: row.status,
      outcome: row.outcome,
      createdAt: row.createdAt.toISOString(),
      assignedAt: row.assignedAt?.toISOString() ?? null,
      firstContactedAt: row.firstContactedAt?.toISOString() ?? null,
    };
  }
}

function rejection(reason: RejectionReason): ProblemException {
  return new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, reason);
}
