import { escapeLike, type Tx } from '@app/core';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import type { RecruiterKeyKind } from './recruiter-keys';
import type { RecruiterChannel } from './recruiter-report.entity';

export interface NewRecruiterReport {
  groupKind: RecruiterKeyKind;
  groupKey: string;
  recruiterName: string | null;
  recruiterPhone: string | null;
  recruiterLink: string | null;
  channel: RecruiterChannel | null;
  countryCode: string | null;
  promised: string;
  askedAmountVnd: number | null;
  paidAmountVnd: number | null;
  detail: string | null;
  reporterPhoneEncrypted: string | null;
  reporterPhoneHash: string | null;
  reporterConsentAt: Date | null;
  reporterIpHash: string;
  flagId: string;
}

/** A report as its reporter sees it among their data: what they reported and when they left their number. */
export interface ReporterReportRow {
  id: string;
  createdAt: Date;
  recruiterName: string | null;
  recruiterPhone: string | null;
  recruiterLink: string | null;
  promised: string;
  reporterConsentAt: Date;
}

export interface ReportGroupRow {
  kind: RecruiterKeyKind;
  key: string;
  reports: number;
  firstAt: Date;
  lastAt: Date;
  sortKey: string;
  lastId: string;
  flagId: string;
  names: string[];
  phones: string[];
  links: string[];
}

export interface ReportSampleRow {
  id: string;
  kind: RecruiterKeyKind;
  key: string;
  createdAt: Date;
  recruiterName: string | null;
  recruiterPhone: string | null;
  recruiterLink: string | null;
  channel: RecruiterChannel | null;
  countryCode: string | null;
  promised: string;
  askedAmountVnd: string | null;
  paidAmountVnd: string | null;
  detail: string | null;
  reporterPhoneEncrypted: string | null;
}

