import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';

/** How a consent was given or a stop asked for. */
export const ALERT_CHANNELS = ['api', 'web', 'link', 'sms'] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];

const bigintNumber = {
  to: (value: number | null) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};

/**
 * A saved search of a proven phone: the listing's filters as columns, NULL meaning "any". The four exact
 * filters are folded into `match_key` ('JP|food_processing|*|*'), so that a published order finds the alerts
 * that can match it by a handful of index probes (see JobAlertsRepository.recordMatches). The id is a short
 * number because the stop link that names it must fit in one SMS.
 */
@Entity('job_alerts')
@Index('IDX_job_alerts_phone', ['phoneHash', 'createdAt'])
@Check('CHK_job_alerts_gender', `gender IN ('male', 'female')`)
export class JobAlert {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ type: 'char', length: 64 })
  phoneHash!: string;

  /** The phone the texts go to, sealed under the phone's own key (destroyed by an erasure). */
  @Column({ type: 'text' })
  phoneSealed!: string;

  /** The text query as typed, shown back to its owner. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  q!: string | null;

  /** `q` folded into the listing's search words; each must occur in the order's search text. */
  @Column({ type: 'text', array: true, default: () => `'{}'` })
  qWords!: string[];

  @Column({ type: 'char', length: 2, nullable: true })
  countryCode!: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  industryCode!: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  programCode!: string | null;

  @Column({ type: 'varchar', length: 6, nullable: true })
  gender!: 'male' | 'female' | null;

  @Column({ type: 'smallint', nullable: true })
  birthYear!: number | null;

  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  salaryMinVnd!: number | null;

  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  maxCostVnd!: number | null;

  /**
   * Under IDX_job_alerts_match, partial on active alerts and covering every column matching reads (written by
   * the migration: TypeORM cannot declare INCLUDE), so matching an order never visits the table itself.
   */
  @Index('IDX_job_alerts_match', { synchronize: false })
  @Column({ type: 'varchar', length: 100 })
  matchKey!: string;

  /** The version of the consent text the phone agreed to, when and where. */
  @Column({ type: 'varchar', length: 20 })
  consentVersion!: string;

  @Column({ type: 'varchar', length: 8 })
  consentChannel!: AlertChannel;

  @Column({ type: 'timestamptz' })
  consentedAt!: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  stoppedAt!: Date | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  stoppedVia!: AlertChannel | null;
}

/** Every request to stop alerts: whose phone, when, by which channel, naming which alert, and what it ended. */
@Entity('job_alert_stops')
@Index('IDX_job_alert_stops_phone', ['phoneHash'])
export class JobAlertStop {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ type: 'char', length: 64 })
  phoneHash!: string;

  /** The alert the link or the request named; null for an SMS `STOP`, which names none. */
  @Column({ type: 'bigint', nullable: true })
  alertId!: string | null;

  @Column({ type: 'varchar', length: 8 })
  via!: AlertChannel;

  /** How many active alerts it ended (0 when they had already ended). */
  @Column({ type: 'smallint' })
  alertsEnded!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** An order that matched an alert, recorded once whether or not a text went out for it. */
@Entity('job_alert_matches')
@Index('IDX_job_alert_matches_phone', ['phoneHash'])
@Index('IDX_job_alert_matches_matched_at', ['matchedAt'])
export class JobAlertMatch {
  @PrimaryColumn({ type: 'bigint' })
  alertId!: string;

  @PrimaryColumn({ type: 'uuid' })
  jobOrderId!: string;

  @Column({ type: 'char', length: 64 })
  phoneHash!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  matchedAt!: Date;
}

/**
 * A text sent for a phone's alerts. Its key is the phone and the Vietnam calendar day, so a second matching
 * order that day finds the day taken and sends nothing.
 */
@Entity('job_alert_messages')
@Index('IDX_job_alert_messages_sent_at', ['sentAt'])
export class JobAlertMessage {
  @PrimaryColumn({ type: 'char', length: 64 })
  phoneHash!: string;

  /** The calendar day in Asia/Ho_Chi_Minh. */
  @PrimaryColumn({ type: 'date' })
  day!: string;

  @Column({ type: 'bigint' })
  alertId!: string;

  @Column({ type: 'uuid' })
  jobOrderId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  sentAt!: Date;
}
