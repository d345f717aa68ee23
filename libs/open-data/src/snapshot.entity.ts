import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';

const bigintNumber = {
  to: (value: number) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};

/**
 * One dataset in one format as it was on one day (Vietnam time). Its bytes are gzip-compressed in
 * `open_data_snapshot_chunks`, written in the transaction that inserts this row, so a snapshot is seen
 * whole or not at all.
 */
@Entity('open_data_snapshots')
@Index('UQ_open_data_snapshots_dataset_format_date', ['dataset', 'format', 'snapshotDate'], { unique: true })
export class OpenDataSnapshot {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 40 })
  dataset!: string;

  @Column({ type: 'varchar', length: 10 })
  format!: string;

  /** The day it stands for, in Vietnam time: `YYYY-MM-DD`. */
  @Column({ type: 'date' })
  snapshotDate!: string;

  @Column({ type: 'integer' })
  rowCount!: number;

  /** Size of the file as served without compression. */
  @Column({ type: 'bigint', transformer: bigintNumber })
  bytes!: number;

  /** Size of the gzip stream as stored (and served to clients that accept gzip). */
  @Column({ type: 'bigint', transformer: bigintNumber })
  gzipBytes!: number;

  /** SHA-256 of the uncompressed file, hex: its strong ETag, and a checksum for whoever cites it. */
  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** A snapshot's gzip stream in pieces of at most 48 KiB, in order: read a few at a time to serve it. */
@Entity('open_data_snapshot_chunks')
export class OpenDataSnapshotChunk {
  @PrimaryColumn({ type: 'uuid' })
  snapshotId!: string;

  @ManyToOne(() => OpenDataSnapshot, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'snapshot_id' })
  snapshot?: OpenDataSnapshot;

  @PrimaryColumn({ type: 'integer' })
  seq!: number;

  @Column({ type: 'bytea' })
  data!: Buffer;
}
