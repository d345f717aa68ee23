import type { Tx } from '@app/core';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface DepartureReportRow {
  id: string;
  month: string;
  countryCode: string;
  total: number;
  women: number;
  updatedAt: Date;
}

/** One month and destination of the departure statistics. */
export interface OpenDepartureRow {
  /** `YYYY-MM`. */
  month: string;
  countryCode: string;
  total: number;
  women: number;
}

const COLUMNS = `id, month, country_code AS "countryCode", total, women, updated_at AS "updatedAt"`;

@Injectable()
export class DepartureReportsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Serialises reports of one agency, month and destination, so the first one is created once. */
  async lockReport(tx: Tx, agencyId: string, month: string, countryCode: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
      `departure:${agencyId}:${month}:${countryCode}`,
    ]);
  }

  async findForAgency(
    tx: Tx,
    agencyId: string,
    month: string,
    countryCode: string,
  ): Promise<DepartureReportRow | undefined> {
    const rows: DepartureReportRow[] = await tx.query(
      `SELECT ${COLUMNS} FROM departure_reports WHERE agency_id = $1 AND month = $2 AND country_code = $3`,
      [agencyId, month, countryCode],
    );
    return rows[0];
  }

  /** One report per agency, month and destination: a second one for the same month replaces the figures. */
  async upsertForAgency(
    tx: Tx,
    agencyId: string,
    report: { month: string; countryCode: string; total: number; women: number; reportedBy: string },
  ): Promise<DepartureReportRow> {
    const rows: DepartureReportRow[] = await tx.query(
      `INSERT INTO departure_reports (agency_id, month, country_code, total, women, reported_by)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (agency_id, month, country_code) DO UPDATE SET total = EXCLUDED.total,
         women = EXCLUDED.women, reported_by = EXCLUDED.reported_by, updated_at = now()
       RETURNING ${COLUMNS}`,
      [agencyId, report.month, report.countryCode, report.total, report.women, report.reportedBy],
    );
    return rows[0];
  }

  listForAgency(
    agencyId: string,
    page: { after?: { month: string; id: string }; limit: number },
  ): Promise<DepartureReportRow[]> {
    const params: unknown[] = [agencyId, page.limit];
    const after = page.after
      ? `AND (month, id) < ($${params.push(page.after.month)}, $${params.push(page.after.id)}::uuid)`
      : '';
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM departure_reports WHERE agency_id = $1 ${after}
       ORDER BY month DESC, id DESC LIMIT $2`,
      params,
    );
  }

  /** The months that have reports counted in the statistics, latest first. */
  async reportedMonths(limit: number): Promise<string[]> {
    const rows: { month: string }[] = await this.dataSource.query(
      `SELECT DISTINCT r.month FROM departure_reports r JOIN agencies a ON a.id = r.agency_id
       WHERE a.license_status <> 'pending_verification' ORDER BY r.month DESC LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.month);
  }

  /**
   * The statistics of every month and destination (the same sums as monthlyTotals), by month and country,
   * up to `limit` groups after `after`.
   */
  openDataBatch(
    after: { month: string; countryCode: string } | undefined,
    limit: number,
    tx?: Tx,
  ): Promise<OpenDepartureRow[]> {
    const params: unknown[] = [limit];
    const from = after
      ? `AND (r.month, r.country_code) > ($${params.push(after.month)}, $${params.push(after.countryCode)})`
      : '';
    return (tx ?? this.dataSource).query(
      `SELECT r.month, r.country_code AS "countryCode", sum(r.total)::int AS total, sum(r.women)::int AS women
       FROM departure_reports r JOIN agencies a ON a.id = r.agency_id
       WHERE a.license_status <> 'pending_verification' ${from}
       GROUP BY r.month, r.country_code ORDER BY r.month, r.country_code LIMIT $1`,
      params,
    );
  }

  /** Every agency's reports for a month, summed by destination, largest first. */
  monthlyTotals(month: string): Promise<{ countryCode: string; total: number; women: number }[]> {
    return this.dataSource.query(
      `SELECT r.country_code AS "countryCode", sum(r.total)::int AS total, sum(r.women)::int AS women
       FROM departure_reports r JOIN agencies a ON a.id = r.agency_id
       WHERE r.month = $1 AND a.license_status <> 'pending_verification'
       GROUP BY r.country_code ORDER BY sum(r.total) DESC, r.country_code`,
      [month],
    );
  }
}
