import type { Tx } from '@app/core';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { JobOrder, PublicationStatus, RegistrationStatus } from './job-order.entity';

/** The columns an agency's own writes may set; registration, publication and counters have their own paths. */
export type JobOrderTerms = Pick<
  JobOrder,
  | 'title'
  | 'occupation'
  | 'description'
  | 'requirements'
  | 'countryCode'
  | 'workLocation'
  | 'industryCode'
  | 'programCode'
  | 'openings'
  | 'gender'
  | 'birthYearFrom'
  | 'birthYearTo'
  | 'salaryAmount'
  | 'salaryCurrency'
  | 'salaryVndEstimate'
  | 'contractMonths'
  | 'serviceFeeVnd'
  | 'trainingFeeVnd'
  | 'depositVnd'
  | 'airfareVnd'
  | 'brokerageFeeVnd'
  | 'otherCostVnd'
  | 'totalCostVnd'
  | 'expectedDepartureMonths'
>;

export type JobOrderStateChange = Partial<
  Pick<
    JobOrder,
    | 'registrationStatus'
    | 'registrationRejectionReason'
    | 'publicationStatus'
    | 'publishedAt'
    | 'registrationNumber'
    | 'registrationApprovedOn'
    | 'approvedHeadcount'
    | 'takedownReason'
  >
>;

/** Job orders as their agency sees them. Every method takes the owning agency id. */
@Injectable()
export class AgencyJobOrdersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One of the agency's orders; inside a transaction the row is locked until it ends. */
  findForAgency(agencyId: string, id: string, tx?: Tx): Promise<JobOrder | null> {
    return (tx ?? this.dataSource.manager).getRepository(JobOrder).findOne({
      where: { id, agencyId },
      ...(tx ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  listForAgency(
    agencyId: string,
    filter: {
      publicationStatus?: PublicationStatus;
      registrationStatus?: RegistrationStatus;
      after?: { createdAt: string; id: string };
      limit: number;
    },
  ): Promise<(JobOrder & { sortKey: string })[]> {
    const query = this.dataSource
      .getRepository(JobOrder)
      .createQueryBuilder('o')
      .addSelect(`o.created_at::text`, 'sort_key')
      .where('o.agency_id = :agencyId', { agencyId });
    if (filter.publicationStatus)
      query.andWhere('o.publication_status = :publication', { publication: filter.publicationStatus });
    if (filter.registrationStatus)
      query.andWhere('o.registration_status = :registration', { registration: filter.registrationStatus });
    if (filter.after) {
      query.andWhere('(o.created_at, o.id) < (:createdAt::timestamptz, :id::uuid)', filter.after);
    }
    return query
      .orderBy('o.created_at', 'DESC')
      .addOrderBy('o.id', 'DESC')
      .limit(filter.limit)
      .getRawAndEntities()
      .then(({ entities, raw }: { entities: JobOrder[]; raw: { sort_key: string }[] }) =>
        entities.map((entity, i) => Object.assign(entity, { sortKey: raw[i].sort_key })),
      );
  }

  async insertForAgency(tx: Tx, agencyId: string, terms: JobOrderTerms): Promise<JobOrder> {
    const result = await tx.getRepository(JobOrder).insert({ ...terms, agencyId });
    const id = String((result.identifiers[0] as { id: string }).id);
    return (await this.findForAgency(agencyId, id, tx))!;
  }

  async updateForAgency(
    tx: Tx,
    agencyId: string,
    id: string,
    change: Partial<JobOrderTerms> & JobOrderStateChange,
  ): Promise<JobOrder> {
    await tx.getRepository(JobOrder).update({ id, agencyId }, change);
    return (await this.findForAgency(agencyId, id, tx))!;
  }
}
