import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One state change that matters, append-only and hash-chained: `hash` covers `prevHash` and the canonical
 * encoding of the entry, so editing or removing a row breaks the chain from there on. A trigger refuses
 * UPDATE, DELETE and TRUNCATE on the table.
 */
@Entity('audit_log')
@Index('IDX_audit_log_entity', ['entityType', 'entityId', 'id'])
@Index('IDX_audit_log_actor', ['actorId', 'id'])
export class AuditEntry {
  /** Assigned in chain order under the chain lock, so ordering by id is ordering by chain. */
  @PrimaryColumn({ type: 'bigint' })
  id!: number;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  /** A user role, or `system` for the worker and scheduled jobs. */
  @Column({ type: 'varchar', length: 20 })
  actorRole!: string;

  @Column({ type: 'varchar', length: 60 })
  action!: string;

  @Column({ type: 'varchar', length: 40 })
  entityType!: string;

  @Column({ type: 'varchar', length: 64 })
  entityId!: string;

  @Column({ type: 'jsonb', nullable: true })
  before!: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true })
  after!: Record<string, unknown> | null;

  @Column({ type: 'char', length: 64 })
  prevHash!: string;

  @Index({ unique: true })
  @Column({ type: 'char', length: 64 })
  hash!: string;
}
