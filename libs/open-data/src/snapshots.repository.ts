import type { Tx } from '@app/core';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface SnapshotRow {
  id: string;
  dataset: string;
  format: string;
  /** `YYYY-MM-DD`. */
  snapshotDate: string;
  rowCount: number;
  bytes: number;
  gzipBytes: number;
  sha256: string;
  createdAt: Date;
}

const COLUMNS = `id, dataset, format, snapshot_date::text AS "snapshotDate", row_count AS "rowCount", bytes,
  gzip_bytes AS "gzipBytes", sha256, created_at AS "createdAt"`;

@Injectable()
export class SnapshotsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Serialises the writers of one dataset's day (however many workers run); false when another holds it. */
  async tryLock(tx: Tx, dataset: string, date: string): Promise<boolean> {
    const rows: { locked: boolean }[] = await tx.query(
      `SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`,
      [`open-data:${dataset}:${date}`],
    );
    return rows[0].locked;
  }

  async exists(tx: Tx, dataset: string, date: string): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `SELECT 1 FROM open_data_snapshots WHERE dataset = $1 AND snapshot_date = $2 LIMIT 1`,
      [dataset, date],
    );
    return rows.length > 0;
  }

  /** A snapshot's row, its figures filled in by `complete` in the same transaction. */
  async create(tx: Tx, dataset: string, format: string, date: string): Promise<string> {
    const rows: { id: string }[] = await tx.query(
      `INSERT INTO open_data_snapshots (dataset, format, snapshot_date, row_count, bytes, gzip_bytes, sha256)
       VALUES ($1, $2, $3, 0, 0, 0, repeat('0', 64)) RETURNING id`,
      [dataset, format, date],
    );
    return rows[0].id;
  }

  async addChunk(tx: Tx, snapshotId: string, seq: number, data: Buffer): Promise<void> {
    await tx.query(`INSERT INTO open_data_snapshot_chunks (snapshot_id, seq, data) VALUES ($1, $2, $3)`, [
      snapshotId,
      seq,
      data,
    ]);
  }

  async complete(
    tx: Tx,
    snapshotId: string,
    figures: { rowCount: number; bytes: number; gzipBytes: number; sha256: string },
  ): Promise<void> {
    await tx.query(
      `UPDATE open_data_snapshots SET row_count = $2, bytes = $3, gzip_bytes = $4, sha256 = $5 WHERE id = $1`,
      [snapshotId, figures.rowCount, figures.bytes, figures.gzipBytes, figures.sha256],
    );
  }

  find(dataset: string, format: string, date: string): Promise<SnapshotRow | undefined> {
    return this.dataSource
      .query(
        `SELECT ${COLUMNS} FROM open_data_snapshots WHERE dataset = $1 AND format = $2 AND snapshot_date = $3`,
        [dataset, format, date],
      )
      .then((rows: SnapshotRow[]) => rows[0]);
  }

  /** Every snapshot kept, newest day first. */
  list(): Promise<SnapshotRow[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM open_data_snapshots ORDER BY snapshot_date DESC, dataset, format`,
    );
  }

  /** Up to `limit` of a snapshot's chunks after `afterSeq`, in order. */
  chunks(snapshotId: string, afterSeq: number, limit: number): Promise<{ seq: number; data: Buffer }[]> {
    return this.dataSource.query(
      `SELECT seq, data FROM open_data_snapshot_chunks WHERE snapshot_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [snapshotId, afterSeq, limit],
    );
  }

  /** Drops the snapshots of days before `date` (their chunks go with them); answers how many. */
  async deleteBefore(date: string): Promise<number> {
    // TypeORM answers a DELETE as [rows, affected].
    const [, deleted]: [unknown[], number] = await this.dataSource.query(
      `DELETE FROM open_data_snapshots WHERE snapshot_date < $1`,
      [date],
    );
    return deleted;
  }
}
