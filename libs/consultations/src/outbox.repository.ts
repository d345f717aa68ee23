import { Tx } from '@app/core';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface OutboxMessage {
  id: string;
  queue: string;
  jobId: string;
  payload: Record<string, string>;
}

/** Jobs committed with the change that asks for them, waiting to be moved to their queue. */
@Injectable()
export class OutboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Locks up to `limit` undispatched messages that no other relay holds. */
  claim(tx: Tx, limit: number): Promise<OutboxMessage[]> {
    return tx.query(
      `SELECT id, queue, job_id AS "jobId", payload FROM outbox WHERE dispatched_at IS NULL
       ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
  }

  async markDispatched(tx: Tx, ids: string[]): Promise<void> {
    await tx.query(`UPDATE outbox SET dispatched_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
  }

  async purgeDispatched(): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM outbox WHERE dispatched_at IS NOT NULL AND dispatched_at < now() - interval '1 day'`,
    );
  }
}
