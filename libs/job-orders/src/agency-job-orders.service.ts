import { AgenciesService, LicenseStatus } from '@app/agencies';
import { ComplianceAssessment, FlagsService, violationsProblem } from '@app/compliance';
import {
  Actor,
  AuditLog,
  Caches,
  decodeKeyset,
  FieldError,
  isUuid,
  Page,
  ProblemException,
  toPage,
  Tx,
} from '@app/core';
import { ReferenceService } from '@app/reference';
import { HttpStatus, Injectable } from '@nestjs/common';

import { AgencyJobOrdersRepository, JobOrderTerms } from './agency-job-orders.repository';
import {
  AgencyJobOrderDto,
  AgencyJobOrderQueryDto,
  CreateJobOrderDto,
  UpdateJobOrderDto,
} from './dto/agency-job-order.dto';
import { JobOrder, RegistrationStatus } from './job-order.entity';
import { JOB_ORDER_PUBLISHED, LISTINGS_CHANGED } from './job-orders.service';
import { OrderAssessor } from './order-assessor';

/** Licence states in which an agency may prepare orders, and the one in which it may submit and publish. */
const MAY_PREPARE: readonly LicenseStatus[] = ['active', 'pending_verification'];
/** Registration states in which the terms the authority registers may still change. */
const TERMS_EDITABLE: readonly RegistrationStatus[] = ['draft', 'rejected'];

/** Terms registered with the authority, by the DTO field that writes them. */
const REGISTERED_TERMS: Partial<Record<keyof JobOrderTerms, string>> = {
  countryCode: 'country',
  industryCode: 'industry',
  programCode: 'program',
  gender: 'gender',
  birthYearFrom: 'birthYearFrom',
  birthYearTo: 'birthYearTo',
  salaryAmount: 'salary.amount',
  salaryCurrency: 'salary.currency',
  contractMonths: 'contractMonths',
  serviceFeeVnd: 'costs.serviceFeeVnd',
  trainingFeeVnd: 'costs.trainingVnd',
  depositVnd: 'costs.depositVnd',
  airfareVnd: 'costs.airfareVnd',
  brokerageFeeVnd: 'costs.brokerageVnd',
  otherCostVnd: 'costs.otherVnd',
};

interface Standing {
  licenseStatus: LicenseStatus;
  isPublicSendingCentre: boolean;
}

/**
 * The agency workspace for job orders: create, edit, submit for registration, publish and close. Each
 * change is made with the order locked and writes its audit entry in the same transaction.
 */
@Injectable()
export class AgencyJobOrdersService {
  constructor(
    private readonly repository: AgencyJobOrdersRepository,
    private readonly agencies: AgenciesService,
    private readonly reference: ReferenceService,
    private readonly flags: FlagsService,
    private readonly audit: AuditLog,
    private readonly caches: Caches,
    private readonly assessorFactory: OrderAssessor,
  ) {}

  async list(agencyId: string, query: AgencyJobOrderQueryDto): Promise<Page<AgencyJobOrderDto>> {
    const after = decodeKeyset(query.cursor);
    const [rows, standing] = await Promise.all([
      this.repository.listForAgency(agencyId, {
        publicationStatus: query.publicationStatus,
        registrationStatus: query.registrationStatus,
        after: after && { createdAt: after.key, id: after.id },
        limit: query.limit + 1,
      }),
      this.agencies.standing(agencyId),
    ]);
    const assess = await this.assessor(standing);
    return toPage(
      rows,
      query.limit,
      (order) => toAgencyJobOrderDto(order, assess(order)),
      (row) => [row.sortKey, row.id],
    );
  }

  async get(agencyId: string, id: string): Promise<AgencyJobOrderDto> {
    const order = isUuid(id) ? await this.repository.findForAgency(agencyId, id) : null;
    if (!order) throw ProblemException.notFound();
    const assess = await this.assessor(await this.agencies.standing(agencyId));
    return toAgencyJobOrderDto(order, assess(order));
  }

