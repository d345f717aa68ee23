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

import { Agency } from '@app/agencies';
import { ConsultationRequest } from '@app/consultations';

/**
 * A job seeker's review of the agency that handled their request: one per request, and one per phone and
 * agency, so a person who asked about several orders speaks once. Phone and address are kept only as the
 * keyed hashes the request already carries.
 */
@Entity('reviews')
@Index('UQ_reviews_request', ['requestId'], { unique: true })
@Index('UQ_reviews_agency_phone', ['agencyId', 'phoneHash'], { unique: true })
@Index('IDX_reviews_agency_created', ['agencyId', 'createdAt', 'id'])
@Check(
  'CHK_reviews_ratings',
  'fees BETWEEN 1 AND 5 AND contract BETWEEN 1 AND 5 AND training BETWEEN 1 AND 5 AND responsiveness BETWEEN 1 AND 5',
)
export class Review {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  requestId!: string;

  @ManyToOne(() => ConsultationRequest, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'request_id' })
  request?: ConsultationRequest;

  @Column({ type: 'uuid' })
  agencyId!: string;

  @ManyToOne(() => Agency, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agency_id' })
  agency?: Agency;

  /** Destination of the order the request was about, for the per-country ranking. */
  @Column({ type: 'char', length: 2 })
  countryCode!: string;

  @Column({ type: 'char', length: 64 })
  phoneHash!: string;

  /** Keyed hash of the address the review came from. */
  @Column({ type: 'char', length: 64, nullable: true })
  ipHash!: string | null;

  @Column({ type: 'smallint' })
  fees!: number;

  @Column({ type: 'smallint' })
  contract!: number;

  @Column({ type: 'smallint' })
  training!: number;

  @Column({ type: 'smallint' })
  responsiveness!: number;

  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
