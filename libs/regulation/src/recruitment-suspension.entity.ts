import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';

import { Country, Program } from '@app/reference';

/**
 * A pause of recruitment for a program and/or destination in some provinces (e.g. Korea EPS in localities
 * with many overstayers). Requests from those provinces for matching orders are rejected LOCALITY_SUSPENDED.
 */
@Entity('recruitment_suspensions')
@Check('CHK_recruitment_suspensions_target', 'program_code IS NOT NULL OR country_code IS NOT NULL')
@Check('CHK_recruitment_suspensions_period', 'starts_on <= ends_on')
@Index('IDX_recruitment_suspensions_active', ['endsOn'], { where: 'lifted_at IS NULL' })
export class RecruitmentSuspension {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  programCode!: string | null;

  @ManyToOne(() => Program)
  @JoinColumn({ name: 'program_code' })
  program?: Program;

  @Column({ type: 'char', length: 2, nullable: true })
  countryCode!: string | null;

  @ManyToOne(() => Country)
  @JoinColumn({ name: 'country_code' })
  country?: Country;

  /** New province codes (former names are mapped on input). */
  @Column({ type: 'varchar', length: 40, array: true })
  provinceCodes!: string[];

  /** First and last day, Vietnam time. */
  @Column({ type: 'date' })
  startsOn!: string;

  @Column({ type: 'date' })
  endsOn!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  liftedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  liftedBy!: string | null;
}
