import { AgenciesService } from '@app/agencies';
import { FlagsService } from '@app/compliance';
import {
  Actor,
  AuditLog,
  Caches,
  decodeKeyset,
  isUuid,
  normalizeVietnamesePhone,
  Page,
  PersonalDataCipher,
  ProblemException,
  RateLimiter,
  toPage,
  Tx,
} from '@app/core';
import { HttpStatus, Injectable } from '@nestjs/common';

import { auditView, toAgencyJobOrderDto } from './agency-job-orders.service';
import { AgencyJobOrderDto } from './dto/agency-job-order.dto';
import {
  CreateReportDto,
  RegistrationDecisionDto,
  RegulatorJobOrderDto,
  RegulatorJobOrderQueryDto,
  ReportAcceptedDto,
} from './dto/oversight.dto';
import { JobOrderOversightRepository } from './job-order-oversight.repository';
import { JobOrder, RegistrationStatus } from './job-order.entity';
import { LISTINGS_CHANGED } from './job-orders.service';
import { OrderAssessor } from './order-assessor';

/** Which registration states each decision may follow. */
const DECISION_FROM: Record<RegistrationDecisionDto['decision'], readonly RegistrationStatus[]> = {
  source_preparation: ['submitted'],
  approved: ['submitted', 'source_preparation'],
  rejected: ['submitted', 'source_preparation'],
};
const REPORTS_PER_IP_PER_HOUR = 10;

/** The regulators' hold on job orders: registration decisions and takedowns; and the public's reports. */
@Injectable()
export class JobOrderOversightService {
  constructor(
    private readonly repository: JobOrderOversightRepository,
    private readonly agencies: AgenciesService,
    private readonly flags: FlagsService,
    private readonly audit: AuditLog,
    private readonly caches: Caches,
    private readonly assessor: OrderAssessor,
    private readonly limiter: RateLimiter,
    private readonly cipher: PersonalDataCipher,
  ) {}

  async list(query: RegulatorJobOrderQueryDto): Promise<Page<RegulatorJobOrderDto>> {
    const after = decodeKeyset(query.cursor);
    const rows = await this.repository.list({
      registrationStatus: query.registrationStatus,
      publicationStatus: query.publicationStatus,
      agencyId: query.agencyId,
      after: after && { updatedAt: after.key, id: after.id },
      limit: query.limit + 1,
    });
    const assess = await this.assessor.prepare();
    return toPage(
      rows,
      query.limit,
      (order) => ({
        ...toAgencyJobOrderDto(order, assess(order, order.agency?.isPublicSendingCentre ?? false)),
        agencyId: order.agencyId,
      }),
      (row) => [row.sortKey, row.id],
    );
  }

  /**
   * Records the authority's decision on a submitted order. A rejection ends a live listing; an approved
   * headcount below the published openings raises a flag (rule 3).
   */
  async decideRegistration(
    actor: Actor,
    id: string,
    dto: RegistrationDecisionDto,
  ): Promise<AgencyJobOrderDto> {
    const missing = [
      ...(dto.decision === 'approved' && !dto.referenceNumber ? ['referenceNumber'] : []),
      ...(dto.decision === 'approved' && !dto.approvedHeadcount ? ['approvedHeadcount'] : []),
      ...(dto.decision === 'rejected' && !dto.reason ? ['reason'] : []),
    ];
    if (missing.length) {
      throw ProblemException.validation(missing.map((field) => ({ field, constraint: 'isDefined' })));
    }
    return this.change(actor, id, `job_order.registration.${dto.decision}`, async (tx, current) => {
      if (!DECISION_FROM[dto.decision].includes(current.registrationStatus)) {
        throw new ProblemException(HttpStatus.CONFLICT, 'INVALID_TRANSITION');
      }
      const rejected = dto.decision === 'rejected';
      // Published openings never exceed the approved headcount (rule 3): such a listing ends with the
      // decision, and a flag tells regulators why.
      const overHeadcount = dto.decision === 'approved' && current.openings > dto.approvedHeadcount!;
      const ends = (rejected || overHeadcount) && current.publicationStatus === 'published';
      const updated = await this.repository.update(tx, id, {
        registrationStatus: dto.decision,
        registrationRejectionReason: rejected ? dto.reason! : null,
        ...(dto.decision === 'approved'
          ? {
              registrationNumber: dto.referenceNumber!,
              registrationApprovedOn: dto.approvedOn ?? vietnamToday(),
              approvedHeadcount: dto.approvedHeadcount!,
            }
          : {}),
        ...(ends ? { publicationStatus: 'closed' as const } : {}),
      });
      if (overHeadcount && ends) {
        const assess = await this.assessor.prepare();
        const { isPublicSendingCentre: centre } = await this.agencies.standing(updated.agencyId);
        const { violations } = assess(updated, centre);
        await this.flags.raiseForOrder(tx, updated, {
          violations: violations.filter((violation) => violation.code === 'OPENINGS_OVER_APPROVED_HEADCOUNT'),
        });
      }
      return updated;
    });
  }

