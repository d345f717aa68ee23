import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';

import { Agency } from '@app/agencies';
import { JobOrder } from '@app/job-orders';
import { Province } from '@app/reference';

export const CONSULTATION_STATUSES = [
  'received',
  'assigned',
  'rejected',
  'contacted',
  'closed',
  'withdrawn',
] as const;
export type ConsultationStatus = (typeof CONSULTATION_STATUSES)[number];

export const CONSULTATION_OUTCOMES = ['enrolled', 'not_eligible', 'not_interested', 'no_answer'] as const;
export type ConsultationOutcome = (typeof CONSULTATION_OUTCOMES)[number];

export const APPLICANT_GENDERS = ['male', 'female'] as const;
export type ApplicantGender = (typeof APPLICANT_GENDERS)[number];

/** A "Tư vấn giúp tôi" request. Name, phone and message are encrypted; phone_hash serves lookups and dedupe. */
@Entity('consultation_requests')
@Index('IDX_consultation_requests_dedupe', ['phoneHash', 'jobOrderId', 'createdAt'])
@Index('IDX_consultation_requests_agency_status', ['agencyId', 'status', 'createdAt'])
export class ConsultationRequest {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 16 })
  trackingCode!: string;

  @Column({ type: 'uuid' })
  jobOrderId!: string;

  @ManyToOne(() => JobOrder)
  @JoinColumn({ name: 'job_order_id' })
  jobOrder?: JobOrder;

  @Column({ type: 'uuid' })
  agencyId!: string;

  @ManyToOne(() => Agency)
  @JoinColumn({ name: 'agency_id' })
  agency?: Agency;

  @Column({ type: 'text' })
  fullNameEncrypted!: string;

  @Column({ type: 'text' })
  phoneEncrypted!: string;

  @Column({ type: 'char', length: 64 })
  phoneHash!: string;

  @Column({ type: 'varchar', length: 40 })
  provinceCode!: string;

  @ManyToOne(() => Province)
  @JoinColumn({ name: 'province_code' })
  province?: Province;

  @Column({ type: 'smallint' })
  birthYear!: number;

  @Column({ type: 'enum', enum: APPLICANT_GENDERS, enumName: 'applicant_gender', nullable: true })
  gender!: ApplicantGender | null;

  @Column({ type: 'text', nullable: true })
  messageEncrypted!: string | null;

  /** Keyed hash of the client address, for abuse analysis without storing the address. */
  @Column({ type: 'char', length: 64, nullable: true })
  ipHash!: string | null;

  @Column({
    type: 'enum',
    enum: CONSULTATION_STATUSES,
    enumName: 'consultation_status',
    default: 'received',
  })
  status!: ConsultationStatus;

  /**
   * The consent text's version the applicant agreed to, for routing this request to the order's agency
   * (purpose `consultation_routing`), granted with the request at `createdAt`. Requests stored before
   * migrations/…-ConsentWithTheRequest.ts have it as a `consents` row instead.
   */
  @Column({ type: 'varchar', length: 20, nullable: true })
  consentPolicyVersion!: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  rejectionReason!: string | null;

  @Column({ type: 'enum', enum: CONSULTATION_OUTCOMES, enumName: 'consultation_outcome', nullable: true })
  outcome!: ConsultationOutcome | null;

  @Column({ type: 'timestamptz', nullable: true })
  assignedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  firstContactedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  /** Set when the retention job or an erasure made the name, phone and message unrecoverable. */
  @Column({ type: 'timestamptz', nullable: true })
  personalDataErasedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

/**
 * Consent per purpose, recorded in the same transaction as the request: how requests stored before
 * `ConsultationRequest.consentPolicyVersion` keep theirs.
 */
@Entity('consents')
export class Consent {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ type: 'uuid' })
  requestId!: string;

  @ManyToOne(() => ConsultationRequest, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'request_id' })
  request?: ConsultationRequest;

  @Column({ type: 'varchar', length: 40 })
  purpose!: string;

  @Column({ type: 'varchar', length: 20 })
  policyVersion!: string;

  @Column({ type: 'timestamptz' })
  grantedAt!: Date;
}

