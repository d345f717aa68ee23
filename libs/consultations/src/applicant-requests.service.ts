import { ApplicantCipher } from '@app/applicants';
import {
  AuditLog,
  decodeKeyset,
  Page,
  PageQueryDto,
  ProblemException,
  SYSTEM_ACTOR,
  toPage,
  Tx,
} from '@app/core';
import { HttpStatus, Injectable } from '@nestjs/common';

import { CONSENT_TEXTS } from './consent';
import { ConsultationsRepository } from './consultations.repository';
import { ApplicantConsultationDto, ApplicantRequestExportDto } from './dto/consultation.dto';
import { LeadDeliveryService } from './lead-delivery.service';
import { normalizeTrackingCode } from './tracking-code';

const WITHDRAWABLE = new Set(['received', 'assigned', 'contacted']);
const RETENTION_BATCH = 500;

/** The applicant's side, for the holder of a proven phone: their requests, withdrawing one, their data. */
@Injectable()
export class ApplicantRequestsService {
  constructor(
    private readonly repository: ConsultationsRepository,
    private readonly delivery: LeadDeliveryService,
    private readonly applicantCipher: ApplicantCipher,
    private readonly audit: AuditLog,
  ) {}

  /** The requests made with the phone, newest first. */
  async list(phoneHash: string, query: PageQueryDto): Promise<Page<ApplicantConsultationDto>> {
    const after = decodeKeyset(query.cursor);
    const rows = await this.repository.findForPhone(phoneHash, {
      after: after && { createdAt: after.key, id: after.id },
      limit: query.limit + 1,
    });
    return toPage(
      rows,
      query.limit,
      (row) => ({
        trackingCode: row.trackingCode,
        status: row.status,
        jobOrder: { id: row.jobOrderId, title: row.jobOrderTitle },
        agency: { id: row.agencyId, name: row.agencyName, licenseNumber: row.agencyLicenseNumber },
        createdAt: row.createdAt.toISOString(),
      }),
      (row) => [row.sortKey, row.id],
    );
  }

  /**
   * Withdraws consent for one request: it ends `withdrawn`, its personal fields are erased, and an agency
   * that had it is told by a signed `consultation.withdrawn` event.
   */
  async withdraw(phoneHash: string, trackingCode: string): Promise<ApplicantConsultationDto> {
    const code = normalizeTrackingCode(trackingCode);
    if (!code) throw ProblemException.notFound();
    await this.audit.transaction(async (tx) => {
      const request = await this.repository.lockByTrackingCode(tx, code);
      if (!request) throw ProblemException.notFound();
      if (request.phoneHash !== phoneHash) throw new ProblemException(HttpStatus.FORBIDDEN, 'FORBIDDEN');
      if (!WITHDRAWABLE.has(request.status)) {
        throw new ProblemException(HttpStatus.CONFLICT, 'INVALID_TRANSITION');
      }
      await this.repository.markWithdrawn(tx, request.id);
      if (request.assigned) {
        await this.delivery.announce(tx, request.id, request.agencyId, 'consultation.withdrawn');
      }
      await this.audit.append(tx, {
        actor: SYSTEM_ACTOR,
        action: 'consultation.withdraw',
        entityType: 'consultation_request',
        entityId: request.id,
        before: { status: request.status },
        after: { status: 'withdrawn' },
      });
    });
    const [row] = await this.repository
      .findForPhone(phoneHash, { limit: 100 })
      .then((rows) => rows.filter((candidate) => candidate.trackingCode === code));
    return {
      trackingCode: row.trackingCode,
      status: row.status,
      jobOrder: { id: row.jobOrderId, title: row.jobOrderTitle },
      agency: { id: row.agencyId, name: row.agencyName, licenseNumber: row.agencyLicenseNumber },
      createdAt: row.createdAt.toISOString(),
    };
  }

  /** Every request of the phone with its personal fields (while they exist), timeline and consents. */
  async export(phoneHash: string): Promise<ApplicantRequestExportDto[]> {
    const rows = await this.repository.findExportForPhone(phoneHash);
    const open = (await this.applicantCipher.openersFor([phoneHash])).get(phoneHash)!;
    return rows.map((row) => ({
      trackingCode: row.trackingCode,
      status: row.status,
      ...(row.rejectionReason ? { reason: row.rejectionReason } : {}),
      outcome: row.outcome,
      createdAt: row.createdAt.toISOString(),
      jobOrder: { id: row.jobOrderId, title: row.jobOrderTitle },
      agency: { id: row.agencyId, name: row.agencyName, licenseNumber: row.agencyLicenseNumber },
      fullName: open(row.fullNameEncrypted),
      phone: open(row.phoneEncrypted),
      province: row.provinceName,
      birthYear: row.birthYear,
      gender: row.gender,
      message: open(row.messageEncrypted),
      personalDataErasedAt: row.personalDataErasedAt?.toISOString() ?? null,
      timeline: row.timeline.map((entry) => ({ status: entry.status, at: new Date(entry.at).toISOString() })),
      consents: row.consents.map((consent) => ({
        purpose: consent.purpose,
        policyVersion: consent.policyVersion,
        text: CONSENT_TEXTS[consent.policyVersion] ?? null,
        grantedAt: new Date(consent.grantedAt).toISOString(),
      })),
    }));
  }

  /** The phone (E.164) while any of its requests still holds it. */
  async phoneOf(phoneHash: string): Promise<string | null> {
    const sealed = await this.repository.findSealedPhone(phoneHash);
    if (!sealed) return null;
    return (await this.applicantCipher.openersFor([phoneHash])).get(phoneHash)!(sealed);
  }

  /**
   * Erasure, in the caller's transaction: every request's personal fields go, and each agency that had a
   * lead of the phone gets a signed `applicant.erased` event so it can delete its copy. Returns the count.
   */
  async erase(tx: Tx, phoneHash: string): Promise<number> {
    const leads = await this.repository.eraseForPhone(tx, phoneHash);
    for (const lead of leads) await this.delivery.announce(tx, lead.id, lead.agencyId, 'applicant.erased');
    return leads.length;
  }

  /** Retention: erases, in batches, the personal fields of requests untouched for `months`. */
  async eraseExpired(months: number): Promise<number> {
    let erased = 0;
    for (;;) {
      const batch = await this.repository.eraseUntouchedSince(months, RETENTION_BATCH);
      erased += batch;
      if (batch < RETENTION_BATCH) return erased;
    }
  }
}
