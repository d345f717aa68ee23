import {
  Actor,
  AuditLog,
  cacheEvent,
  Caches,
  decodeKeyset,
  isUuid,
  keysetBatches,
  Page,
  ProblemException,
  Reader,
  ReadFrom,
  ReplicaReads,
  toPage,
  Tx,
} from '@app/core';
import { ReferenceService } from '@app/reference';
import { Injectable } from '@nestjs/common';

import { AgenciesRepository, AgencyProfile, AgencyRow, OpenAgencyRow } from './agencies.repository';
import { LicenseStatus } from './agency.entity';
import { AgencyDetailDto, AgencyDto, AgencyQueryDto, UpdateAgencyProfileDto } from './dto/agency.dto';

/** Announced with every licence change: listings and rankings show only active agencies. */
export const AGENCY_LICENSE_CHANGED = cacheEvent('agencies.license');

@Injectable()
export class AgenciesService {
  /** Reads of `from: 'replica'`, once the replica has replayed the last licence decision. */
  private readonly replicaReads: Reader;

  constructor(
    private readonly repository: AgenciesRepository,
    private readonly reference: ReferenceService,
    private readonly caches: Caches,
    private readonly audit: AuditLog,
    replicas: ReplicaReads,
  ) {
    this.replicaReads = replicas.reader({ after: [AGENCY_LICENSE_CHANGED] });
  }

  /** `from: 'replica'` for the public's lookups; the consoles read what they have just written. */
  async search(
    query: AgencyQueryDto & { licenseStatus?: LicenseStatus },
    from: ReadFrom = 'primary',
  ): Promise<Page<AgencyDto>> {
    let provinceCode: string | undefined;
    if (query.province) {
      provinceCode = (await this.reference.resolveProvince(query.province))?.code;
      if (!provinceCode) throw ProblemException.validation([{ field: 'province', constraint: 'isProvince' }]);
    }
    const after = decodeKeyset(query.cursor, 'text');
    const rows = await this.repository.search(
      {
        q: query.q,
        licenseStatus: query.licenseStatus,
        licenseNumber: query.licenseNumber,
        provinceCode,
        after: after && { name: after.key, id: after.id },
        limit: query.limit + 1,
      },
      this.reader(from),
    );
    return toPage(rows, query.limit, toAgencyDto, (row) => [row.name, row.id]);
  }

  /**
   * Agencies whose registered hotline is one of these numbers, given in normalizeVietnameseNumber's form,
   * whatever their licence status (a suspended agency's number is worth knowing too); at most 20.
   */
  async findByHotlines(keys: string[]): Promise<(AgencyDto & { hotlineKey: string })[]> {
    if (keys.length === 0) return [];
    const rows = await this.repository.findByHotlineKeys([...new Set(keys)], 20);
    return rows.map((row) => ({ ...toAgencyDto(row), hotlineKey: row.hotlineKey }));
  }

  createPending(
    tx: Tx,
    agency: Parameters<AgenciesRepository['createPending']>[1],
  ): Promise<string | undefined> {
    return this.repository.createPending(tx, agency);
  }

  lockLicense(tx: Tx, agencyId: string) {
    return isUuid(agencyId) ? this.repository.lockLicense(tx, agencyId) : Promise.resolve(undefined);
  }

  async setLicenseStatus(tx: Tx, agencyId: string, status: LicenseStatus, reason: string): Promise<void> {
    await this.repository.setLicenseStatus(tx, agencyId, status, reason);
    await this.caches.announce(AGENCY_LICENSE_CHANGED, tx);
  }

  /**
   * Every verified agency's public licence facts, by licence number, in batches of `size` read one query
   * each (see keysetBatches); inside `tx`, from its snapshot. Changes are announced as AGENCY_LICENSE_CHANGED.
   */
  openData(size: number, tx?: Tx): AsyncGenerator<OpenAgencyRow[]> {
    return keysetBatches<OpenAgencyRow>(
      (after) => this.repository.openDataBatch(after?.licenseNumber, size, tx),
      size,
    );
  }

  /**
   * Corrects the agency's address, hotline or website (a field left out stays, an empty one is cleared). The
   * audit log keeps each change with its old value: a hotline is what "check before you pay" vouches for.
   */
  async updateProfile(actor: Actor, agencyId: string, dto: UpdateAgencyProfileDto): Promise<AgencyDetailDto> {
    await this.audit.transaction(async (tx) => {
      const before = isUuid(agencyId) ? await this.repository.lockProfile(tx, agencyId) : undefined;
      if (!before) throw ProblemException.notFound();
      const after: AgencyProfile = {
        address: dto.address === undefined ? before.address : dto.address.trim() || null,
        hotline: dto.hotline === undefined ? before.hotline : dto.hotline.trim() || null,
        website: dto.website === undefined ? before.website : dto.website || null,
      };
      const changed = (Object.keys(after) as (keyof AgencyProfile)[]).filter(
        (field) => after[field] !== before[field],
      );
      if (changed.length === 0) return;
      await this.repository.saveProfile(tx, agencyId, after);
      await this.audit.append(tx, {
        actor,
        action: 'agency.profile_update',
        entityType: 'agency',
        entityId: agencyId,
        before: Object.fromEntries(changed.map((field) => [field, before[field]])),
        after: Object.fromEntries(changed.map((field) => [field, after[field]])),
      });
    });
    return this.findById(agencyId);
  }

  async exists(agencyId: string): Promise<boolean> {
    return isUuid(agencyId) && (await this.repository.findStanding(agencyId)) !== undefined;
  }

  /** Licence status and whether it is the public sending centre; inside `tx` the row is share-locked. */
  async standing(
    agencyId: string,
    tx?: Tx,
  ): Promise<{ licenseStatus: LicenseStatus; isPublicSendingCentre: boolean }> {
    const standing = await this.repository.findStanding(agencyId, tx);
    if (!standing) throw ProblemException.notFound();
    return standing;
  }

  async findById(id: string, from: ReadFrom = 'primary'): Promise<AgencyDetailDto> {
    const row = isUuid(id) ? await this.repository.findById(id, this.reader(from)) : undefined;
    if (!row) throw ProblemException.notFound();
    return {
      ...toAgencyDto(row),
      enterpriseCode: row.enterpriseCode,
      address: row.address,
      openOrders: row.openOrders,
    };
  }

  private reader(from: ReadFrom): Reader | undefined {
    return from === 'replica' ? this.replicaReads : undefined;
  }
}

function toAgencyDto(row: AgencyRow): AgencyDto {
  return {
    id: row.id,
    name: row.name,
    licenseNumber: row.licenseNumber,
    licenseIssuedOn: row.licenseIssuedOn,
    licenseStatus: row.licenseStatus,
    licenseStatusReason: row.licenseStatusReason,
    licenseStatusChangedAt: row.licenseStatusChangedAt?.toISOString() ?? null,
    province: row.provinceCode
      ? { code: row.provinceCode, name: row.provinceName ?? row.provinceCode }
      : null,
    hotline: row.hotline,
    website: row.website,
    foundedYear: row.foundedYear,
    isPublicSendingCentre: row.isPublicSendingCentre,
  };
}
