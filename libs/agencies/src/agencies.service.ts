import { cacheEvent, Caches, decodeKeyset, isUuid, Page, ProblemException, toPage, Tx } from '@app/core';
import { ReferenceService } from '@app/reference';
import { Injectable } from '@nestjs/common';

import { AgenciesRepository, AgencyRow } from './agencies.repository';
import { LicenseStatus } from './agency.entity';
import { AgencyDetailDto, AgencyDto, AgencyQueryDto } from './dto/agency.dto';

/** Announced with every licence change: listings and rankings show only active agencies. */
export const AGENCY_LICENSE_CHANGED = cacheEvent('agencies.license');

@Injectable()
export class AgenciesService {
  constructor(
    private readonly repository: AgenciesRepository,
    private readonly reference: ReferenceService,
    private readonly caches: Caches,
  ) {}

  async search(query: AgencyQueryDto & { licenseStatus?: LicenseStatus }): Promise<Page<AgencyDto>> {
    let provinceCode: string | undefined;
    if (query.province) {
      provinceCode = (await this.reference.resolveProvince(query.province))?.code;
      if (!provinceCode) throw ProblemException.validation([{ field: 'province', constraint: 'isProvince' }]);
    }
    const after = decodeKeyset(query.cursor, 'text');
    const rows = await this.repository.search({
      q: query.q,
      licenseStatus: query.licenseStatus,
      licenseNumber: query.licenseNumber,
      provinceCode,
      after: after && { name: after.key, id: after.id },
      limit: query.limit + 1,
    });
    return toPage(rows, query.limit, toAgencyDto, (row) => [row.name, row.id]);
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

  async findById(id: string): Promise<AgencyDetailDto> {
    const row = isUuid(id) ? await this.repository.findById(id) : undefined;
    if (!row) throw ProblemException.notFound();
    return {
      ...toAgencyDto(row),
      enterpriseCode: row.enterpriseCode,
      address: row.address,
      openOrders: row.openOrders,
    };
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
