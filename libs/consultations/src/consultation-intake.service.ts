import { createHash, randomUUID } from 'node:crypto';

import { ApplicantCipher, Sealer, SmsService } from '@app/applicants';
import {
  AuditLog,
  CachedRead,
  Caches,
  normalizeVietnamesePhone,
  PersonalDataCipher,
  ProblemException,
  RateLimiter,
} from '@app/core';
import { AGENCY_LICENSE_CHANGED } from '@app/agencies';
import { JobOrdersService, LISTINGS_CHANGED, OrderEligibilityRow } from '@app/job-orders';
import { ReferenceService } from '@app/reference';
import { RegulationService } from '@app/regulation';
import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';

import { CONSENT_POLICY_VERSION } from './consent';
import { ConsultationsRepository, NewConsultation } from './consultations.repository';
import { newTrackingCode, normalizeTrackingCode } from './tracking-code';
import { CONSULTATION_SETTINGS, ConsultationSettings } from './consultations.settings';
import {
  ConsultationAcceptedDto,
  ConsultationTrackingDto,
  CreateConsultationDto,
} from './dto/consultation.dto';
import { judgeEligibility, RejectionReason } from './eligibility';

const HOUR = 3600;
const TRACKING_LOOKUPS_PER_IP_PER_HOUR = 120;

/**
 * How long the api may judge a request on an order's facts read earlier. The worker judges again on fresh
 * rows with the request locked, so a suspension within this window still ends in AGENCY_NOT_ACTIVE.
 */
const ORDER_FACTS_MAX_AGE_MS = 1000;

/** Sealing again under the phone's kept key succeeds at once unless an erasure races it; past this, fail. */
const MAX_RESEALS = 2;

/**
 * The job seeker's side: "Tư vấn giúp tôi" and tracking.
 *
 * `accept` judges what it can at once (order open, agency active, age, gender, locality suspensions), then
 * stores the request through `accept_consultations()` (migrations/…-AcceptConsultationsBatch.ts), which
 * decides in one transaction, for a batch of concurrent requests:
 * - Idempotency-Key: a key seen before answers `replayed` (same normalised request), `key-reused`
 *   (another request: 422) or `in-progress` (its first request is not committed yet: 409);
 * - dedupe: one request per phone and order per 24 hours, serialised by an advisory lock on the phone and
 *   order, so a second request answers with the first one's tracking code and status;
 * - otherwise it writes the request (its creation is the timeline's `received`), its consent and the outbox
 *   row of its intake job, all committed before the 202.
 * test/consultations.e2e-spec.ts exercises each of these answers through this service.
 */
@Injectable()
export class ConsultationIntakeService {
  private readonly logger = new Logger(ConsultationIntakeService.name);
  private readonly orderFacts: CachedRead<OrderEligibilityRow | undefined>;

  constructor(
    private readonly repository: ConsultationsRepository,
    private readonly jobOrders: JobOrdersService,
    private readonly reference: ReferenceService,
    private readonly regulation: RegulationService,
    private readonly cipher: PersonalDataCipher,
    private readonly limiter: RateLimiter,
    private readonly sms: SmsService,
    private readonly applicantCipher: ApplicantCipher,
    private readonly audit: AuditLog,
    @Inject(CONSULTATION_SETTINGS.token) private readonly config: ConsultationSettings,
    caches: Caches,
  ) {
    this.orderFacts = caches.define<OrderEligibilityRow | undefined>({
      name: 'order-facts',
      maxAgeMs: ORDER_FACTS_MAX_AGE_MS,
      // Read again before they age out, so that a hot order's requests never wait for the read.
      refreshAheadMs: ORDER_FACTS_MAX_AGE_MS / 4,
      maxEntries: 10_000,
      endedBy: [LISTINGS_CHANGED, AGENCY_LICENSE_CHANGED],
    });
  }

