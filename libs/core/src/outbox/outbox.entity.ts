import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Transactional outbox: written with the change, moved to BullMQ by the worker's relay. */
@Entity('outbox')
@Index('IDX_outbox_pending', ['id'], { where: 'dispatched_at IS NULL' })
export class OutboxEntry {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 40 })
  queue!: string;

  @Column({ type: 'varchar', length: 120 })
  jobId!: string;

  @Column({ type: 'jsonb' })
  payload!: Record<string, string>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  /** The job waits in its queue until then (BullMQ's delay); null: at once. */
  @Column({ type: 'timestamptz', nullable: true })
  notBefore!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  dispatchedAt!: Date | null;
}
