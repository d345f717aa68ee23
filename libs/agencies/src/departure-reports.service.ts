import {
  Actor,
  AuditLog,
  cacheEvent,
  Caches,
  decodeKeyset,
  keysetBatches,
  Page,
  ProblemException,
  toPage,
  Tx,
} from '@app/core';
import { ReferenceService } from '@app/reference';
import { HttpStatus, Injectable } from '@nestjs/common';

import { AgenciesService } from './agencies.service';

import {
  DepartureReportRow,
  DepartureReportsRepository,
  OpenDepartureRow,
} from './departure-reports.repository';
import {
  CreateDepartureReportDto,
  DepartureReportDto,
  DepartureReportQueryDto,
  DepartureStatsDto,
} from './dto/departure-report.dto';

/** Announced with every departure report created or corrected: the statistics change. */
export const DEPARTURES_CHANGED = cacheEvent('agencies.departures');

@Injectable()
export class DepartureReportsService {
  constructor(
    private readonly repository: DepartureReportsRepository,
    private readonly reference: ReferenceService,
    private readonly audit: AuditLog,
    private readonly agencies: AgenciesService,
    private readonly caches: Caches,
  ) {}

  /** Records (or corrects) an agency's departures for one month and destination. */
  async report(
    agencyId: string,
    actor: Actor & { id: string },
    dto: CreateDepartureReportDto,
  ): Promise<{ report: DepartureReportDto; created: boolean }> {
    const fieldErrors = [];
    if (!(await this.reference.countries()).some((country) => country.code === dto.country))
      fieldErrors.push({ field: 'country', constraint: 'isCountry' });
    if (dto.month > new Date().toISOString().slice(0, 7))
      fieldErrors.push({ field: 'month', constraint: 'isPastMonth' });
    if (dto.women > dto.total) fieldErrors.push({ field: 'women', constraint: 'isAtMostTotal' });
    if (fieldErrors.length) throw ProblemException.validation(fieldErrors);

    return this.audit.transaction(async (tx) => {
      // Reported figures are public statistics: only a verified, active agency may add to them.
      if ((await this.agencies.standing(agencyId, tx)).licenseStatus !== 'active') {
        throw new ProblemException(HttpStatus.FORBIDDEN, 'AGENCY_NOT_ACTIVE');
      }
      await this.repository.lockReport(tx, agencyId, dto.month, dto.country);
      const before = await this.repository.findForAgency(tx, agencyId, dto.month, dto.country);
      const row = await this.repository.upsertForAgency(tx, agencyId, {
        month: dto.month,
        countryCode: dto.country,
        total: dto.total,
        women: dto.women,
        reportedBy: actor.id,
      });
      await this.caches.announce(DEPARTURES_CHANGED, tx);
      await this.audit.append(tx, {
        actor,
        action: before ? 'departure_report.correct' : 'departure_report.create',
        entityType: 'departure_report',
        entityId: row.id,
        before: before ? figures(before, agencyId) : null,
        after: figures(row, agencyId),
      });
      return { report: toDto(row), created: !before };
    });
  }

  async monthlyStats(month: string): Promise<DepartureStatsDto> {
    const rows = await this.repository.monthlyTotals(month);
    return {
      month,
      total: rows.reduce((sum, row) => sum + row.total, 0),
      women: rows.reduce((sum, row) => sum + row.women, 0),
      byCountry: rows.map((row) => ({ country: row.countryCode, total: row.total, women: row.women })),
    };
  }

  /**
   * The statistics of every month and destination, by month and country, in batches of `size` (see
   * keysetBatches); inside `tx`, from its snapshot. Changes are announced as DEPARTURES_CHANGED (and a
   * verification as AGENCY_LICENSE_CHANGED: reports count once their agency has been verified).
   */
  openData(size: number, tx?: Tx): AsyncGenerator<OpenDepartureRow[]> {
    return keysetBatches<OpenDepartureRow>((after) => this.repository.openDataBatch(after, size, tx), size);
  }

  /** The months the statistics have figures for, latest first. */
  reportedMonths(limit = 24): Promise<string[]> {
    return this.repository.reportedMonths(limit);
  }

  async list(agencyId: string, query: DepartureReportQueryDto): Promise<Page<DepartureReportDto>> {
    const after = decodeKeyset(query.cursor, 'text');
    const rows = await this.repository.listForAgency(agencyId, {
      after: after && { month: after.key, id: after.id },
      limit: query.limit + 1,
    });
    return toPage(rows, query.limit, toDto, (row) => [row.month, row.id]);
  }
}

function figures(row: DepartureReportRow, agencyId: string) {
  return { agencyId, month: row.month, country: row.countryCode, total: row.total, women: row.women };
}

function toDto(row: DepartureReportRow): DepartureReportDto {
  return {
    id: row.id,
    month: row.month,
    country: row.countryCode,
    total: row.total,
    women: row.women,
    updatedAt: row.updatedAt.toISOString(),
  };
}
