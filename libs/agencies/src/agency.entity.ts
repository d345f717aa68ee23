import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

import { Province } from '@app/reference';

export const LICENSE_STATUSES = [
  'pending_verification',
  'active',
  'suspended',
  'revoked',
  'expired',
  'surrendered',
] as const;
export type LicenseStatus = (typeof LICENSE_STATUSES)[number];

@Entity('agencies')
export class Agency {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 60 })
  licenseNumber!: string;

  @Column({ type: 'date', nullable: true })
  licenseIssuedOn!: string | null;

  @Index()
  @Column({
    type: 'enum',
    enum: LICENSE_STATUSES,
    enumName: 'license_status',
    default: 'pending_verification',
  })
  licenseStatus!: LicenseStatus;

  /** The regulator's reason for the current licence status. */
  @Column({ type: 'text', nullable: true })
  licenseStatusReason!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  licenseStatusChangedAt!: Date | null;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 20 })
  enterpriseCode!: string;

  @Index()
  @Column({ type: 'varchar', length: 40, nullable: true })
  provinceCode!: string | null;

  @ManyToOne(() => Province)
  @JoinColumn({ name: 'province_code' })
  province?: Province;

  @Column({ type: 'varchar', length: 300, nullable: true })
  address!: string | null;

  /**
   * The registered hotline as the agency wrote it. "Check before you pay" looks it up by its canonical
   * form, f_phone_key(hotline), through an expression index kept by the migrations.
   */
  @Index('IDX_agencies_hotline_key', { synchronize: false })
  @Column({ type: 'varchar', length: 20, nullable: true })
  hotline!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  website!: string | null;

  @Column({ type: 'smallint', nullable: true })
  foundedYear!: number | null;

  @Column({ type: 'boolean', default: false })
  isPublicSendingCentre!: boolean;

  /** Accent-folded name, maintained by a database trigger for trigram search. */
  @Index('IDX_agencies_search_name_trgm', { synchronize: false })
  @Column({ type: 'text', select: false, insert: false, update: false, nullable: true })
  searchName?: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