  /** Takes a listing down for good; the agency sees the reason and cannot republish it. */
  takedown(actor: Actor, id: string, reason: string): Promise<AgencyJobOrderDto> {
    return this.change(actor, id, 'job_order.takedown', async (tx, current) => {
      if (current.publicationStatus === 'taken_down') {
        throw new ProblemException(HttpStatus.CONFLICT, 'INVALID_TRANSITION');
      }
      return this.repository.update(tx, id, { publicationStatus: 'taken_down', takedownReason: reason });
    });
  }

  /** A job seeker's report of a suspicious listing: a flag in the regulators' queue. */
  async report(id: string, dto: CreateReportDto, ip: string): Promise<ReportAcceptedDto> {
    const phone = dto.contactPhone === undefined ? undefined : normalizeVietnamesePhone(dto.contactPhone);
    if (dto.contactPhone !== undefined && !phone) {
      throw ProblemException.validation([{ field: 'contactPhone', constraint: 'isPhone' }]);
    }
    const ipHash = this.cipher.lookupHash(`ip:${ip}`);
    await this.limiter.consume([{ key: `reports:ip:${ipHash}`, limit: REPORTS_PER_IP_PER_HOUR }], 3600);
    const order = isUuid(id) ? await this.repository.findPublic(id) : undefined;
    if (!order) throw ProblemException.notFound();
    const flagId = await this.audit.transaction((tx) =>
      this.flags.raiseReport(tx, order, {
        reason: dto.reason,
        detail: dto.detail?.trim() || null,
        contactPhoneEncrypted: phone ? this.cipher.encrypt(phone) : null,
        reporterIpHash: ipHash,
      }),
    );
    return { id: flagId, status: 'open' };
  }

  private async change(
    actor: Actor,
    id: string,
    action: string,
    work: (tx: Tx, current: JobOrder) => Promise<JobOrder>,
  ): Promise<AgencyJobOrderDto> {
    const { order, assessment } = await this.audit.transaction(async (tx) => {
      const current = isUuid(id) ? await this.repository.lock(tx, id) : null;
      if (!current) throw ProblemException.notFound();
      const updated = await work(tx, current);
      await this.audit.append(tx, {
        actor,
        action,
        entityType: 'job_order',
        entityId: id,
        before: auditView(current),
        after: auditView(updated),
      });
      await this.caches.announce(LISTINGS_CHANGED, tx);
      const assess = await this.assessor.prepare();
      const { isPublicSendingCentre: centre } = await this.agencies.standing(updated.agencyId);
      return { order: updated, assessment: assess(updated, centre) };
    });
    return toAgencyJobOrderDto(order, assessment);
  }
}

/** Today's date in Vietnam (UTC+7), where the authority dates its decisions. */
function vietnamToday(): string {
  return new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
}
