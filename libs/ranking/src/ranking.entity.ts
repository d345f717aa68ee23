import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * What happened that may move a score, written by triggers (migrations/…-RankingTriggers.ts) in the
 * producer's transaction, so nothing is lost or invented; the worker folds and deletes them in one transaction.
 */
@Entity('ranking_events')
export class RankingEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid' })
  agencyId!: string;

  @Column({ type: 'char', length: 2, nullable: true })
  countryCode!: string | null;

  @Column({ type: 'varchar', length: 30 })
  kind!: string;

  @Column({ type: 'jsonb', default: {} })
  payload!: Record<string, unknown>;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  occurredAt!: Date;
}

/**
 * The dated record of what counts against compliance (takedowns, rejected registrations, upheld flags,
 * licence suspensions and revocations). The producers' rows keep no date for most of these, so the
 * triggers write it here; the score counts the entries of the last 24 months.
 */
@Entity('ranking_incidents')
@Index('IDX_ranking_incidents_agency_at', ['agencyId', 'occurredAt'])
export class RankingIncident {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid' })
  agencyId!: string;

  @Column({ type: 'varchar', length: 30 })
  kind!: string;

  /** The order, flag or agency concerned. */
  @Column({ type: 'uuid' })
  subjectId!: string;

  @Column({ type: 'timestamptz' })
  occurredAt!: Date;
}

/**
 * One person (phone hash) as a lead of one agency for one destination: the unit responsiveness and
 * reviews are counted in, so many requests from one phone weigh as one.
 */
@Entity('ranking_contacts')
export class RankingContact {
  @PrimaryColumn({ type: 'uuid' })
  agencyId!: string;

  @PrimaryColumn({ type: 'char', length: 2 })
  countryCode!: string;

  @PrimaryColumn({ type: 'char', length: 64 })
  phoneHash!: string;

  /** Assigned requests from this phone. */
  @Column({ type: 'integer' })
  leads!: number;

  /** The earliest request (by creation, then id) decides which address the person is counted under. */
  @Column({ type: 'timestamptz' })
  firstAt!: Date;

  @Column({ type: 'uuid' })
  firstRequestId!: string;

  @Column({ type: 'char', length: 64, nullable: true })
  firstIpHash!: string | null;

  /** Fastest first contact after assignment over the person's requests, in milliseconds. */
  @Column({ type: 'bigint', nullable: true })
  bestDelayMs!: number | null;

  /** Sum of the four ratings of the person's review, if any. */
  @Column({ type: 'smallint', nullable: true })
  reviewPoints!: number | null;
}

/** Additive counters per agency and destination; rows that fall back to all zeros are removed. */
@Entity('ranking_counters')
export class RankingCounter {
  @PrimaryColumn({ type: 'uuid' })
  agencyId!: string;

  @PrimaryColumn({ type: 'char', length: 2 })
  countryCode!: string;

  @Column({ type: 'integer', default: 0 })
  departures!: number;

  @Column({ type: 'integer', default: 0 })
  approvedHeadcount!: number;

  @Column({ type: 'integer', default: 0 })
  openOrders!: number;
}

/** Per agency and scope (a destination, or '' for all), the figures the score is computed from. */
@Entity('ranking_stats')
export class RankingStat {
  @PrimaryColumn({ type: 'varchar', length: 2 })
  countryCode!: string;

  @PrimaryColumn({ type: 'uuid' })
  agencyId!: string;

  @Column({ type: 'integer' })
  leads!: number;

  /** Distinct phones counted, at most a few per address. */
  @Column({ type: 'integer' })
  people!: number;

  @Column({ type: 'integer' })
  contacted!: number;

  @Column({ type: 'integer' })
  contactedWithin24h!: number;

  @Column({ type: 'bigint', nullable: true })
  medianDelayMs!: number | null;

  @Column({ type: 'integer' })
  reviews!: number;

  @Column({ type: 'integer' })
  reviewPoints!: number;

  @Column({ type: 'integer' })
  departures!: number;

  @Column({ type: 'integer' })
  approvedHeadcount!: number;

  @Column({ type: 'integer' })
  openOrders!: number;
}

/** The published ranking, read as it is by GET /agencies/top and the agency page. */
@Entity('ranking_scores')
@Index('IDX_ranking_scores_agency', ['agencyId'])
export class RankingScore {
  @PrimaryColumn({ type: 'varchar', length: 2 })
  countryCode!: string;

  @PrimaryColumn({ type: 'integer' })
  rank!: number;

  @Column({ type: 'uuid' })
  agencyId!: string;

  @Column({ type: 'double precision' })
  score!: number;

  @Column({ type: 'double precision' })
  compliance!: number;

  @Column({ type: 'double precision' })
  responsiveness!: number;

  @Column({ type: 'double precision' })
  outcomes!: number;

  @Column({ type: 'double precision' })
  reviews!: number;

  @Column({ type: 'double precision' })
  activity!: number;

  @Column({ type: 'jsonb' })
  sampleSize!: Record<string, number | null>;

  @Column({ type: 'timestamptz' })
  computedAt!: Date;
}

/** One row: when the stored ranking was computed, and a version readers cache against. */
@Entity('ranking_state')
export class RankingState {
  @PrimaryColumn({ type: 'smallint', default: 1 })
  id!: number;

  @Column({ type: 'bigint', default: 0 })
  version!: number;

  @Column({ type: 'timestamptz', nullable: true })
  computedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  fullRecomputeAt!: Date | null;
}
