import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

import { Country } from '@app/reference';

import { Agency } from './agency.entity';

/** An agency's monthly count of workers who departed for one destination, of whom women. */
@Entity('departure_reports')
@Index('UQ_departure_reports_agency_month_country', ['agencyId', 'month', 'countryCode'], { unique: true })
@Index('IDX_departure_reports_month', ['month'])
@Check('CHK_departure_reports_women', 'women >= 0 AND women <= total')
export class DepartureReport {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  agencyId!: string;

  @ManyToOne(() => Agency, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_id' })
  agency?: Agency;

  /** `YYYY-MM`. */
  @Column({ type: 'char', length: 7 })
  month!: string;

  @Column({ type: 'char', length: 2 })
  countryCode!: string;

  @ManyToOne(() => Country)
  @JoinColumn({ name: 'country_code' })
  country?: Country;

  @Column({ type: 'integer' })
  total!: number;

  @Column({ type: 'integer' })
  women!: number;

  @Column({ type: 'uuid', nullable: true })
  reportedBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
