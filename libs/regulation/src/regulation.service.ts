import { AgenciesService, AgencyDetailDto, LicenseStatus } from '@app/agencies';
import {
  Actor,
  AuditLog,
  CachedRead,
  cacheEvent,
  Caches,
  ChainVerification,
  decodeCursor,
  decodeKeyset,
  FieldError,
  isUuid,
  Page,
  ProblemException,
  toPage,
} from '@app/core';
import { ReferenceService } from '@app/reference';
import { HttpStatus, Injectable } from '@nestjs/common';

import { AuditEntryDto, AuditLogQueryDto } from './dto/audit-log.dto';
import { LicenseDecision, LicenseDecisionDto } from './dto/license-decision.dto';
import { CreateSuspensionDto, SuspensionDto, SuspensionQueryDto } from './dto/suspension.dto';
import { RecruitmentSuspension } from './recruitment-suspension.entity';
import { RecruitmentSuspensionsRepository, SuspensionMatch } from './recruitment-suspensions.repository';

/** Licence states each decision may follow, and the audit action it records. */
const LICENSE_TRANSITIONS: Record<
  LicenseDecision,
  { from: readonly LicenseStatus[]; action: (from: LicenseStatus) => string }
> = {
  active: {
    from: ['pending_verification', 'suspended', 'expired'],
    action: (from) => (from === 'pending_verification' ? 'agency.verify' : 'agency.reinstate'),
  },
  suspended: { from: ['active'], action: () => 'agency.suspend' },
  revoked: { from: ['active', 'suspended', 'pending_verification'], action: () => 'agency.revoke' },
};

/** How long the api may judge requests on suspensions read earlier; the worker reads them fresh. */
const SUSPENSIONS_MAX_AGE_MS = 1000;
const SUSPENSIONS_CHANGED = cacheEvent('regulation.suspensions');

/** The regulators' decisions on agencies' licences and on recruitment in localities. */
@Injectable()
export class RegulationService {
  private readonly inForce: CachedRead<SuspensionMatchRow[]>;

  constructor(
    private readonly agencies: AgenciesService,
    private readonly suspensions: RecruitmentSuspensionsRepository,
    private readonly reference: ReferenceService,
    private readonly audit: AuditLog,
    private readonly caches: Caches,
  ) {
    this.inForce = caches.define({
      name: 'suspensions-in-force',
      maxAgeMs: SUSPENSIONS_MAX_AGE_MS,
      // Read again before they age out, so that requests never wait for the read.
      refreshAheadMs: SUSPENSIONS_MAX_AGE_MS / 4,
      endedBy: [SUSPENSIONS_CHANGED],
    });
  }

  /**
   * Verifies, suspends, revokes or reinstates a licence. The public listings follow at once: they are read
   * with the licence, and the licence change ends cached pages when it commits.
   */
  async decideLicense(actor: Actor, agencyId: string, dto: LicenseDecisionDto): Promise<AgencyDetailDto> {
    await this.audit.transaction(async (tx) => {
      const current = await this.agencies.lockLicense(tx, agencyId);
      if (!current) throw ProblemException.notFound();
      const transition = LICENSE_TRANSITIONS[dto.status];
      if (!transition.from.includes(current.licenseStatus)) {
        throw new ProblemException(HttpStatus.CONFLICT, 'INVALID_TRANSITION');
      }
      await this.agencies.setLicenseStatus(tx, agencyId, dto.status, dto.reason);
      await this.audit.append(tx, {
        actor,
        action: transition.action(current.licenseStatus),
        entityType: 'agency',
        entityId: agencyId,
        before: { licenseStatus: current.licenseStatus, reason: current.licenseStatusReason },
        after: { licenseStatus: dto.status, reason: dto.reason },
      });
    });
    return this.agencies.findById(agencyId);
  }

  async auditLog(query: AuditLogQueryDto): Promise<Page<AuditEntryDto>> {
    const after = query.cursor ? decodeCursor(query.cursor, ['n']) : undefined;
    if (after && !(Number.isSafeInteger(after[0]) && Number(after[0]) > 0)) {
      throw new ProblemException(400, 'INVALID_CURSOR');
    }
    const [entityType, entityId] = query.entity?.split(':') ?? [];
    const rows = await this.audit.list({
      entityType,
      entityId,
      actorId: query.actor,
      beforeId: after && Number(after[0]),
      limit: query.limit + 1,
    });
    return toPage(
      rows,
      query.limit,
      (row) => ({ ...row, id: String(row.id), at: row.at.toISOString() }),
      (row) => [row.id],
    );
  }

  verifyAuditLog(): Promise<ChainVerification> {
    return this.audit.verify();
  }

