import type { Tx } from '@app/core';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import type { FlagSource, FlagStatus } from './flag.entity';

export interface NewFlag {
  source: FlagSource;
  jobOrderId: string;
  agencyId: string;
  code: string;
  details: Record<string, unknown>;
  fingerprint: string;
  contactPhoneEncrypted?: string | null;
  reporterIpHash?: string | null;
}

export interface FlagRow {
  id: string;
  source: FlagSource;
  code: string;
  status: FlagStatus;
  jobOrderId: string | null;
  jobOrderTitle: string | null;
  agencyId: string | null;
  agencyName: string | null;
  details: Record<string, unknown>;
  contactPhoneEncrypted: string | null;
  createdAt: Date;
  resolvedAt: Date | null;
  resolutionNote: string | null;
}

const COLUMNS = `f.id, f.source, f.code, f.status, f.job_order_id AS "jobOrderId", o.title AS "jobOrderTitle",
  f.agency_id AS "agencyId", a.name AS "agencyName", f.details, f.contact_phone_encrypted AS "contactPhoneEncrypted",
  f.created_at AS "createdAt", f.resolved_at AS "resolvedAt", f.resolution_note AS "resolutionNote"`;
// Outer joins: a recruiter's flag names neither an order nor an agency.
const FROM = `flags f LEFT JOIN job_orders o ON o.id = f.job_order_id LEFT JOIN agencies a ON a.id = f.agency_id`;

@Injectable()
export class FlagsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inserts the flags that are not already open for their order; returns the new ones. */
  async raise(tx: Tx, flags: NewFlag[]): Promise<{ id: string; code: string; details: object }[]> {
    if (flags.length === 0) return [];
    return tx.query(
      `INSERT INTO flags (source, job_order_id, agency_id, code, details, fingerprint, contact_phone_encrypted,
         reporter_ip_hash)
       SELECT * FROM unnest($1::flag_source[], $2::uuid[], $3::uuid[], $4::text[], $5::jsonb[], $6::text[],
         $7::text[], $8::text[])
       ON CONFLICT (job_order_id, fingerprint) WHERE status = 'open' DO NOTHING
       RETURNING id, code, details`,
      [
        flags.map((flag) => flag.source),
        flags.map((flag) => flag.jobOrderId),
        flags.map((flag) => flag.agencyId),
        flags.map((flag) => flag.code),
        flags.map((flag) => JSON.stringify(flag.details)),
        flags.map((flag) => flag.fingerprint),
        flags.map((flag) => flag.contactPhoneEncrypted ?? null),
        flags.map((flag) => flag.reporterIpHash ?? null),
      ],
    );
  }

  /**
   * The open flag of a recruiter's fingerprint, opened now if there is none; `opened` tells which. A
   * concurrent report of the same recruiter waits on the unique index and then finds the flag the first opened.
   */
  async openForRecruiter(
    tx: Tx,
    fingerprint: string,
    details: Record<string, unknown>,
  ): Promise<{ id: string; opened: boolean }> {
    for (;;) {
      const inserted: { id: string }[] = await tx.query(
        `INSERT INTO flags (source, code, details, fingerprint)
         VALUES ('unlicensed_recruiter', 'UNLICENSED_RECRUITER', $1, $2)
         ON CONFLICT (fingerprint) WHERE status = 'open' AND job_order_id IS NULL DO NOTHING
         RETURNING id`,
        [JSON.stringify(details), fingerprint],
      );
      if (inserted.length) return { id: inserted[0].id, opened: true };
      // A new statement sees the flag the conflicting transaction committed; if it was resolved meanwhile, loop.
      const open: { id: string }[] = await tx.query(
        `SELECT id FROM flags WHERE fingerprint = $1 AND status = 'open' AND job_order_id IS NULL`,
        [fingerprint],
      );
      if (open.length) return { id: open[0].id, opened: false };
    }
  }

  async statuses(ids: string[]): Promise<Map<string, FlagStatus>> {
    if (ids.length === 0) return new Map();
    const rows: { id: string; status: FlagStatus }[] = await this.dataSource.query(
      `SELECT id, status FROM flags WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((row) => [row.id, row.status]));
  }

  list(filter: {
    status: FlagStatus;
    source?: FlagSource;
    agencyId?: string;
    jobOrderId?: string;
    after?: { createdAt: string; id: string };
    limit: number;
  }): Promise<(FlagRow & { sortKey: string })[]> {
    const params: unknown[] = [filter.status];
    const bind = (value: unknown) => `$${params.push(value)}`;
    const where = [`f.status = $1`];
    if (filter.source) where.push(`f.source = ${bind(filter.source)}`);
    if (filter.agencyId) where.push(`f.agency_id = ${bind(filter.agencyId)}`);
    if (filter.jobOrderId) where.push(`f.job_order_id = ${bind(filter.jobOrderId)}`);
    if (filter.after) {
      where.push(
        `(f.created_at, f.id) > (${bind(filter.after.createdAt)}::timestamptz, ${bind(filter.after.id)}::uuid)`,
      );
    }
    // Oldest first: a queue is worked from its front.
    return this.dataSource.query(
      `SELECT ${COLUMNS}, f.created_at::text AS "sortKey" FROM ${FROM} WHERE ${where.join(' AND ')}
       ORDER BY f.created_at, f.id LIMIT ${bind(filter.limit)}`,
      params,
    );
  }

  async lock(tx: Tx, id: string): Promise<FlagRow | undefined> {
    const rows: FlagRow[] = await tx.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE f.id = $1 FOR UPDATE OF f`, [
      id,
    ]);
    return rows[0];
  }

  async resolve(tx: Tx, id: string, resolution: { status: FlagStatus; note: string; by: string | null }) {
    await tx.query(
      `UPDATE flags SET status = $2, resolution_note = $3, resolved_by = $4, resolved_at = now() WHERE id = $1`,
      [id, resolution.status, resolution.note, resolution.by],
    );
  }
}
