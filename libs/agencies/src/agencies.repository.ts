import { escapeLike, type Reader, type Tx } from '@app/core';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { LicenseStatus } from './agency.entity';

export interface AgencyRow {
  id: string;
  name: string;
  licenseNumber: string;
  licenseIssuedOn: string | null;
  licenseStatus: LicenseStatus;
  licenseStatusReason: string | null;
  licenseStatusChangedAt: Date | null;
  enterpriseCode: string;
  provinceCode: string | null;
  provinceName: string | null;
  address: string | null;
  hotline: string | null;
  website: string | null;
  foundedYear: number | null;
  isPublicSendingCentre: boolean;
}

/** What open data publishes of an agency: its licence, never its people or its contacts. */
export interface OpenAgencyRow {
  licenseNumber: string;
  name: string;
  provinceCode: string | null;
  licenseStatus: LicenseStatus;
  /** `YYYY-MM-DD`. */
  licenseIssuedOn: string | null;
  /** When the current status took effect, UTC ISO 8601; null when it was never recorded. */
  licenseStatusSince: string | null;
}

export interface AgencySearch {
  q?: string;
  licenseStatus?: LicenseStatus;
  licenseNumber?: string;
  provinceCode?: string;
  after?: { name: string; id: string };
  limit: number;
}

const COLUMNS = `
  a.id, a.name, a.license_number AS "licenseNumber", to_char(a.license_issued_on, 'YYYY-MM-DD') AS "licenseIssuedOn",
  a.license_status AS "licenseStatus", a.license_status_reason AS "licenseStatusReason",
  a.license_status_changed_at AS "licenseStatusChangedAt", a.enterprise_code AS "enterpriseCode", a.province_code AS "provinceCode",
  p.name_vi AS "provinceName", a.address, a.hotline, a.website, a.founded_year AS "foundedYear",
  a.is_public_sending_centre AS "isPublicSendingCentre"`;

/** How the public reaches an agency: what it may correct about itself. */
export interface AgencyProfile {
  address: string | null;
  hotline: string | null;
  website: string | null;
}

