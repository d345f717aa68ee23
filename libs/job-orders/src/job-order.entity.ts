import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

import { Agency } from '@app/agencies';
import { Country, Industry, Program } from '@app/reference';

export const GENDER_REQUIREMENTS = ['male', 'female', 'any'] as const;
export type GenderRequirement = (typeof GENDER_REQUIREMENTS)[number];

export const REGISTRATION_STATUSES = [
  'draft',
  'submitted',
  'source_preparation',
  'approved',
  'rejected',
] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

export const PUBLICATION_STATUSES = ['draft', 'published', 'closed', 'expired', 'taken_down'] as const;
export type PublicationStatus = (typeof PUBLICATION_STATUSES)[number];

const bigintNumber = {
  to: (value: number) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};

@Entity('job_orders')
@Check(
  'CHK_job_orders_total_cost',
  'total_cost_vnd = service_fee_vnd + training_fee_vnd + deposit_vnd + airfare_vnd + brokerage_fee_vnd + other_cost_vnd',
)
@Check('CHK_job_orders_birth_years', 'birth_year_from <= birth_year_to')
@Index('IDX_job_orders_agency_created', ['agencyId', 'createdAt', 'id'])
@Index('IDX_job_orders_public_newest', ['publishedAt', 'id'], { where: `publication_status = 'published'` })
@Index('IDX_job_orders_public_salary', ['salaryVndEstimate', 'id'], {
  where: `publication_status = 'published'`,
})
@Index('IDX_job_orders_public_popular', ['views', 'id'], { where: `publication_status = 'published'` })
@Index('IDX_job_orders_public_country_newest', ['countryCode', 'publishedAt', 'id'], {
  where: `publication_status = 'published'`,
})
@Index('IDX_job_orders_public_country_salary', ['countryCode', 'salaryVndEstimate', 'id'], {
  where: `publication_status = 'published'`,
})
@Index('IDX_job_orders_public_country_popular', ['countryCode', 'views', 'id'], {
  where: `publication_status = 'published'`,
})
export class JobOrder {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ type: 'uuid' })
  agencyId!: string;

  @ManyToOne(() => Agency, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_id' })
  agency?: Agency;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'varchar', length: 200 })
  occupation!: string;

  @Column({ type: 'text', default: '' })
  description!: string;

  @Column({ type: 'text', default: '' })
  requirements!: string;

  @Index()
  @Column({ type: 'char', length: 2 })
  countryCode!: string;

  @ManyToOne(() => Country)
  @JoinColumn({ name: 'country_code' })
  country?: Country;

  @Column({ type: 'varchar', length: 120 })
  workLocation!: string;

  @Index()
  @Column({ type: 'varchar', length: 40 })
  industryCode!: string;

  @ManyToOne(() => Industry)
  @JoinColumn({ name: 'industry_code' })
  industry?: Industry;

  @Index()
  @Column({ type: 'varchar', length: 40 })
  programCode!: string;

  @ManyToOne(() => Program)
  @JoinColumn({ name: 'program_code' })
  program?: Program;

  @Column({ type: 'integer' })
  openings!: number;

  @Column({ type: 'enum', enum: GENDER_REQUIREMENTS, enumName: 'gender_requirement', default: 'any' })
  gender!: GenderRequirement;

  @Column({ type: 'smallint' })
  birthYearFrom!: number;

  @Column({ type: 'smallint' })
  birthYearTo!: number;

  @Column({ type: 'numeric', precision: 14, scale: 2 })
  salaryAmount!: string;

  @Column({ type: 'char', length: 3 })
  salaryCurrency!: string;

  /** Base salary in VND at the exchange rate in force when the order was last written. */
  @Column({ type: 'bigint', transformer: bigintNumber })
  salaryVndEstimate!: number;

  @Column({ type: 'smallint' })
  contractMonths!: number;

  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  serviceFeeVnd!: number;

  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  trainingFeeVnd!: number;

  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  depositVnd!: number;

  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  airfareVnd!: number;

  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  brokerageFeeVnd!: number;

  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  otherCostVnd!: number;

  /** Sum of the six costs above, written with them (a check constraint holds them in step). */
  @Index()
  @Column({ type: 'bigint', transformer: bigintNumber })
  totalCostVnd!: number;

  @Column({ type: 'smallint', nullable: true })
  expectedDepartureMonths!: number | null;

  @Column({ type: 'enum', enum: REGISTRATION_STATUSES, enumName: 'registration_status', default: 'draft' })
  registrationStatus!: RegistrationStatus;

  @Column({ type: 'varchar', length: 60, nullable: true })
  registrationNumber!: string | null;

  @Column({ type: 'date', nullable: true })
  registrationApprovedOn!: string | null;

  @Column({ type: 'integer', nullable: true })
  approvedHeadcount!: number | null;

  @Column({ type: 'text', nullable: true })
  registrationRejectionReason!: string | null;

  @Index()
  @Column({ type: 'enum', enum: PUBLICATION_STATUSES, enumName: 'publication_status', default: 'draft' })
  publicationStatus!: PublicationStatus;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  takedownReason!: string | null;

  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  views!: number;

  @Column({ type: 'integer', default: 0 })
  consultationCount!: number;

  /** Accent-folded title, occupation, location and agency name, maintained by a trigger for trigram search. */
  @Index('IDX_job_orders_search_text_trgm', { synchronize: false })
  @Column({ type: 'text', select: false, insert: false, update: false, nullable: true })
  searchText?: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** Idempotency of view-count flushes: a batch whose id is here has been applied. */
@Entity('view_count_batches')
export class ViewCountBatch {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  appliedAt!: Date;
}