  async accept(
    dto: CreateConsultationDto,
    context: { ip: string; idempotencyKey?: string },
  ): Promise<ConsultationAcceptedDto> {
    const phone = normalizeVietnamesePhone(dto.phone);
    const phoneHash = phone && this.cipher.lookupHash(phone);
    const ipHash = this.cipher.lookupHash(`ip:${context.ip}`);
    const { rateLimits } = this.config;
    const limits = [{ key: `consultations:ip:${ipHash}`, limit: rateLimits.consultationsPerIpPerHour }];
    if (phoneHash) {
      limits.push({
        key: `consultations:phone:${phoneHash}`,
        limit: rateLimits.consultationsPerPhonePerHour,
      });
    }
    await this.limiter.consume(limits, HOUR);
    if (!phone || !phoneHash) throw ProblemException.validation([{ field: 'phone', constraint: 'isPhone' }]);

    const province = await this.reference.resolveProvince(dto.province);
    if (!province) throw ProblemException.validation([{ field: 'province', constraint: 'isProvince' }]);
    const order = await this.orderFacts.get(dto.jobOrderId, () =>
      this.jobOrders.findForEligibility(dto.jobOrderId),
    );
    if (!order) throw ProblemException.notFound();
    const reason =
      judgeEligibility(order, dto, new Date()) ??
      ((await this.regulation.isLocalitySuspended({ ...order, provinceCode: province.code }))
        ? 'LOCALITY_SUSPENDED'
        : undefined);
    if (reason) throw rejection(reason);

    const fullName = dto.fullName.trim().replace(/\s+/g, ' ');
    const message = dto.message?.trim() || null;
    const fields = { fullName, phone, message };
    const base = {
      id: randomUUID(),
      trackingCode: newTrackingCode(),
      jobOrderId: order.id,
      agencyId: order.agencyId,
      phoneHash,
      provinceCode: province.code,
      birthYear: dto.birthYear,
      gender: dto.gender ?? null,
      ipHash,
      consentPolicyVersion: CONSENT_POLICY_VERSION,
    };
    // A replay is recognised by the same normalised request under the same key.
    const idempotency = context.idempotencyKey
      ? {
          key: context.idempotencyKey,
          requestHash: createHash('sha256')
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
            .digest('hex'),
        }
      : undefined;
    const store = (sealer: Sealer) =>
      this.repository.accept({ ...base, ...seal(sealer, fields) }, sealer, idempotency);
    let sealer = await this.applicantCipher.sealerFor(phoneHash);
    let result = await store(sealer);
    // Sealed under a key the phone does not keep (another request created its key first): seal again.
    for (let attempt = 1; result.kind === 'rekey'; attempt++) {
      if (attempt > MAX_RESEALS) throw new Error('the applicant key kept changing');
      sealer = await this.applicantCipher.sealerFor(phoneHash, result.keptKey);
      result = await store(sealer);
    }
    await this.applicantCipher.keep(phoneHash, sealer);
    if (result.kind === 'key-reused') {
      throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, 'IDEMPOTENCY_KEY_REUSED');
    }
    if (result.kind === 'in-progress') throw new ProblemException(HttpStatus.CONFLICT, 'CONFLICT');
    if (result.kind === 'duplicate') await this.remind(phone, result.response.trackingCode);
    // A duplicate's answer is the same for whoever sent it: only the phone's owner learns its code.
    if (result.kind === 'duplicate' || result.kind === 'replayed-duplicate') {
      return { status: 'received', duplicate: true };
    }
    return result.response;
  }

  /** Sends the earlier request's tracking code to the phone that made it; never fails the answer. */
  private async remind(phone: string, trackingCode: string): Promise<void> {
    try {
      await this.audit.transaction((tx) =>
        this.sms.send(
          tx,
          phone,
          `Ban da dang ky tu van don hang nay trong 24 gio qua. Ma theo doi: ${trackingCode}. Tra cuu bang ma nay va so dien thoai cua ban.`,
        ),
      );
    } catch (error) {
      this.logger.warn(
        { err: error instanceof Error ? error.message : error },
        'duplicate reminder not queued',
      );
    }
  }

  /** Status and timeline for the job seeker; a wrong phone is indistinguishable from an unknown code. */
  async track(trackingCode: string, phone: string, ip: string): Promise<ConsultationTrackingDto> {
    await this.limiter.consume(
      [{ key: `tracking:ip:${this.cipher.lookupHash(`ip:${ip}`)}`, limit: TRACKING_LOOKUPS_PER_IP_PER_HOUR }],
      HOUR,
    );
    const e164 = normalizeVietnamesePhone(phone);
    const code = normalizeTrackingCode(trackingCode);
    const row = code && e164 ? await this.repository.findByTrackingCode(code) : undefined;
    if (!row || row.phoneHash !== this.cipher.lookupHash(e164!)) throw ProblemException.notFound();
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
}

function seal(
  sealer: Sealer,
  fields: { fullName: string; phone: string; message: string | null },
): Pick<NewConsultation, 'fullNameEncrypted' | 'phoneEncrypted' | 'messageEncrypted'> {
  return {
    fullNameEncrypted: sealer.cipher.encrypt(fields.fullName),
    phoneEncrypted: sealer.cipher.encrypt(fields.phone),
    messageEncrypted: fields.message ? sealer.cipher.encrypt(fields.message) : null,
  };
}

function rejection(reason: RejectionReason): ProblemException {
  return new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, reason);
}