@Injectable()
export class AgenciesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async search(filter: AgencySearch, reader: Reader = this.dataSource): Promise<AgencyRow[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const bind = (value: unknown) => `$${params.push(value)}`;
    for (const word of filter.q ? filter.q.split(/\s+/).filter(Boolean) : []) {
      where.push(`a.search_name LIKE '%' || lower(f_unaccent(${bind(escapeLike(word))})) || '%'`);
    }
    if (filter.licenseNumber) where.push(`upper(a.license_number) = upper(${bind(filter.licenseNumber)})`);
    if (filter.provinceCode) where.push(`a.province_code = ${bind(filter.provinceCode)}`);
    if (filter.licenseStatus) where.push(`a.license_status = ${bind(filter.licenseStatus)}`);
    if (filter.after)
      where.push(`(a.name, a.id) > (${bind(filter.after.name)}, ${bind(filter.after.id)}::uuid)`);
    return reader.query(
      `SELECT ${COLUMNS} FROM agencies a LEFT JOIN provinces p ON p.code = a.province_code
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY a.name, a.id LIMIT ${bind(filter.limit)}`,
      params,
    );
  }

  /** Agencies whose hotline has one of these canonical forms (f_phone_key), whatever their licence. */
  findByHotlineKeys(keys: string[], limit: number): Promise<(AgencyRow & { hotlineKey: string })[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS}, f_phone_key(a.hotline) AS "hotlineKey"
       FROM agencies a LEFT JOIN provinces p ON p.code = a.province_code
       WHERE f_phone_key(a.hotline) = ANY($1::text[])
       ORDER BY a.name, a.id LIMIT $2`,
      [keys, limit],
    );
  }

  async findById(
    id: string,
    reader: Reader = this.dataSource,
  ): Promise<(AgencyRow & { openOrders: number }) | undefined> {
    const rows: (AgencyRow & { openOrders: number })[] = await reader.query(
      `SELECT ${COLUMNS},
         (SELECT count(*)::int FROM job_orders o
           WHERE o.agency_id = a.id AND o.publication_status = 'published' AND a.license_status = 'active') AS "openOrders"
       FROM agencies a LEFT JOIN provinces p ON p.code = a.province_code WHERE a.id = $1`,
      [id],
    );
    return rows[0];
  }

  /** The agency's contact fields, locked in `tx` for an update; undefined when there is no such agency. */
  async lockProfile(tx: Tx, agencyId: string): Promise<AgencyProfile | undefined> {
    const rows: AgencyProfile[] = await tx.query(
      `SELECT address, hotline, website FROM agencies WHERE id = $1 FOR UPDATE`,
      [agencyId],
    );
    return rows[0];
  }

  async saveProfile(tx: Tx, agencyId: string, profile: AgencyProfile): Promise<void> {
    await tx.query(
      `UPDATE agencies SET address = $2, hotline = $3, website = $4, updated_at = now() WHERE id = $1`,
      [agencyId, profile.address, profile.hotline, profile.website],
    );
  }

  /** Inserts a `pending_verification` agency unless its licence number or enterprise code is taken. */
  async createPending(
    tx: Tx,
    agency: {
      name: string;
      licenseNumber: string;
      enterpriseCode: string;
      provinceCode: string | null;
      address: string | null;
      hotline: string | null;
      website: string | null;
    },
  ): Promise<string | undefined> {
    const rows: { id: string }[] = await tx.query(
      `INSERT INTO agencies (name, license_number, enterprise_code, province_code, address, hotline, website)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id`,
      [
        agency.name,
        agency.licenseNumber,
        agency.enterpriseCode,
        agency.provinceCode,
        agency.address,
        agency.hotline,
        agency.website,
      ],
    );
    return rows[0]?.id;
  }

  /** The licence facts that decide what an agency may do, read fresh (locked when inside a transaction). */
  async findStanding(
    agencyId: string,
    tx?: Tx,
  ): Promise<{ licenseStatus: LicenseStatus; isPublicSendingCentre: boolean } | undefined> {
    const rows: { licenseStatus: LicenseStatus; isPublicSendingCentre: boolean }[] = await (
      tx ?? this.dataSource
    ).query(
      `SELECT license_status AS "licenseStatus", is_public_sending_centre AS "isPublicSendingCentre"
       FROM agencies WHERE id = $1 ${tx ? 'FOR SHARE' : ''}`,
      [agencyId],
    );
    return rows[0];
  }

  /** Locks the agency row for a licence decision; returns its current licence facts. */
  async lockLicense(
    tx: Tx,
    agencyId: string,
  ): Promise<{ licenseStatus: LicenseStatus; licenseStatusReason: string | null } | undefined> {
    const rows: { licenseStatus: LicenseStatus; licenseStatusReason: string | null }[] = await tx.query(
      `SELECT license_status AS "licenseStatus", license_status_reason AS "licenseStatusReason"
       FROM agencies WHERE id = $1 FOR UPDATE`,
      [agencyId],
    );
    return rows[0];
  }

  /**
   * The public facts of agencies whose licence has been verified at least once (a self-registered agency
   * still `pending_verification` is nobody's claim but its own), by licence number, up to `limit` after
   * `after`. Dates come as text: `YYYY-MM-DD`, and UTC ISO 8601 for instants.
   */
  openDataBatch(after: string | undefined, limit: number, tx?: Tx): Promise<OpenAgencyRow[]> {
    const params: unknown[] = [limit];
    return (tx ?? this.dataSource).query(
      `SELECT license_number AS "licenseNumber", name, province_code AS "provinceCode",
         license_status AS "licenseStatus", license_issued_on::text AS "licenseIssuedOn",
         to_char(license_status_changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
           AS "licenseStatusSince"
       FROM agencies WHERE license_status <> 'pending_verification'
       ${after === undefined ? '' : `AND license_number > $${params.push(after)}`}
       ORDER BY license_number LIMIT $1`,
      params,
    );
  }

  async setLicenseStatus(tx: Tx, agencyId: string, status: LicenseStatus, reason: string): Promise<void> {
    await tx.query(
      `UPDATE agencies SET license_status = $2, license_status_reason = $3, license_status_changed_at = now(),
         updated_at = now() WHERE id = $1`,
      [agencyId, status, reason],
    );
  }
}