  async create(agencyId: string, actor: Actor, dto: CreateJobOrderDto): Promise<AgencyJobOrderDto> {
    const terms = await this.resolveTerms(dto);
    return this.change(agencyId, async (tx, standing) => {
      requireLicence(standing, MAY_PREPARE);
      const order = await this.repository.insertForAgency(tx, agencyId, terms);
      await this.record(tx, actor, 'job_order.create', null, order);
      return order;
    });
  }

  update(agencyId: string, actor: Actor, id: string, dto: UpdateJobOrderDto): Promise<AgencyJobOrderDto> {
    return this.change(agencyId, async (tx, standing, assess) => {
      requireLicence(standing, MAY_PREPARE);
      const current = await this.lock(tx, agencyId, id);
      if (current.publicationStatus === 'taken_down') {
        throw new ProblemException(HttpStatus.CONFLICT, 'ORDER_TAKEN_DOWN');
      }
      const terms = await this.resolveTerms(dto, current);
      if (!TERMS_EDITABLE.includes(current.registrationStatus)) {
        const locked = (Object.keys(REGISTERED_TERMS) as (keyof JobOrderTerms)[]).filter(
          (column) => String(terms[column]) !== String(current[column]),
        );
        if (locked.length) {
          throw new ProblemException(
            HttpStatus.CONFLICT,
            'REGISTRATION_LOCKED',
            {},
            locked.map((column) => ({ field: REGISTERED_TERMS[column]!, constraint: 'isLocked' })),
          );
        }
      }
      const updated = await this.repository.updateForAgency(tx, agencyId, id, terms);
      if (updated.publicationStatus === 'published') {
        const assessment = assess(updated);
        if (assessment.violations.length) throw violationsProblem(assessment.violations);
        await this.flags.raiseForOrder(tx, updated, { flags: assessment.flags });
      }
      await this.record(tx, actor, 'job_order.update', current, updated);
      if (updated.publicationStatus === 'published') await this.caches.announce(LISTINGS_CHANGED, tx);
      return updated;
    });
  }

  /** Asks the authority to register the order (trình cục). */
  submit(agencyId: string, actor: Actor, id: string): Promise<AgencyJobOrderDto> {
    return this.change(agencyId, async (tx, standing) => {
      requireLicence(standing, ['active']);
      const current = await this.lock(tx, agencyId, id);
      if (
        !TERMS_EDITABLE.includes(current.registrationStatus) ||
        current.publicationStatus === 'taken_down'
      ) {
        throw new ProblemException(HttpStatus.CONFLICT, 'INVALID_TRANSITION');
      }
      const updated = await this.repository.updateForAgency(tx, agencyId, id, {
        registrationStatus: 'submitted',
        registrationRejectionReason: null,
      });
      await this.record(tx, actor, 'job_order.submit', current, updated);
      return updated;
    });
  }

  /** Publishes the order if it passes every rule; otherwise a 422 lists each violated rule. */
  publish(agencyId: string, actor: Actor, id: string): Promise<AgencyJobOrderDto> {
    return this.change(agencyId, async (tx, standing, assess) => {
      requireLicence(standing, ['active']);
      const current = await this.lock(tx, agencyId, id);
      if (current.publicationStatus === 'taken_down') {
        throw new ProblemException(HttpStatus.CONFLICT, 'ORDER_TAKEN_DOWN');
      }
      if (current.publicationStatus === 'published') return current;
      const assessment = assess(current);
      if (assessment.violations.length) throw violationsProblem(assessment.violations);
      const updated = await this.repository.updateForAgency(tx, agencyId, id, {
        publicationStatus: 'published',
        publishedAt: new Date(),
      });
      await this.flags.raiseForOrder(tx, updated, { flags: assessment.flags });
      await this.record(tx, actor, 'job_order.publish', current, updated);
      await this.caches.announce(LISTINGS_CHANGED, tx);
      await this.caches.announce(JOB_ORDER_PUBLISHED, tx, {
        orderId: updated.id,
        publishedAt: updated.publishedAt!.toISOString(),
      });
      return updated;
    });
  }

