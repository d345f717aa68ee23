import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

export const FLAG_SOURCES = ['compliance', 'report', 'unlicensed_recruiter'] as const;
export type FlagSource = (typeof FLAG_SOURCES)[number];

export const FLAG_STATUSES = ['open', 'upheld', 'dismissed'] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];

/**
 * An item of the regulators' queue: a rule violation or suspicious wording found by the compliance engine,
 * a public report of a listing, or public reports of a recruiter outside the listings (no order, no agency).
 * One open flag per order and fingerprint, and one per recruiter's number or link, so re-checking an order
 * or reporting a recruiter again does not pile up copies.
 */
@Entity('flags')
@Index('IDX_flags_status_created', ['status', 'createdAt', 'id'])
@Index('UQ_flags_open_fingerprint', ['jobOrderId', 'fingerprint'], { unique: true, where: `status = 'open'` })
@Index('UQ_flags_open_recruiter', ['fingerprint'], {
  unique: true,
  where: `status = 'open' AND job_order_id IS NULL`,
})
export class Flag {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'enum', enum: FLAG_SOURCES, enumName: 'flag_source' })
  source!: FlagSource;

  // By entity name, not a relation: job-orders depends on this library, not the other way round.
  @ForeignKey('JobOrder', { onDelete: 'RESTRICT' })
  @Column({ type: 'uuid', nullable: true })
  jobOrderId!: string | null;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  agencyId!: string | null;

  /** A violation code of the compliance rules, SUSPICIOUS_WORDING, REPORT or UNLICENSED_RECRUITER. */
  @Column({ type: 'varchar', length: 40 })
  code!: string;

  /** What was found: the rule and its reference, the limit and the value, or the phrase and the field. */
  @Column({ type: 'jsonb', default: {} })
  details!: Record<string, unknown>;

  @Column({ type: 'varchar', length: 200 })
  fingerprint!: string;

  /** A reporter's phone, if they left one, encrypted like every phone number; only regulators read it. */
  @Column({ type: 'text', nullable: true })
  contactPhoneEncrypted!: string | null;

  /** Keyed hash of the reporter's address, for abuse analysis without storing it. */
  @Column({ type: 'char', length: 64, nullable: true })
  reporterIpHash!: string | null;

  @Column({ type: 'enum', enum: FLAG_STATUSES, enumName: 'flag_status', default: 'open' })
  status!: FlagStatus;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  resolvedBy!: string | null;

  @Column({ type: 'text', nullable: true })
  resolutionNote!: string | null;
}