@Injectable()
export class RecruiterReportsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(tx: Tx, report: NewRecruiterReport): Promise<string> {
    const rows: { id: string }[] = await tx.query(
      `INSERT INTO recruiter_reports (group_kind, group_key, recruiter_name, recruiter_name_search, recruiter_phone,
         recruiter_link, channel, country_code, promised, asked_amount_vnd, paid_amount_vnd, detail,
         reporter_phone_encrypted, reporter_phone_hash, reporter_consent_at, reporter_ip_hash, flag_id)
       VALUES ($1, $2, $3::text, f_search_fold($3::text), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
       RETURNING id`,
      [
        report.groupKind,
        report.groupKey,
        report.recruiterName,
        report.recruiterPhone,
        report.recruiterLink,
        report.channel,
        report.countryCode,
        report.promised,
        report.askedAmountVnd,
        report.paidAmountVnd,
        report.detail,
        report.reporterPhoneEncrypted,
        report.reporterPhoneHash,
        report.reporterConsentAt,
        report.reporterIpHash,
        report.flagId,
      ],
    );
    return rows[0].id;
  }

  /** The reports whose reporter left this phone for a call back, oldest first. */
  async reportsOfReporter(phoneHash: string): Promise<ReporterReportRow[]> {
    return this.dataSource.query(
      `SELECT id, created_at AS "createdAt", recruiter_name AS "recruiterName",
         recruiter_phone AS "recruiterPhone", recruiter_link AS "recruiterLink", promised,
         reporter_consent_at AS "reporterConsentAt"
       FROM recruiter_reports WHERE reporter_phone_hash = $1 ORDER BY created_at, id`,
      [phoneHash],
    );
  }

  /** The call-back number sealed on one of this phone's reports, if it left one. */
  async sealedReporterPhone(phoneHash: string): Promise<string | undefined> {
    const rows: { sealed: string }[] = await this.dataSource.query(
      `SELECT reporter_phone_encrypted AS sealed FROM recruiter_reports
       WHERE reporter_phone_hash = $1 AND reporter_phone_encrypted IS NOT NULL LIMIT 1`,
      [phoneHash],
    );
    return rows[0]?.sealed;
  }

  /** Call-back numbers stored without their keyed hash (filed before it existed), after `after`, by id. */
  unhashedReporterPhones(after: string | null, limit: number): Promise<{ id: string; sealed: string }[]> {
    return this.dataSource.query(
      `SELECT id, reporter_phone_encrypted AS sealed FROM recruiter_reports
       WHERE reporter_phone_encrypted IS NOT NULL AND reporter_phone_hash IS NULL AND ($1::uuid IS NULL OR id > $1)
       ORDER BY id LIMIT $2`,
      [after, limit],
    );
  }

  /** Sets each report's call-back hash, unless an erasure forgot the number meanwhile. */
  async setReporterHashes(hashes: { id: string; hash: string }[]): Promise<void> {
    await this.dataSource.query(
      `UPDATE recruiter_reports r SET reporter_phone_hash = v.hash
       FROM unnest($1::uuid[], $2::character(64)[]) AS v(id, hash)
       WHERE r.id = v.id AND r.reporter_phone_encrypted IS NOT NULL AND r.reporter_phone_hash IS NULL`,
      [hashes.map(({ id }) => id), hashes.map(({ hash }) => hash)],
    );
  }

  /** Erasure: the reporter's number and consent go; the report, about the recruiter, stays. */
  async forgetReporter(tx: Tx, phoneHash: string): Promise<number> {
    const rows: unknown[] = await tx.query(
      `UPDATE recruiter_reports
       SET reporter_phone_encrypted = NULL, reporter_phone_hash = NULL, reporter_consent_at = NULL
       WHERE reporter_phone_hash = $1 RETURNING id`,
      [phoneHash],
    );
    return rows.length;
  }

  /**
   * How many reports name this number, link or name, and the latest. A name matches when it contains every
   * word, folded as agencies' names are (f_search_fold, LIKE wildcards escaped).
   */
  async summary(kind: RecruiterKeyKind, key: string): Promise<{ count: number; lastAt: Date | null }> {
    const params: unknown[] = [];
    const bind = (value: unknown) => `$${params.push(value)}`;
    let where: string;
    if (kind === 'phone') where = `recruiter_phone = ${bind(key)}`;
    else if (kind === 'link') where = `recruiter_link = ${bind(key)}`;
    else
      where = key
        .split(/\s+/)
        .filter(Boolean)
        .map(
          (word) => `recruiter_name_search LIKE '%' || lower(f_unaccent(${bind(escapeLike(word))})) || '%'`,
        )
        .join(' AND ');
    const rows: { count: number; lastAt: Date | null }[] = await this.dataSource.query(
      `SELECT count(*)::int AS count, max(created_at) AS "lastAt" FROM recruiter_reports WHERE ${where}`,
      params,
    );
    return rows[0];
  }

  /** Reports grouped by the number, link or name they name, latest activity first. */
  groups(filter: {
    kind?: RecruiterKeyKind;
    minReports: number;
    after?: { lastAt: string; lastId: string };
    limit: number;
  }): Promise<ReportGroupRow[]> {
    const params: unknown[] = [];
    const bind = (value: unknown) => `$${params.push(value)}`;
    const lastId = `(array_agg(id ORDER BY created_at DESC, id DESC))[1]`;
    const having = [`count(*) >= ${bind(filter.minReports)}`];
    if (filter.after) {
      having.push(
        `(max(created_at), ${lastId}) < (${bind(filter.after.lastAt)}::timestamptz, ${bind(filter.after.lastId)}::uuid)`,
      );
    }
    const distinct = (column: string) =>
      `coalesce((array_agg(DISTINCT ${column}) FILTER (WHERE ${column} IS NOT NULL))[1:10], '{}')`;
    return this.dataSource.query(
      `SELECT group_kind AS kind, group_key AS key, count(*)::int AS reports, min(created_at) AS "firstAt",
         max(created_at) AS "lastAt", max(created_at)::text AS "sortKey", ${lastId} AS "lastId",
         (array_agg(flag_id ORDER BY created_at DESC, id DESC))[1] AS "flagId",
         ${distinct('recruiter_name')} AS names, ${distinct('recruiter_phone')} AS phones,
         ${distinct('recruiter_link')} AS links
       FROM recruiter_reports
       ${filter.kind ? `WHERE group_kind = ${bind(filter.kind)}` : ''}
       GROUP BY group_kind, group_key
       HAVING ${having.join(' AND ')}
       ORDER BY "lastAt" DESC, "lastId" DESC
       LIMIT ${bind(filter.limit)}`,
      params,
    );
  }

  /** The latest `perGroup` reports of each group. */
  samples(groups: { kind: RecruiterKeyKind; key: string }[], perGroup: number): Promise<ReportSampleRow[]> {
    if (groups.length === 0) return Promise.resolve([]);
    return this.dataSource.query(
      `SELECT * FROM (
         SELECT r.id, r.group_kind AS kind, r.group_key AS key, r.created_at AS "createdAt",
           r.recruiter_name AS "recruiterName", r.recruiter_phone AS "recruiterPhone",
           r.recruiter_link AS "recruiterLink", r.channel, r.country_code AS "countryCode", r.promised,
           r.asked_amount_vnd AS "askedAmountVnd", r.paid_amount_vnd AS "paidAmountVnd", r.detail,
           r.reporter_phone_encrypted AS "reporterPhoneEncrypted",
           row_number() OVER (PARTITION BY r.group_kind, r.group_key ORDER BY r.created_at DESC, r.id DESC) AS n
         FROM recruiter_reports r
         JOIN unnest($1::text[], $2::text[]) AS g(kind, key) ON r.group_kind::text = g.kind AND r.group_key = g.key
       ) s WHERE n <= $3 ORDER BY "createdAt" DESC, id DESC`,
      [groups.map((group) => group.kind), groups.map((group) => group.key), perGroup],
    );
  }
}