  /** Stops recruiting on a published order; allowed whatever the licence, since it only removes a listing. */
  close(agencyId: string, actor: Actor, id: string): Promise<AgencyJobOrderDto> {
    return this.change(agencyId, async (tx) => {
      const current = await this.lock(tx, agencyId, id);
      if (current.publicationStatus !== 'published') {
        throw new ProblemException(HttpStatus.CONFLICT, 'INVALID_TRANSITION');
      }
      const updated = await this.repository.updateForAgency(tx, agencyId, id, {
        publicationStatus: 'closed',
      });
      await this.record(tx, actor, 'job_order.close', current, updated);
      await this.caches.announce(LISTINGS_CHANGED, tx);
      return updated;
    });
  }

  /**
   * Runs one change in a transaction with the agency's licence row share-locked, so a licence decision
   * cannot interleave with it, and answers with the order as it now is.
   */
  private async change(
    agencyId: string,
    work: (
      tx: Tx,
      standing: Standing,
      assess: (order: JobOrder) => ComplianceAssessment,
    ) => Promise<JobOrder>,
  ): Promise<AgencyJobOrderDto> {
    const { order, assessment } = await this.audit.transaction(async (tx) => {
      const standing = await this.agencies.standing(agencyId, tx);
      const assess = await this.assessor(standing);
      const order = await work(tx, standing, assess);
      return { order, assessment: assess(order) };
    });
    return toAgencyJobOrderDto(order, assessment);
  }

  private async lock(tx: Tx, agencyId: string, id: string): Promise<JobOrder> {
    const order = isUuid(id) ? await this.repository.findForAgency(agencyId, id, tx) : null;
    if (!order) throw ProblemException.notFound();
    return order;
  }

  private record(
    tx: Tx,
    actor: Actor,
    action: string,
    before: JobOrder | null,
    after: JobOrder,
  ): Promise<void> {
    return this.audit.append(tx, {
      actor,
      action,
      entityType: 'job_order',
      entityId: after.id,
      before: before && auditView(before),
      after: auditView(after),
    });
  }

  private async assessor(standing: Standing): Promise<(order: JobOrder) => ComplianceAssessment> {
    const assess = await this.assessorFactory.prepare();
    return (order) => assess(order, standing.isPublicSendingCentre);
  }

  /** The order's terms after applying `dto` to `current` (or to nothing), checked against the taxonomies. */
  private async resolveTerms(dto: UpdateJobOrderDto, current?: JobOrder): Promise<JobOrderTerms> {
    const costs = dto.costs ?? {};
    const terms = {
      title: dto.title ?? current?.title,
      occupation: dto.occupation ?? current?.occupation,
      description: dto.description ?? current?.description ?? '',
      requirements: dto.requirements ?? current?.requirements ?? '',
      countryCode: dto.country ?? current?.countryCode,
      workLocation: dto.workLocation ?? current?.workLocation,
      industryCode: dto.industry ?? current?.industryCode,
      programCode: dto.program ?? current?.programCode,
      openings: dto.openings ?? current?.openings,
      gender: dto.gender ?? current?.gender ?? 'any',
      birthYearFrom: dto.birthYearFrom ?? current?.birthYearFrom,
      birthYearTo: dto.birthYearTo ?? current?.birthYearTo,
      salaryAmount: dto.salary ? dto.salary.amount.toFixed(2) : current?.salaryAmount,
      salaryCurrency: dto.salary?.currency ?? current?.salaryCurrency,
      contractMonths: dto.contractMonths ?? current?.contractMonths,
      serviceFeeVnd: costs.serviceFeeVnd ?? current?.serviceFeeVnd ?? 0,
      trainingFeeVnd: costs.trainingVnd ?? current?.trainingFeeVnd ?? 0,
      depositVnd: costs.depositVnd ?? current?.depositVnd ?? 0,
      airfareVnd: costs.airfareVnd ?? current?.airfareVnd ?? 0,
      brokerageFeeVnd: costs.brokerageVnd ?? current?.brokerageFeeVnd ?? 0,
      otherCostVnd: costs.otherVnd ?? current?.otherCostVnd ?? 0,
      expectedDepartureMonths: dto.expectedDepartureMonths ?? current?.expectedDepartureMonths ?? null,
    } as Omit<JobOrderTerms, 'salaryVndEstimate' | 'totalCostVnd'>;

    const [countries, industries, programs, rates] = await Promise.all([
      this.reference.countries(),
      this.reference.industries(),
      this.reference.programs(),
      this.reference.exchangeRates(),
    ]);
    const errors: FieldError[] = [];
    if (!countries.some((country) => country.code === terms.countryCode))
      errors.push({ field: 'country', constraint: 'isCountry' });
    if (!industries.some((industry) => industry.code === terms.industryCode))
      errors.push({ field: 'industry', constraint: 'isIndustry' });
    const program = programs.find((candidate) => candidate.code === terms.programCode);
    if (!program) errors.push({ field: 'program', constraint: 'isProgram' });
    else if (program.countryCode && program.countryCode !== terms.countryCode)
      errors.push({ field: 'program', constraint: 'isProgramForCountry' });
    if (terms.birthYearFrom > terms.birthYearTo)
      errors.push({ field: 'birthYearTo', constraint: 'isBirthYearRange' });
    const rate = rates.get(terms.salaryCurrency);
    if (rate === undefined) errors.push({ field: 'salary.currency', constraint: 'isCurrencyWithRate' });
    if (errors.length) throw ProblemException.validation(errors);

    return {
      ...terms,
      salaryVndEstimate: Math.round(Number(terms.salaryAmount) * rate!),
      totalCostVnd:
        terms.serviceFeeVnd +
        terms.trainingFeeVnd +
        terms.depositVnd +
        terms.airfareVnd +
        terms.brokerageFeeVnd +
        terms.otherCostVnd,
    };
  }
}