  async createSuspension(actor: Actor, dto: CreateSuspensionDto): Promise<SuspensionDto> {
    const errors: FieldError[] = [];
    if (!dto.program && !dto.country) errors.push({ field: 'program', constraint: 'isDefined' });
    if (dto.program && !(await this.reference.programs()).some((program) => program.code === dto.program))
      errors.push({ field: 'program', constraint: 'isProgram' });
    if (dto.country && !(await this.reference.countries()).some((country) => country.code === dto.country))
      errors.push({ field: 'country', constraint: 'isCountry' });
    const provinceCodes = new Set<string>();
    for (const [i, name] of dto.provinces.entries()) {
      const province = await this.reference.resolveProvince(name);
      if (province) provinceCodes.add(province.code);
      else errors.push({ field: `provinces.${i}`, constraint: 'isProvince' });
    }
    if (dto.from > dto.to) errors.push({ field: 'to', constraint: 'isAfterFrom' });
    if (errors.length) throw ProblemException.validation(errors);

    const created = await this.audit.transaction(async (tx) => {
      const suspension = await this.suspensions.create(tx, {
        programCode: dto.program ?? null,
        countryCode: dto.country ?? null,
        provinceCodes: [...provinceCodes].sort(),
        startsOn: dto.from,
        endsOn: dto.to,
        reason: dto.reason,
        createdBy: actor.id,
      });
      await this.audit.append(tx, {
        actor,
        action: 'recruitment_suspension.create',
        entityType: 'recruitment_suspension',
        entityId: suspension.id,
        after: suspensionView(suspension),
      });
      await this.caches.announce(SUSPENSIONS_CHANGED, tx);
      return suspension;
    });
    return toSuspensionDto(created, await this.provinceNames());
  }

  async listSuspensions(query: SuspensionQueryDto): Promise<Page<SuspensionDto>> {
    const after = decodeKeyset(query.cursor);
    const rows = await this.suspensions.list({
      active: query.active,
      after: after && { createdAt: after.key, id: after.id },
      limit: query.limit + 1,
    });
    const names = await this.provinceNames();
    return toPage(
      rows,
      query.limit,
      (row) => toSuspensionDto(row, names),
      (row) => [row.sortKey, row.id],
    );
  }

  /** Lifts a suspension before its end; the record stays, with who lifted it and when. */
  async liftSuspension(actor: Actor, id: string): Promise<void> {
    if (!isUuid(id)) throw ProblemException.notFound();
    await this.audit.transaction(async (tx) => {
      const current = await this.suspensions.find(id, tx);
      if (!current) throw ProblemException.notFound();
      if (!(await this.suspensions.lift(tx, id, actor.id))) {
        throw new ProblemException(HttpStatus.CONFLICT, 'INVALID_TRANSITION');
      }
      await this.audit.append(tx, {
        actor,
        action: 'recruitment_suspension.lift',
        entityType: 'recruitment_suspension',
        entityId: id,
        before: suspensionView(current),
        after: { ...suspensionView(current), lifted: true },
      });
      await this.caches.announce(SUSPENSIONS_CHANGED, tx);
    });
  }

  /**
   * Whether recruitment is paused for this applicant's province and the order's program or country. `fresh`
   * reads the table now (the worker's final judgement); otherwise a list read at most a second ago is used.
   */
  async isLocalitySuspended(match: SuspensionMatch, fresh = false): Promise<boolean> {
    const inForce = fresh
      ? await this.suspensions.findInForce()
      : await this.inForce.get('all', () => this.suspensions.findInForce());
    return inForce.some(
      (suspension) =>
        suspension.provinceCodes.includes(match.provinceCode) &&
        (suspension.programCode === null || suspension.programCode === match.programCode) &&
        (suspension.countryCode === null || suspension.countryCode === match.countryCode),
    );
  }

  private async provinceNames(): Promise<Map<string, string>> {
    return new Map((await this.reference.provinces()).map((province) => [province.code, province.nameVi]));
  }
}

function toSuspensionDto(
  row: RecruitmentSuspension & { inForce: boolean },
  names: Map<string, string>,
): SuspensionDto {
  return {
    id: row.id,
    program: row.programCode,
    country: row.countryCode,
    provinces: row.provinceCodes.map((code) => ({ code, name: names.get(code) ?? code })),
    from: row.startsOn,
    to: row.endsOn,
    reason: row.reason,
    inForce: row.inForce,
    createdAt: row.createdAt.toISOString(),
    liftedAt: row.liftedAt?.toISOString() ?? null,
  };
}

type SuspensionMatchRow = Pick<RecruitmentSuspension, 'programCode' | 'countryCode' | 'provinceCodes'>;

function suspensionView(row: RecruitmentSuspension): Record<string, unknown> {
  return {
    program: row.programCode,
    country: row.countryCode,
    provinces: row.provinceCodes,
    from: row.startsOn,
    to: row.endsOn,
    reason: row.reason,
  };
}
