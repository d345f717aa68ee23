import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** A one-time code sent to a phone. Only a keyed hash of the code is kept; it ends after 5 wrong codes. */
@Entity('phone_verifications')
export class PhoneVerification {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'char', length: 64 })
  phoneHash!: string;

  @Column({ type: 'char', length: 64 })
  codeHash!: string;

  @Column({ type: 'smallint', default: 0 })
  failedAttempts!: number;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  confirmedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/**
 * A text message waiting for the gateway, recipient and text encrypted; deleted once sent or given up, so a
 * one-time code outlives its delivery nowhere.
 */
@Entity('sms_messages')
export class SmsMessage {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  toEncrypted!: string;

  @Column({ type: 'text', nullable: true })
  textEncrypted!: string | null;

  @Column({ type: 'smallint', default: 0 })
  attempts!: number;

  @Column({ type: 'varchar', length: 200, nullable: true })
  lastError!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/**
 * The key an applicant's personal fields are encrypted under, itself encrypted under ENCRYPTION_KEY.
 * Erasure destroys it (crypto-shredding): what was encrypted under it is then unrecoverable.
 */
@Entity('applicant_keys')
export class ApplicantKey {
  @PrimaryColumn({ type: 'char', length: 64 })
  phoneHash!: string;

  @Column({ type: 'text', nullable: true })
  keyWrapped!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  erasedAt!: Date | null;
}
