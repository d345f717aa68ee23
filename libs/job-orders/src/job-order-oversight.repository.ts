import type { Tx } from '@app/core';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { JobOrderStateChange } from './agency-job-orders.repository';
import { JobOrder, PublicationStatus, RegistrationStatus } from './job-order.entity';

/** Job orders as regulators see them: every agency's, for registration decisions and takedowns. */
@Injectable()
export class JobOrderOversightRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  lock(tx: Tx, id: string): Promise<JobOrder | null> {
    return tx.getRepository(JobOrder).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async update(tx: Tx, id: string, change: JobOrderStateChange): Promise<JobOrder> {
    await tx.getRepository(JobOrder).update({ id }, change);
    return (await this.lock(tx, id))!;
  }

  list(filter: {
    registrationStatus?: RegistrationStatus;
    publicationStatus?: PublicationStatus;
    agencyId?: string;
    after?: { updatedAt: string; id: string };
    limit: number;
  }): Promise<(JobOrder & { sortKey: string })[]> {
    const query = this.dataSource
      .getRepository(JobOrder)
      .createQueryBuilder('o')
      .leftJoinAndSelect('o.agency', 'a')
      .addSelect(`o.updated_at::text`, 'sort_key');
    if (filter.registrationStatus)
      query.andWhere('o.registration_status = :registration', { registration: filter.registrationStatus });
    if (filter.publicationStatus)
      query.andWhere('o.publication_status = :publication', { publication: filter.publicationStatus });
    if (filter.agencyId) query.andWhere('o.agency_id = :agencyId', { agencyId: filter.agencyId });
    if (filter.after)
      query.andWhere('(o.updated_at, o.id) < (:updatedAt::timestamptz, :id::uuid)', filter.after);
    return query
      .orderBy('o.updated_at', 'DESC')
      .addOrderBy('o.id', 'DESC')
      .limit(filter.limit)
      .getRawAndEntities()
      .then(({ entities, raw }: { entities: JobOrder[]; raw: { sort_key: string }[] }) =>
        entities.map((entity, i) => Object.assign(entity, { sortKey: raw[i].sort_key })),
      );
  }

  /** The order if the public can see it (published, agency active), with its agency. */
  async findPublic(id: string): Promise<{ id: string; agencyId: string } | undefined> {
    const rows: { id: string; agencyId: string }[] = await this.dataSource.query(
      `SELECT o.id, o.agency_id AS "agencyId" FROM job_orders o JOIN agencies a ON a.id = o.agency_id
       WHERE o.id = $1 AND o.publication_status = 'published' AND a.license_status = 'active'`,
      [id],
    );
    return rows[0];
  }
}
