import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

import { RECRUITER_KEY_KINDS, RecruiterKeyKind } from './recruiter-keys';

export const RECRUITER_CHANNELS = ['phone', 'facebook', 'zalo', 'tiktok', 'in_person', 'other'] as const;
export type RecruiterChannel = (typeof RECRUITER_CHANNELS)[number];

/**
 * A public report of someone recruiting without a licence or asking for money beyond the caps. Reports are
 * grouped by the first of the recruiter's phone, link and name they give (`groupKind`, `groupKey`), because
 * a broker changes names more easily than numbers; each group has one open regulator flag at a time.
 */
@Entity('recruiter_reports')
@Index('IDX_recruiter_reports_group', ['groupKind', 'groupKey', 'createdAt'])
@Index('IDX_recruiter_reports_created', ['createdAt', 'id'])
export class RecruiterReport {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_recruiter_reports' })
  id!: string;

  @Column({ type: 'enum', enum: RECRUITER_KEY_KINDS, enumName: 'recruiter_key_kind' })
  groupKind!: RecruiterKeyKind;

  @Column({ type: 'varchar', length: 300 })
  groupKey!: string;

  /** The name the recruiter used, as the reporter wrote it. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  recruiterName!: string | null;

  /** Accent-folded name (f_search_fold), written with the row, for the same word search as agencies'. */
  @Index('IDX_recruiter_reports_name_trgm', { synchronize: false })
  @Column({ type: 'text', nullable: true })
  recruiterNameSearch!: string | null;

  /** Canonical number (normalizeVietnameseNumber). */
  @Index('IDX_recruiter_reports_phone', { where: 'recruiter_phone IS NOT NULL' })
  @Column({ type: 'varchar', length: 20, nullable: true })
  recruiterPhone!: string | null;

  /** Canonical link (recruiterLinkKey). */
  @Index('IDX_recruiter_reports_link', { where: 'recruiter_link IS NOT NULL' })
  @Column({ type: 'varchar', length: 300, nullable: true })
  recruiterLink!: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  channel!: RecruiterChannel | null;

  /** The destination they promised, ISO 3166-1 alpha-2. */
  @Column({ type: 'char', length: 2, nullable: true })
  countryCode!: string | null;

  /** What they promised: the job, the country, the salary, the departure. */
  @Column({ type: 'text' })
  promised!: string;

  @Column({ type: 'bigint', nullable: true })
  askedAmountVnd!: string | null;

  @Column({ type: 'bigint', nullable: true })
  paidAmountVnd!: string | null;

  @Column({ type: 'text', nullable: true })
  detail!: string | null;

  /** The reporter's call-back number (E.164) sealed with the personal-data key; only regulators read it. */
  @Column({ type: 'text', nullable: true })
  reporterPhoneEncrypted!: string | null;

  /** Keyed hash of that number: the reporter's data rights (`GET` and `DELETE /me/data`) find the report by it. */
  @Index('IDX_recruiter_reports_reporter_phone', { where: 'reporter_phone_hash IS NOT NULL' })
  @Column({ type: 'char', length: 64, nullable: true })
  reporterPhoneHash!: string | null;

  /** When the reporter agreed that regulators keep that number and call them about the report. */
  @Column({ type: 'timestamptz', nullable: true })
  reporterConsentAt!: Date | null;

  /** Keyed hash of the reporter's address, for abuse analysis without storing it. */
  @Column({ type: 'char', length: 64 })
  reporterIpHash!: string;

  /** The regulator flag the report was filed under. */
  @ForeignKey('Flag', { onDelete: 'RESTRICT', name: 'FK_recruiter_reports_flag' })
  @Index('IDX_recruiter_reports_flag')
  @Column({ type: 'uuid' })
  flagId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