/** The status timeline; each status is reached at most once per request. */
@Entity('consultation_events')
@Unique('UQ_consultation_events_request_status', ['requestId', 'status'])
export class ConsultationEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid' })
  requestId!: string;

  @ManyToOne(() => ConsultationRequest, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'request_id' })
  request?: ConsultationRequest;

  @Column({ type: 'enum', enum: CONSULTATION_STATUSES, enumName: 'consultation_event_status' })
  status!: ConsultationStatus;

  @Column({ type: 'varchar', length: 40, nullable: true })
  reason!: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;
}

/** Stored answers to requests that carried an Idempotency-Key, kept at least 24 hours. */
@Entity('idempotency_keys')
export class IdempotencyRecord {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  scope!: string;

  @PrimaryColumn({ type: 'varchar', length: 200 })
  key!: string;

  @Column({ type: 'char', length: 64 })
  requestHash!: string;

  @Column({ type: 'jsonb', nullable: true })
  response!: Record<string, unknown> | null;

  @Index()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

@Entity('agency_webhooks')
export class AgencyWebhook {
  @PrimaryColumn({ type: 'uuid' })
  agencyId!: string;

  @ManyToOne(() => Agency, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agency_id' })
  agency?: Agency;

  @Column({ type: 'varchar', length: 500 })
  url!: string;

  @Column({ type: 'text' })
  secretEncrypted!: string;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  /**
   * The endpoint's circuit: `closed` (deliveries flow) or `open` (they are parked; one probe every
   * WEBHOOK_PROBE_INTERVAL_SECONDS, whose success closes it). See docs/design.md, "Webhook delivery".
   */
  @Column({ type: 'varchar', length: 10, default: 'closed' })
  circuitState!: 'closed' | 'open';

  @Column({ type: 'timestamptz', nullable: true })
  circuitOpenedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  nextProbeAt!: Date | null;

  @Column({ type: 'integer', default: 0 })
  consecutiveFailures!: number;

  @Column({ type: 'timestamptz', nullable: true })
  lastSuccessAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastFailureAt!: Date | null;

  /** The last 10 failures, newest first: `{ at, deliveryId, event, error }`, never a body. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  recentErrors!: unknown[];

  /** Attempts answered 2xx and attempts that failed, ever (the /metrics counters sum them). */
  @Column({ type: 'bigint', default: 0 })
  deliveredTotal!: string;

  @Column({ type: 'bigint', default: 0 })
  failedTotal!: string;

  @Column({ type: 'integer', default: 0 })
  circuitOpens!: number;

  @Column({ type: 'integer', default: 0 })
  circuitCloses!: number;
}

/**
 * One notification per event of a request; delivered_at is set once the agency's endpoint accepted it. The
 * undelivered rows are the delivery queue: the worker claims them oldest first (leased_until), and a failed
 * one waits until next_attempt_at.
 */
@Entity('webhook_deliveries')
@Index('IDX_webhook_deliveries_pending', ['agencyId', 'createdAt'], { where: 'delivered_at IS NULL' })
export class WebhookDelivery {
  @PrimaryColumn({ type: 'uuid' })
  requestId!: string;

  /** `consultation.assigned`, `consultation.withdrawn` or `applicant.erased`: one delivery of each per request. */
  @PrimaryColumn({ type: 'varchar', length: 40, default: 'consultation.assigned' })
  event!: string;

  @ManyToOne(() => ConsultationRequest, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'request_id' })
  request?: ConsultationRequest;

  @Index()
  @Column({ type: 'uuid' })
  agencyId!: string;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'varchar', length: 300, nullable: true })
  lastError!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  /** Not sent before this (a retry's backoff). */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  /** Claimed by a worker until then; a worker that died leaves it to be claimed again. */
  @Column({ type: 'timestamptz', nullable: true })
  leasedUntil!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