function requireLicence(standing: Standing, allowed: readonly LicenseStatus[]): void {
  if (!allowed.includes(standing.licenseStatus)) {
    throw new ProblemException(HttpStatus.FORBIDDEN, 'AGENCY_NOT_ACTIVE');
  }
}

/** What the audit log keeps of an order: every column but the search text and the timestamps. */
export function auditView(order: JobOrder): Record<string, unknown> {
  const { createdAt: _created, updatedAt: _updated, searchText: _search, ...view } = order;
  return view;
}

export function toAgencyJobOrderDto(order: JobOrder, assessment: ComplianceAssessment): AgencyJobOrderDto {
  return {
    id: order.id,
    title: order.title,
    occupation: order.occupation,
    description: order.description,
    requirements: order.requirements,
    country: order.countryCode,
    workLocation: order.workLocation,
    industry: order.industryCode,
    program: order.programCode,
    openings: order.openings,
    gender: order.gender,
    birthYearFrom: order.birthYearFrom,
    birthYearTo: order.birthYearTo,
    salary: { amount: Number(order.salaryAmount), currency: order.salaryCurrency },
    salaryVndEstimate: order.salaryVndEstimate,
    contractMonths: order.contractMonths,
    costs: {
      serviceFeeVnd: order.serviceFeeVnd,
      trainingVnd: order.trainingFeeVnd,
      depositVnd: order.depositVnd,
      airfareVnd: order.airfareVnd,
      brokerageVnd: order.brokerageFeeVnd,
      otherVnd: order.otherCostVnd,
    },
    totalCostVnd: order.totalCostVnd,
    expectedDepartureMonths: order.expectedDepartureMonths,
    registration: {
      status: order.registrationStatus,
      number: order.registrationNumber,
      approvedOn: order.registrationApprovedOn,
      approvedHeadcount: order.approvedHeadcount,
      rejectionReason: order.registrationRejectionReason,
    },
    publicationStatus: order.publicationStatus,
    publishedAt: order.publishedAt?.toISOString() ?? null,
    takedownReason: order.takedownReason,
    views: order.views,
    consultationCount: order.consultationCount,
    compliance: {
      serviceFeeCapVnd: assessment.caps.serviceFeeVnd,
      serviceFeeCapMonths: assessment.caps.serviceFeeMonths,
      depositCapVnd: assessment.caps.depositVnd,
      minimumSalaryUsd: assessment.caps.minimumSalaryUsd,
      withinCaps: assessment.withinCaps,
      publishable: assessment.violations.length === 0,
      violations: assessment.violations,
      wordingFlags: assessment.flags.map(({ code, field, phrase }) => ({ code, field, phrase })),
    },
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}
