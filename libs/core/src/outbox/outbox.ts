import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import type { Tx } from '../audit/audit-log';

export interface OutboxMessage {
  id: string;
  queue: string;
  jobId: string;
  payload: Record<string, string>;
  /** The job is not run before then; null: at once. */
  notBefore: Date | null;
}

/**
 * Jobs committed with the change that asks for them: a row written in the caller's transaction, moved to
 * its queue by the worker's relay. Accepting work then needs PostgreSQL only, and a lost Redis costs time.
 */
@Injectable()
export class Outbox {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Queues a job once `tx` commits; `jobId` makes a repeat harmless. Payloads carry ids only. */
  async enqueue(tx: Tx, queue: string, jobId: string, payload: Record<string, string>): Promise<void> {
    await tx.query(`INSERT INTO outbox (queue, job_id, payload) VALUES ($1, $2, $3)`, [
      queue,
      jobId,
      JSON.stringify(payload),
    ]);
  }

  /**
   * Queues many jobs of one queue once `tx` commits, in one statement: a fan-out of thousands stays cheap.
   * With `notBefore`, they wait in their queue until then.
   */
  async enqueueMany(
    tx: Tx,
    queue: string,
    jobs: readonly { jobId: string; payload: Record<string, string> }[],
    notBefore?: Date,
  ): Promise<void> {
    if (jobs.length === 0) return;
    await tx.query(
      `INSERT INTO outbox (queue, job_id, payload, not_before)
       SELECT $1, job_id, payload, $4 FROM unnest($2::varchar[], $3::jsonb[]) AS t(job_id, payload)`,
      [
        queue,
        jobs.map((job) => job.jobId),
        jobs.map((job) => JSON.stringify(job.payload)),
        notBefore ?? null,
      ],
    );
  }

  /**
   * Claims undispatched messages that no other relay holds, hands them to `dispatch` (which queues them) and
   * marks them only once it succeeded.
   */
  relay(limit: number, dispatch: (messages: OutboxMessage[]) => Promise<void>): Promise<number> {
    return this.dataSource.transaction(async (tx) => {
      const messages: OutboxMessage[] = await tx.query(
        `SELECT id, queue, job_id AS "jobId", payload, not_before AS "notBefore" FROM outbox
         WHERE dispatched_at IS NULL
         ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (messages.length === 0) return 0;
      await dispatch(messages);
      await tx.query(`UPDATE outbox SET dispatched_at = now() WHERE id = ANY($1::bigint[])`, [
        messages.map((message) => message.id),
      ]);
      return messages.length;
    });
  }

  async purgeDispatched(): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM outbox WHERE dispatched_at IS NOT NULL AND dispatched_at < now() - interval '1 day'`,
    );
  }
}
