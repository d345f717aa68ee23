import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { LicenseStatus } from '@app/agencies';
import { containsPattern, Reader, Tx } from '@app/core';
import type { CountryRegion } from '@app/reference';

import { JobOrderSort } from './dto/job-order.dto';
import { GenderRequirement, PublicationStatus, RegistrationStatus } from './job-order.entity';

/** An order's terms, costs and registration, as the public listing and open data both show them. */
interface JobOrderTermsRow {
  id: string;
  title: string;
  countryCode: string;
  workLocation: string;
  industryCode: string;
  programCode: string;
  openings: number;
  gender: GenderRequirement;
  birthYearFrom: number;
  birthYearTo: number;
  /** numeric(14,2) as PostgreSQL writes it. */
  salaryAmount: string;
  salaryCurrency: string;
  salaryVndEstimate: number;
  contractMonths: number;
  serviceFeeVnd: number;
  trainingFeeVnd: number;
  depositVnd: number;
  airfareVnd: number;
  brokerageFeeVnd: number;
  otherCostVnd: number;
  totalCostVnd: number;
  registrationStatus: RegistrationStatus;
  registrationNumber: string | null;
  approvedHeadcount: number | null;
}

export interface PublicJobOrderRow extends JobOrderTermsRow {
  views: number;
  publishedAt: Date;
  agencyId: string;
  agencyName: string;
  agencyLicenseNumber: string;
  agencyLicenseStatus: LicenseStatus;
  agencyIsPublicSendingCentre: boolean;
  sortKey: string;
}

export interface PublicJobOrderDetailRow extends PublicJobOrderRow {
  occupation: string;
  description: string;
  requirements: string;
  expectedDepartureMonths: number | null;
  consultationCount: number;
  registrationApprovedOn: string | null;
  countryRegion: CountryRegion;
  /** VND per unit of the salary's currency and of USD, as configured; null when not configured. */
  salaryVndPerUnit: string | null;
  usdVndPerUnit: string | null;
}

export interface OrderEligibilityRow {
  id: string;
  title: string;
  agencyId: string;
  publicationStatus: PublicationStatus;
  agencyLicenseStatus: LicenseStatus;
  gender: GenderRequirement;
  birthYearFrom: number;
  birthYearTo: number;
  programCode: string;
  countryCode: string;
}

/** What a saved search (job alert) is matched against: the order as the public listing filters it. */
export interface OrderForAlertsRow {
  id: string;
  title: string;
  countryCode: string;
  industryCode: string;
  programCode: string;
  gender: GenderRequirement;
  birthYearFrom: number;
  birthYearTo: number;
  salaryVndEstimate: number;
  totalCostVnd: number;
  /** The folded text the listing's `q` words are looked for in. */
  searchText: string;
}

/**
 * What open data publishes of a published order: its terms, costs, registration and agency, never its
 * counters, its free text (description and requirements may name people) or anything of an applicant.
 */
export interface OpenJobOrderRow extends JobOrderTermsRow {
  occupation: string;
  /** `YYYY-MM-DD`. */
  registrationApprovedOn: string | null;
  agencyLicenseNumber: string;
  agencyName: string;
  /** UTC ISO 8601 to the microsecond: exact, so it also serves as the keyset. */
  publishedAt: string;
}

export interface JobOrderSearch {
  /** Accent-folded, lower-case words; each must appear in the order's search text. */
  words: string[];
  country?: string;
  industry?: string;
  program?: string;
  gender?: 'male' | 'female';
  birthYear?: number;
  salaryMinVnd?: number;
  maxCostVnd?: number;
  agencyId?: string;
  sort: JobOrderSort;
  after?: { sortKey: string; id: string };
  limit: number;
}

const SORT_COLUMN: Record<JobOrderSort, { column: string; type: string }> = {
  newest: { column: 'o.published_at', type: 'timestamptz' },
  salary: { column: 'o.salary_vnd_estimate', type: 'bigint' },
  popular: { column: 'o.views', type: 'bigint' },
};

const LIST_COLUMNS = `
  o.id, o.title, o.country_code AS "countryCode", o.work_location AS "workLocation",
  o.industry_code AS "industryCode", o.program_code AS "programCode", o.openings, o.gender,
  o.birth_year_from AS "birthYearFrom", o.birth_year_to AS "birthYearTo",
  o.salary_amount AS "salaryAmount", o.salary_currency AS "salaryCurrency",
  o.salary_vnd_estimate AS "salaryVndEstimate", o.contract_months AS "contractMonths",
  o.service_fee_vnd AS "serviceFeeVnd", o.training_fee_vnd AS "trainingFeeVnd", o.deposit_vnd AS "depositVnd",
  o.airfare_vnd AS "airfareVnd", o.brokerage_fee_vnd AS "brokerageFeeVnd", o.other_cost_vnd AS "otherCostVnd",
  o.total_cost_vnd AS "totalCostVnd", o.registration_status AS "registrationStatus",
  o.registration_number AS "registrationNumber", o.approved_headcount AS "approvedHeadcount", o.views,
  o.published_at AS "publishedAt", a.id AS "agencyId", a.name AS "agencyName",
  a.license_number AS "agencyLicenseNumber", a.license_status AS "agencyLicenseStatus",
  a.is_public_sending_centre AS "agencyIsPublicSendingCentre"`;

