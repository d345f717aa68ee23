import type { Tx } from '@app/core';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { RecruitmentSuspension } from './recruitment-suspension.entity';

const VIETNAM_TODAY = `(now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date`;

export interface SuspensionMatch {
  provinceCode: string;
  programCode: string;
  countryCode: string;
}

@Injectable()
export class RecruitmentSuspensionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(
    tx: Tx,
    suspension: Pick<
      RecruitmentSuspension,
      'programCode' | 'countryCode' | 'provinceCodes' | 'startsOn' | 'endsOn' | 'reason' | 'createdBy'
    >,
  ): Promise<RecruitmentSuspension & { inForce: boolean }> {
    const { identifiers } = await tx.getRepository(RecruitmentSuspension).insert(suspension);
    return (await this.find(String((identifiers[0] as { id: string }).id), tx))!;
  }

  async find(id: string, tx?: Tx): Promise<(RecruitmentSuspension & { inForce: boolean }) | undefined> {
    const [row] = await this.select(tx ?? this.dataSource.manager, `s.id = $1`, [id], 1);
    return row;
  }

  list(filter: { active?: boolean; after?: { createdAt: string; id: string }; limit: number }) {
    const params: unknown[] = [];
    const where = ['true'];
    if (filter.active)
      where.push(`s.lifted_at IS NULL AND ${VIETNAM_TODAY} BETWEEN s.starts_on AND s.ends_on`);
    if (filter.after) {
      where.push(
        `(s.created_at, s.id) < ($${params.push(filter.after.createdAt)}::timestamptz, $${params.push(filter.after.id)}::uuid)`,
      );
    }
    return this.select(this.dataSource.manager, where.join(' AND '), params, filter.limit);
  }

  async lift(tx: Tx, id: string, by: string | null): Promise<boolean> {
    const [, affected]: [unknown, number] = await tx.query(
      `UPDATE recruitment_suspensions SET lifted_at = now(), lifted_by = $2 WHERE id = $1 AND lifted_at IS NULL`,
      [id, by],
    );
    return affected > 0;
  }

  /** Suspensions in force today, not lifted. */
  async findInForce(
    tx?: Tx,
  ): Promise<Pick<RecruitmentSuspension, 'programCode' | 'countryCode' | 'provinceCodes'>[]> {
    return (tx ?? this.dataSource.manager).query(
      `SELECT program_code AS "programCode", country_code AS "countryCode", province_codes AS "provinceCodes"
       FROM recruitment_suspensions WHERE lifted_at IS NULL AND ${VIETNAM_TODAY} BETWEEN starts_on AND ends_on`,
    );
  }

  private select(
    manager: Tx,
    where: string,
    params: unknown[],
    limit: number,
  ): Promise<(RecruitmentSuspension & { inForce: boolean; sortKey: string })[]> {
    return manager.query(
      `SELECT s.id, s.program_code AS "programCode", s.country_code AS "countryCode",
         s.province_codes AS "provinceCodes", to_char(s.starts_on, 'YYYY-MM-DD') AS "startsOn",
         to_char(s.ends_on, 'YYYY-MM-DD') AS "endsOn", s.reason, s.created_by AS "createdBy",
         s.created_at AS "createdAt", s.lifted_at AS "liftedAt", s.lifted_by AS "liftedBy",
         s.created_at::text AS "sortKey",
         (s.lifted_at IS NULL AND ${VIETNAM_TODAY} BETWEEN s.starts_on AND s.ends_on) AS "inForce"
       FROM recruitment_suspensions s WHERE ${where} ORDER BY s.created_at DESC, s.id DESC
       LIMIT $${params.push(limit)}`,
      params,
    );
  }
}