const PUBLIC = `o.publication_status = 'published' AND a.license_status = 'active'`;
const ORDERED_SCAN_ROWS = 1000;

@Injectable()
export class JobOrdersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Published orders of active agencies, one keyset page (plus one row to tell whether more exist).
   *
   * Text words are common Vietnamese syllables, whose LIKE selectivity the planner underestimates by orders of
   * magnitude, so it would fetch and sort every match. For text queries the newest rows that pass the other
   * filters are scanned in sort order first, stopping at a full page: when the first thousand hold one, it is
   * the right page. Otherwise (rarer words) the trigram index answers, and then the matches are few.
   */
  async searchPublic(filter: JobOrderSearch, reader: Reader = this.dataSource): Promise<PublicJobOrderRow[]> {
    if (filter.words.length > 0) {
      const rows = await this.query(filter, 'ordered-scan', reader);
      if (rows.length >= filter.limit) return rows;
    }
    return this.query(filter, 'direct', reader);
  }

  private query(
    filter: JobOrderSearch,
    strategy: 'direct' | 'ordered-scan',
    reader: Reader,
  ): Promise<PublicJobOrderRow[]> {
    const params: unknown[] = [];
    const bind = (value: unknown) => `$${params.push(value)}`;
    const where = [PUBLIC];
    if (filter.country) where.push(`o.country_code = ${bind(filter.country)}`);
    if (filter.industry) where.push(`o.industry_code = ${bind(filter.industry)}`);
    if (filter.program) where.push(`o.program_code = ${bind(filter.program)}`);
    if (filter.gender) where.push(`o.gender IN ('any', ${bind(filter.gender)})`);
    if (filter.birthYear !== undefined) {
      const year = bind(filter.birthYear);
      where.push(`o.birth_year_from <= ${year} AND o.birth_year_to >= ${year}`);
    }
    if (filter.salaryMinVnd !== undefined)
      where.push(`o.salary_vnd_estimate >= ${bind(filter.salaryMinVnd)}`);
    if (filter.maxCostVnd !== undefined) where.push(`o.total_cost_vnd <= ${bind(filter.maxCostVnd)}`);
    if (filter.agencyId) where.push(`o.agency_id = ${bind(filter.agencyId)}`);
    const { column, type } = SORT_COLUMN[filter.sort];
    if (filter.after) {
      where.push(
        `(${column}, o.id) < (${bind(filter.after.sortKey)}::${type}, ${bind(filter.after.id)}::uuid)`,
      );
    }
    const text = filter.words.map((word) => `o.search_text LIKE ${bind(containsPattern(word))}`);
    const select = `SELECT ${LIST_COLUMNS}, ${column}::text AS "sortKey"`;
    const order = `ORDER BY ${column} DESC, o.id DESC`;
    if (strategy === 'direct') {
      return reader.query(
        `${select} FROM job_orders o JOIN agencies a ON a.id = o.agency_id
         WHERE ${[...where, ...text].join(' AND ')} ${order} LIMIT ${bind(filter.limit)}`,
        params,
      );
    }
    return reader.query(
      `SELECT * FROM (
         ${select}, ${column} AS sort_value, o.search_text FROM job_orders o JOIN agencies a ON a.id = o.agency_id
         WHERE ${where.join(' AND ')} ${order} LIMIT ${bind(ORDERED_SCAN_ROWS)}
       ) o
       WHERE ${text.join(' AND ')} ORDER BY o.sort_value DESC, o.id DESC LIMIT ${bind(filter.limit)}`,
      params,
    );
  }

  async findPublicById(
    id: string,
    reader: Reader = this.dataSource,
  ): Promise<PublicJobOrderDetailRow | undefined> {
    const rows: PublicJobOrderDetailRow[] = await reader.query(
      `SELECT ${LIST_COLUMNS}, o.occupation, o.description, o.requirements,
         o.expected_departure_months AS "expectedDepartureMonths", o.consultation_count AS "consultationCount",
         to_char(o.registration_approved_on, 'YYYY-MM-DD') AS "registrationApprovedOn",
         '' AS "sortKey", c.region AS "countryRegion",
         (SELECT vnd_per_unit::text FROM exchange_rates WHERE currency = o.salary_currency) AS "salaryVndPerUnit",
         (SELECT vnd_per_unit::text FROM exchange_rates WHERE currency = 'USD') AS "usdVndPerUnit"
       FROM job_orders o JOIN agencies a ON a.id = o.agency_id JOIN countries c ON c.code = o.country_code
       WHERE o.id = $1 AND ${PUBLIC}`,
      [id],
    );
    return rows[0];
  }

  /**
   * Published orders of active agencies (what the listing shows), oldest publication first, up to `limit`
   * after `after`: one walk of the partial index on (published_at, id).
   */
  openDataBatch(
    after: { publishedAt: string; id: string } | undefined,
    limit: number,
    tx?: Tx,
  ): Promise<OpenJobOrderRow[]> {
    const params: unknown[] = [limit];
    const from = after
      ? `AND (o.published_at, o.id) > ($${params.push(after.publishedAt)}::timestamptz, $${params.push(after.id)}::uuid)`
      : '';
    return (tx ?? this.dataSource).query(
      `SELECT o.id, o.title, o.occupation, o.country_code AS "countryCode", o.work_location AS "workLocation",
         o.industry_code AS "industryCode", o.program_code AS "programCode", o.openings, o.gender,
         o.birth_year_from AS "birthYearFrom", o.birth_year_to AS "birthYearTo",
         o.salary_amount AS "salaryAmount", o.salary_currency AS "salaryCurrency",
         o.salary_vnd_estimate AS "salaryVndEstimate", o.contract_months AS "contractMonths",
         o.service_fee_vnd AS "serviceFeeVnd", o.training_fee_vnd AS "trainingFeeVnd",
         o.deposit_vnd AS "depositVnd", o.airfare_vnd AS "airfareVnd", o.brokerage_fee_vnd AS "brokerageFeeVnd",
         o.other_cost_vnd AS "otherCostVnd", o.total_cost_vnd AS "totalCostVnd",
         o.registration_status AS "registrationStatus", o.registration_number AS "registrationNumber",
         o.registration_approved_on::text AS "registrationApprovedOn",
         o.approved_headcount AS "approvedHeadcount", a.license_number AS "agencyLicenseNumber",
         a.name AS "agencyName",
         to_char(o.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "publishedAt"
       FROM job_orders o JOIN agencies a ON a.id = o.agency_id
       WHERE ${PUBLIC} ${from}
       ORDER BY o.published_at, o.id LIMIT $1`,
      params,
    );
  }

  /** The VND salary estimate of every order paid in these currencies, at the rates `tx` sees. */
  async repriceSalaries(tx: Tx, currencies: string[]): Promise<void> {
    await tx.query(
      `UPDATE job_orders o SET salary_vnd_estimate = round(o.salary_amount * r.vnd_per_unit)
       FROM exchange_rates r WHERE r.currency = o.salary_currency AND r.currency = ANY($1::text[])`,
      [currencies],
    );
  }

  async countConsultation(tx: Tx, id: string, by = 1): Promise<void> {
    await tx.query(`UPDATE job_orders SET consultation_count = consultation_count + $2 WHERE id = $1`, [
      id,
      by,
    ]);
  }

  /** The order if the public can see it now (published, agency active), as saved searches filter it. */
  async findPublicForAlerts(id: string): Promise<OrderForAlertsRow | undefined> {
    const rows: OrderForAlertsRow[] = await this.dataSource.query(
      `SELECT o.id, o.title, o.country_code AS "countryCode", o.industry_code AS "industryCode",
         o.program_code AS "programCode", o.gender, o.birth_year_from AS "birthYearFrom",
         o.birth_year_to AS "birthYearTo", o.salary_vnd_estimate::float8 AS "salaryVndEstimate",
         o.total_cost_vnd::float8 AS "totalCostVnd", o.search_text AS "searchText"
       FROM job_orders o JOIN agencies a ON a.id = o.agency_id WHERE o.id = $1 AND ${PUBLIC}`,
      [id],
    );
    return rows[0];
  }

  async findForEligibility(id: string): Promise<OrderEligibilityRow | undefined> {
    const rows: OrderEligibilityRow[] = await this.dataSource.query(
      `SELECT o.id, o.title, o.agency_id AS "agencyId", o.publication_status AS "publicationStatus",
         a.license_status AS "agencyLicenseStatus", o.gender, o.birth_year_from AS "birthYearFrom",
         o.birth_year_to AS "birthYearTo", o.program_code AS "programCode", o.country_code AS "countryCode"
       FROM job_orders o JOIN agencies a ON a.id = o.agency_id WHERE o.id = $1`,
      [id],
    );
    return rows[0];
  }

  /**
   * Adds a batch of view counts exactly once: the batch id is recorded in the same transaction,
   * so a batch replayed after a crash is skipped. Returns false when it had already been applied.
   */
  applyViewBatch(batchId: string, counts: Map<string, number>): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO view_count_batches (id) VALUES ($1) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [batchId],
      );
      if (inserted.length === 0) return false;
      await manager.query(
        `UPDATE job_orders o SET views = o.views + v.n
         FROM unnest($1::uuid[], $2::bigint[]) AS v(id, n) WHERE o.id = v.id`,
        [[...counts.keys()], [...counts.values()]],
      );
      await manager.query(`DELETE FROM view_count_batches WHERE applied_at < now() - interval '7 days'`);
      return true;
    });
  }
}
